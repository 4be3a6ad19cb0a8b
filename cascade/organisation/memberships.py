"""Who holds which role where: creating workspaces, granting, changing and removing roles.

A workspace always keeps at least one admin, so nobody can lock everyone out of managing it.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade.audit import record
from cascade.db import db
from cascade.models import Membership, Person, Role, Unit, Workspace
from cascade.refusals import Refusal

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")


def create_workspace(person: Person, name: str, slug: str) -> Workspace:
    """A workspace with one root unit of the same name; its creator becomes the admin."""
    name, slug = name.strip(), slug.strip().lower()
    if not SLUG.match(slug):
        raise Refusal("slug", "Use lower-case letters, digits and hyphens (not at either end).")
    if db.session.scalar(sa.select(Workspace.id).where(Workspace.slug == slug)):
        raise Refusal("slug", "That address is taken; choose another.")
    ws = Workspace(slug=slug, name=name)
    db.session.add(ws)
    db.session.flush()
    root = Unit(workspace_id=ws.id, key=slug, name=name)
    db.session.add(root)
    db.session.flush()
    record(ws.id, "workspace.create", "workspace", slug, after={"name": name})
    record(ws.id, "unit.create", "unit", slug, after={"name": name, "parent": None})
    grant(ws, person, root, Role.ADMIN)
    return ws


def _describe(membership: Membership) -> dict:
    return {"person": membership.person.email, "unit": membership.unit.key,
            "role": str(membership.role)}


def grant(ws: Workspace, person: Person, unit: Unit, role: Role) -> Membership:
    """Give `person` a role in `unit`; holding it already is refused."""
    exists = db.session.scalar(sa.select(Membership).where(
        Membership.person_id == person.id, Membership.unit_id == unit.id,
        Membership.role == role))
    if exists is not None:
        raise Refusal("role", f"{person.name} is already {role} of {unit.name}.")
    membership = Membership(workspace_id=ws.id, person=person, unit=unit, role=role)
    db.session.add(membership)
    db.session.flush()
    record(ws.id, "membership.create", "membership", f"{person.email} @ {unit.key}",
           after=_describe(membership))
    return membership


def _admin_count(ws_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(Membership.id)).where(
        Membership.workspace_id == ws_id, Membership.role == Role.ADMIN))


def change_role(membership: Membership, role: Role) -> None:
    """Change one membership's role, keeping at least one admin in the workspace."""
    if membership.role == role:
        return
    if membership.role == Role.ADMIN and _admin_count(membership.workspace_id) <= 1:
        raise Refusal("role", "This is the workspace's last admin; make someone else admin "
                              "first.")
    if db.session.scalar(sa.select(Membership.id).where(
            Membership.person_id == membership.person_id,
            Membership.unit_id == membership.unit_id, Membership.role == role)):
        raise Refusal("role", f"{membership.person.name} already holds that role in "
                              f"{membership.unit.name}.")
    before = _describe(membership)
    membership.role = role
    record(membership.workspace_id, "membership.role", "membership",
           f"{membership.person.email} @ {membership.unit.key}",
           before={"role": before["role"]}, after={"role": str(role)})


def remove(membership: Membership) -> None:
    """End one membership, keeping at least one admin in the workspace."""
    if membership.role == Role.ADMIN and _admin_count(membership.workspace_id) <= 1:
        raise Refusal("membership", "This is the workspace's last admin; make someone else "
                                    "admin first.")
    record(membership.workspace_id, "membership.remove", "membership",
           f"{membership.person.email} @ {membership.unit.key}", before=_describe(membership))
    db.session.delete(membership)
    db.session.flush()


def people_of(ws: Workspace) -> list[tuple[Person, list[Membership]]]:
    """Everyone in the workspace with their memberships, by name, in one query."""
    rows = db.session.scalars(
        sa.select(Membership).where(Membership.workspace_id == ws.id)
        .options(joinedload(Membership.person), joinedload(Membership.unit))
        .order_by(Membership.id)).unique().all()
    grouped: dict[int, tuple[Person, list[Membership]]] = {}
    for membership in rows:
        grouped.setdefault(membership.person_id, (membership.person, []))[1].append(membership)
    return sorted(grouped.values(), key=lambda pair: (pair[0].name.lower(), pair[0].email))

"""Write use cases of the organisation: the unit tree, workspaces, roles, invitations and
accounts. Each takes loaded objects, clean data and `by` (who acts: a person, or None for the
operator at the command line), enforces the rules, records an audit entry and flushes; the
caller commits. A workspace always keeps at least one admin, so nobody can lock everyone out.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa

from cascade import keys
from cascade.audit import record
from cascade.db import db, utcnow
from cascade.models import Invitation, Membership, Person, Role, Unit, Workspace
from cascade.organisation.invitations import token_hash
from cascade.organisation.passwords import hash_password, password_problem, verify_password
from cascade.organisation.units import subtree_ids
from cascade.refusals import Refusal


def _free_key(ws: Workspace, wanted: str) -> str:
    taken = set(db.session.scalars(sa.select(Unit.key).where(Unit.workspace_id == ws.id)))
    return keys.free_key(wanted, taken)


def create_unit(ws: Workspace, name: str, parent: Unit | None, key: str | None = None, *,
                by: Person | None) -> Unit:
    """A new unit under `parent`; the key comes from the name unless given, and is unique."""
    name = name.strip()
    if parent is not None and parent.archived:
        raise Refusal("parent", "That unit is archived; choose an active parent.")
    if key:
        if problem := keys.key_problem(key):
            raise Refusal("key", problem)
        if db.session.scalar(sa.select(Unit.id).where(Unit.workspace_id == ws.id,
                                                      Unit.key == key)):
            raise Refusal("key", f"The key {key!r} is already used by another unit.")
    else:
        key = _free_key(ws, keys.slugify(name) or "unit")
    unit = Unit(workspace_id=ws.id, key=key, name=name, parent=parent)
    db.session.add(unit)
    db.session.flush()
    record(by, ws.id, "unit.create", "unit", key,
           after={"name": name, "parent": parent.key if parent else None})
    return unit


def update_unit(unit: Unit, name: str, parent: Unit | None, all_units, *,
                by: Person | None) -> None:
    """Rename and move; a unit may not move below itself, nor under an archived unit."""
    name = name.strip()
    if parent is not None:
        if parent.id in subtree_ids(all_units, unit):
            raise Refusal("parent", "A unit cannot move into itself or below one of its "
                                    "own sub-units.")
        if parent.archived and parent.id != unit.parent_id:
            raise Refusal("parent", "That unit is archived; choose an active parent.")
    before = {"name": unit.name, "parent": unit.parent.key if unit.parent else None}
    after = {"name": name, "parent": parent.key if parent else None}
    changed = {k for k in before if before[k] != after[k]}
    if not changed:
        return
    unit.name, unit.parent = name, parent
    action = "unit.move" if "parent" in changed else "unit.rename"
    record(by, unit.workspace_id, action, "unit", unit.key,
           before={k: before[k] for k in changed}, after={k: after[k] for k in changed})


def set_archived(unit: Unit, archived: bool, *, by: Person | None) -> None:
    """Archive a unit whose sub-units are all archived, or bring one back under an active parent."""
    if unit.archived == archived:
        return
    if archived and any(not child.archived for child in unit.children):
        raise Refusal("unit", f"{unit.name} still has active sub-units; archive or move "
                              "them first.")
    if not archived and unit.parent is not None and unit.parent.archived:
        raise Refusal("unit", f"{unit.name} sits under the archived unit "
                              f"{unit.parent.name}; restore that one first.")
    unit.archived = archived
    record(by, unit.workspace_id, "unit.archive" if archived else "unit.restore", "unit",
           unit.key, before={"archived": not archived}, after={"archived": archived})


def create_workspace(person: Person, name: str, slug: str) -> Workspace:
    """A workspace with one root unit of the same name; its creator becomes the admin."""
    name, slug = name.strip(), slug.strip().lower()
    if problem := keys.slug_problem(slug):
        raise Refusal("slug", problem)
    if db.session.scalar(sa.select(Workspace.id).where(Workspace.slug == slug)):
        raise Refusal("slug", "That address is taken; choose another.")
    ws = Workspace(slug=slug, name=name)
    db.session.add(ws)
    db.session.flush()
    root = Unit(workspace_id=ws.id, key=slug, name=name)
    db.session.add(root)
    db.session.flush()
    record(person, ws.id, "workspace.create", "workspace", slug, after={"name": name})
    record(person, ws.id, "unit.create", "unit", slug, after={"name": name, "parent": None})
    grant(ws, person, root, Role.ADMIN, by=person)
    return ws


def _describe(membership: Membership) -> dict:
    return {"person": membership.person.email, "unit": membership.unit.key,
            "role": str(membership.role)}


def grant(ws: Workspace, person: Person, unit: Unit, role: Role, *,
          by: Person | None) -> Membership:
    """Give `person` a role in `unit`; holding it already is refused."""
    exists = db.session.scalar(sa.select(Membership).where(
        Membership.person_id == person.id, Membership.unit_id == unit.id,
        Membership.role == role))
    if exists is not None:
        raise Refusal("role", f"{person.name} is already {role} of {unit.name}.")
    membership = Membership(workspace_id=ws.id, person=person, unit=unit, role=role)
    db.session.add(membership)
    db.session.flush()
    record(by, ws.id, "membership.create", "membership", f"{person.email} @ {unit.key}",
           after=_describe(membership))
    return membership


def _admin_count(ws_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(Membership.id)).where(
        Membership.workspace_id == ws_id, Membership.role == Role.ADMIN))


def change_role(membership: Membership, role: Role, *, by: Person | None) -> None:
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
    record(by, membership.workspace_id, "membership.role", "membership",
           f"{membership.person.email} @ {membership.unit.key}",
           before={"role": before["role"]}, after={"role": str(role)})


def remove(membership: Membership, *, by: Person | None) -> None:
    """End one membership, keeping at least one admin in the workspace."""
    if membership.role == Role.ADMIN and _admin_count(membership.workspace_id) <= 1:
        raise Refusal("membership", "This is the workspace's last admin; make someone else "
                                    "admin first.")
    record(by, membership.workspace_id, "membership.remove", "membership",
           f"{membership.person.email} @ {membership.unit.key}", before=_describe(membership))
    db.session.delete(membership)
    db.session.flush()


def invite(ws: Workspace, email: str, unit: Unit, role: Role, by: Person,
           days: int) -> tuple[Invitation, str]:
    """A new invitation and its token (shown once); refused for someone already in that role."""
    email = email.strip().lower()
    if unit.archived:
        raise Refusal("unit", "That unit is archived; invite people to an active unit.")
    if db.session.scalar(sa.select(Membership.id).join(Person).where(
            Person.email == email, Membership.unit_id == unit.id, Membership.role == role)):
        raise Refusal("email", f"{email} is already {role} of {unit.name}.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(workspace_id=ws.id, email=email, unit=unit, role=role,
                            token_hash=token_hash(token), invited_by=by,
                            expires_at=utcnow() + timedelta(days=days))
    db.session.add(invitation)
    db.session.flush()
    record(by, ws.id, "invitation.create", "invitation", email,
           after={"email": email, "unit": unit.key, "role": str(role)})
    return invitation, token


def accept(invitation: Invitation, person: Person) -> None:
    """Link the person to the invitation's unit and role; the link is used up either way."""
    if person.email != invitation.email:
        raise Refusal("email", f"This invitation is for {invitation.email}; sign out and "
                               "open the link again to accept it.")
    invitation.accepted_at = utcnow()
    try:
        grant(invitation.workspace, person, invitation.unit, invitation.role, by=person)
    except Refusal:
        pass  # already holds the role: accepting changes nothing but uses the link
    record(person, invitation.workspace_id, "invitation.accept", "invitation", invitation.email)


def revoke(invitation: Invitation, *, by: Person | None) -> None:
    record(by, invitation.workspace_id, "invitation.revoke", "invitation", invitation.email,
           before={"unit": invitation.unit.key, "role": str(invitation.role)})
    db.session.delete(invitation)
    db.session.flush()


def create_account(email: str, name: str, password: str) -> Person:
    """A new person who can sign in; the e-mail address must be free."""
    email = email.strip().lower()
    if db.session.scalar(sa.select(Person.id).where(Person.email == email)):
        raise Refusal("email", "An account with this e-mail address exists; sign in instead.")
    if problem := password_problem(password):
        raise Refusal("password", problem)
    person = Person(email=email, name=name.strip(), password_hash=hash_password(password))
    db.session.add(person)
    db.session.flush()
    return person


def change_password(person: Person, current: str, new: str) -> None:
    """Needs the current password; ends every other session by rotating the session token."""
    if not verify_password(person.password_hash, current):
        raise Refusal("current_password", "That is not your current password.")
    if problem := password_problem(new):
        raise Refusal("new_password", problem)
    if new == current:
        raise Refusal("new_password", "Choose a password different from the current one.")
    person.password_hash = hash_password(new)
    person.end_sessions()

"""Who is in a workspace: its people with the roles they hold, read in one query."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade.db import db
from cascade.models import Membership, Person, Role, Workspace


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


def disablable_by(admin: Person, person_ids: list[int]) -> set[int]:
    """Of these people, those whose account `admin` may disable: everyone of theirs is in a
    workspace `admin` administers (`operations.administered_by`), in one query."""
    mine = {m.workspace_id for m in admin.memberships if m.role == Role.ADMIN}
    elsewhere = set(db.session.scalars(sa.select(Membership.person_id).where(
        Membership.person_id.in_(person_ids), Membership.workspace_id.not_in(mine))))
    return set(person_ids) - elsewhere - {admin.id}

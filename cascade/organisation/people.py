"""Who is in a workspace: its people with the roles they hold, read in one query."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade.db import db
from cascade.models import Membership, Person, Workspace


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

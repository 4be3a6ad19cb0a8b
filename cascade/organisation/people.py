"""Who is in a workspace: its people with the roles they hold, a page at a time."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade.db import db
from cascade.models import Membership, Person, Role, Workspace
from cascade.paging import Page, page_of


def people_page(ws: Workspace, words: str = "", number: int | None = 1) -> Page:
    """One page of the workspace's people by name (ties by e-mail, then id), those whose
    name or e-mail contains `words` when given; each item is (person, their memberships
    here), read in three statements whatever the workspace's size."""
    query = sa.select(Person).where(Person.id.in_(
        sa.select(Membership.person_id).where(Membership.workspace_id == ws.id)))
    if words:
        query = query.where(sa.or_(Person.name.icontains(words, autoescape=True),
                                   Person.email.icontains(words, autoescape=True)))
    shown = page_of(query.order_by(sa.func.lower(Person.name), Person.email, Person.id),
                    number)
    held: dict[int, list[Membership]] = {p.id: [] for p in shown.items}
    if held:
        for membership in db.session.scalars(
                sa.select(Membership).where(Membership.workspace_id == ws.id,
                                            Membership.person_id.in_(held))
                .options(joinedload(Membership.unit)).order_by(Membership.id)):
            held[membership.person_id].append(membership)
    return replace(shown, items=[(p, held[p.id]) for p in shown.items])


def member_by_email(ws: Workspace, email: str) -> Person | None:
    """The person with this e-mail address who is in the workspace (None if nobody is)."""
    return db.session.scalar(sa.select(Person).where(
        sa.func.lower(Person.email) == (email or "").strip().lower(),
        Person.id.in_(sa.select(Membership.person_id).where(Membership.workspace_id == ws.id))))


def disablable_by(admin: Person, person_ids: list[int]) -> set[int]:
    """Of these people, those whose account `admin` may disable: everyone of theirs is in a
    workspace `admin` administers (`operations.administered_by`), in one query."""
    mine = {m.workspace_id for m in admin.memberships if m.role == Role.ADMIN}
    elsewhere = set(db.session.scalars(sa.select(Membership.person_id).where(
        Membership.person_id.in_(person_ids), Membership.workspace_id.not_in(mine))))
    return set(person_ids) - elsewhere - {admin.id}

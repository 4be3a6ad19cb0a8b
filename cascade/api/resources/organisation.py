"""Units, people and memberships: everyone in the workspace reads them; e-mail addresses go
only to admins (the people page is theirs), and only through a token with the admin scope."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import aliased, selectinload

from cascade.api import bp
from cascade.api import schemas as s
from cascade.api.pages import ListQuery, page
from cascade.api.spec import operation
from cascade.models import Membership, Person, Unit
from cascade.views.load import unit_by_key
from cascade.vocabulary import TokenScope

UnitPage, PersonPage, MembershipPage = s.page_of(s.Unit), s.page_of(s.Person), \
    s.page_of(s.Membership)


def _unit(unit: Unit, parent_key: str | None) -> s.Unit:
    return s.Unit(key=unit.key, name=unit.name, parent=parent_key, archived=unit.archived,
                  created_at=unit.created_at, version=unit.version)


@operation(bp, "/w/<workspace>/units", "GET", summary="Units, in the order they were made",
           scope="read", action="workspace.view", query=ListQuery, response=UnitPage,
           tags=("organisation",))
def units(query: ListQuery):
    parent = aliased(Unit)
    rows, following = page(
        sa.select(Unit, parent.key).outerjoin(parent, parent.id == Unit.parent_id)
        .where(Unit.workspace_id == g.workspace.id), Unit.id, query, Unit.created_at)
    return UnitPage(items=[_unit(u, p) for u, p in rows], next=following)


@operation(bp, "/w/<workspace>/units/<unit>", "GET", summary="One unit", scope="read",
           action="workspace.view", load=unit_by_key, response=s.Unit, tags=("organisation",))
def unit(found: Unit):
    return _unit(found, found.parent.key if found.parent is not None else None)


def _shows_emails() -> bool:
    return g.actor.can("people.manage") and TokenScope.ADMIN in g.api_token.scopes


@operation(bp, "/w/<workspace>/people", "GET", summary="People who hold a role here",
           scope="read", action="workspace.view", query=ListQuery, response=PersonPage,
           tags=("organisation",))
def people(query: ListQuery):
    ws = g.workspace
    members = sa.select(Membership.person_id).where(Membership.workspace_id == ws.id)
    rows, following = page(
        sa.select(Person).where(Person.id.in_(members))
        .options(selectinload(Person.memberships).joinedload(Membership.unit)),
        Person.id, query, Person.created_at)
    emails = _shows_emails()
    return PersonPage(items=[s.Person(
        id=p.id, name=p.name, email=p.email if emails else None,
        roles=[s.Role(unit=m.unit.key, role=str(m.role)) for m in p.memberships
               if m.workspace_id == ws.id]) for (p,) in rows], next=following)


@operation(bp, "/w/<workspace>/memberships", "GET", summary="Who holds which role in which unit",
           scope="read", action="workspace.view", query=ListQuery, response=MembershipPage,
           tags=("organisation",))
def memberships(query: ListQuery):
    rows, following = page(
        sa.select(Membership, Person.name, Unit.key).join(Person, Person.id == Membership.person_id)
        .join(Unit, Unit.id == Membership.unit_id)
        .where(Membership.workspace_id == g.workspace.id), Membership.id, query,
        Membership.created_at)
    return MembershipPage(items=[s.Membership(
        id=m.id, person=m.person_id, person_name=name, unit=key, role=str(m.role),
        created_at=m.created_at) for m, name, key in rows], next=following)

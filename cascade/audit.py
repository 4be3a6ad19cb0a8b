"""Recording who changed what, when — one call from every write use case — and reading
the trail back for admins."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade.db import db
from cascade.models import AuditEntry, Person


def record(by: Person | None, workspace_id: int | None, action: str, target_type: str,
           target: str, before: dict | None = None, after: dict | None = None) -> AuditEntry:
    """Add an audit entry naming who acted (`by`; None for the operator at the command line
    or the system); the caller's transaction commits it."""
    entry = AuditEntry(workspace_id=workspace_id, person_id=by.id if by is not None else None,
                       action=action, target_type=target_type, target=str(target)[:200],
                       before=before, after=after)
    db.session.add(entry)
    return entry


def changes(obj, fields: list[str], new: dict) -> tuple[dict, dict]:
    """The before/after pair for just the fields that change."""
    before = {f: _plain(getattr(obj, f)) for f in fields if _plain(getattr(obj, f)) != new[f]}
    return before, {f: new[f] for f in before}


def _plain(value):
    return str(value) if hasattr(value, "value") else value


PAGE_SIZE = 50


def entries(workspace_id: int, *, target_type: str = "", action: str = "",
            person_id: int | None = None, since: date | None = None,
            until: date | None = None,
            page: int = 1) -> tuple[list[AuditEntry], bool]:
    """One page of the workspace's audit trail, newest first, and whether older entries exist.

    `since` and `until` are dates, both inclusive, in UTC.
    """
    query = sa.select(AuditEntry).where(AuditEntry.workspace_id == workspace_id)
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    if action:
        query = query.where(AuditEntry.action == action)
    if person_id:
        query = query.where(AuditEntry.person_id == person_id)
    if since:
        query = query.where(AuditEntry.created_at >= datetime.combine(since, time(), UTC))
    if until:
        end = datetime.combine(until + timedelta(days=1), time(), UTC)
        query = query.where(AuditEntry.created_at < end)
    rows = db.session.scalars(
        query.options(joinedload(AuditEntry.person))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return list(rows[:PAGE_SIZE]), len(rows) > PAGE_SIZE


def filter_values(workspace_id: int) -> tuple[list[str], list[str], list[tuple[int, str]]]:
    """The target types, actions and people that occur in the workspace's audit trail."""
    mine = AuditEntry.workspace_id == workspace_id
    types = db.session.scalars(sa.select(AuditEntry.target_type).where(mine).distinct()
                               .order_by(AuditEntry.target_type)).all()
    actions = db.session.scalars(sa.select(AuditEntry.action).where(mine).distinct()
                                 .order_by(AuditEntry.action)).all()
    people = db.session.execute(sa.select(Person.id, Person.name).where(
        Person.id.in_(sa.select(AuditEntry.person_id).where(mine))).order_by(Person.name)).all()
    return list(types), list(actions), [tuple(p) for p in people]

"""The audit trail, for admins' tokens with the admin scope, oldest first so that a sync
can follow it with `updated_since` and the cursor."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g
from pydantic import Field

from cascade.api import bp
from cascade.api import schemas as s
from cascade.api.pages import ListQuery, page
from cascade.api.spec import operation
from cascade.models import AuditEntry, Person

AuditPage = s.page_of(s.AuditOut)


class AuditQuery(ListQuery):
    action: s.text(60) | None = Field(None, description="Only this action, e.g. node.edit.")
    target_type: s.text(40) | None = None


@operation(bp, "/w/<workspace>/audit", "GET", summary="Who changed what, when",
           scope="admin", action="audit.view", query=AuditQuery, response=AuditPage,
           tags=("audit",))
def audit(query: AuditQuery):
    statement = (sa.select(AuditEntry, Person.name)
                 .outerjoin(Person, Person.id == AuditEntry.person_id)
                 .where(AuditEntry.workspace_id == g.workspace.id))
    if query.action:
        statement = statement.where(AuditEntry.action == query.action)
    if query.target_type:
        statement = statement.where(AuditEntry.target_type == query.target_type)
    rows, following = page(statement, AuditEntry.id, query, AuditEntry.created_at)
    return AuditPage(items=[s.AuditOut(
        id=e.id, created_at=e.created_at, person=name, action=e.action,
        target_type=e.target_type, target=e.target, before=e.before, after=e.after)
        for e, name in rows], next=following)

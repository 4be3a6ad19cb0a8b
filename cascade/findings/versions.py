"""`Workspace.data_version`: the workspace's version, raised once per changing transaction.

Every ORM write is seen at flush (`after_flush`): the workspaces of the rows added, changed
or deleted are collected, and just before the commit one `UPDATE workspace SET
data_version = data_version + 1` per workspace raises its version (O(1), whatever the size
of the workspace; the last lock the transaction takes, so it adds no lock-order deadlock)
and queues the analysis of the new version (`findings.jobs.queue_analysis`, one job per
burst of writes). Writes made with Core statements (the importer's bulk inserts) call
`touch`. Tables that the analysis does not read are listed in `UNTRACKED`; a new table
counts by default, which at worst analyses a version more than needed.
"""

from __future__ import annotations

from itertools import chain

import sqlalchemy as sa
from sqlalchemy.orm import Session

KEY = "cascade_changed_workspaces"
INLINE = "cascade_inline_analyses"

# what no analysis and no page built from one reads: changes here keep the version
UNTRACKED = frozenset({
    "audit_entry", "job_failure", "stored_analysis", "stored_node_findings", "event",
    "notification_preference", "inbox_mark", "api_token", "password_reset", "invitation",
    "score_record", "person",
})

# rows without a workspace_id of their own: (parent model name, foreign key attribute)
_PARENTS = {"note_edit": ("Note", "note_id"), "reply": ("Note", "note_id"),
            "node_revision": ("Node", "node_id"), "pulse_statement": ("Pulse", "pulse_id"),
            "pulse_answer": ("PulseStatement", "statement_id")}


def touch(session: Session, workspace_id: int) -> None:
    """Mark the workspace changed in this transaction (for writes the ORM does not see)."""
    session.info.setdefault(KEY, set()).add(workspace_id)


def workspace_of(session: Session, obj) -> int | None:
    """The workspace an ORM row belongs to, or None for rows of no workspace."""
    table = obj.__table__.name
    if table == "workspace":
        return obj.id
    if table in UNTRACKED:
        return None
    found = getattr(obj, "workspace_id", None)
    if found is not None or table not in _PARENTS:
        return found
    model_name, key = _PARENTS[table]
    from cascade import models

    model = getattr(models, model_name)
    parent_id = getattr(obj, key)
    parent = session.identity_map.get(sa.inspect(model).identity_key_from_primary_key(
        (parent_id,))) if parent_id is not None else None
    if parent is not None:
        return workspace_of(session, parent)
    column = model.workspace_id if hasattr(model, "workspace_id") else None
    if column is None:  # a statement's pulse: one level further up
        pulse_id = session.execute(sa.select(model.pulse_id).where(model.id == parent_id)) \
            .scalar()
        return session.execute(sa.select(models.Pulse.workspace_id).where(
            models.Pulse.id == pulse_id)).scalar()
    return session.execute(sa.select(column).where(model.id == parent_id)).scalar()


@sa.event.listens_for(Session, "after_flush")
def _collect(session: Session, context) -> None:
    changed = session.info.setdefault(KEY, set())
    for obj in chain(session.new, session.deleted, session.dirty):
        if obj in session.dirty and not session.is_modified(obj, include_collections=True):
            continue
        if (ws_id := workspace_of(session, obj)) is not None:
            changed.add(ws_id)


@sa.event.listens_for(Session, "before_commit")
def _bump(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # rows still pending are collected too
    if not session.info.get(KEY):
        return
    from cascade.models import Workspace

    table = Workspace.__table__
    for ws_id in sorted(session.info.pop(KEY, ())):
        session.execute(table.update().where(table.c.id == ws_id)
                        .values(data_version=table.c.data_version + 1))
        _queue_analysis(session, ws_id)


def _queue_analysis(session: Session, ws_id: int) -> None:
    """The analysis job after the commit; with ANALYSIS_INLINE (the tests' default) the
    analysis is made right after the commit in this process instead, so that a test's next
    request reads its own write's findings."""
    from flask import current_app, has_app_context

    if not has_app_context() or "cascade_jobs" not in current_app.extensions:
        return
    inline = current_app.config.get("ANALYSIS_INLINE")
    if inline if inline is not None else current_app.testing:
        session.info.setdefault(INLINE, []).append(
            (current_app._get_current_object(), ws_id))
        return
    from cascade.findings.jobs import queue_analysis

    queue_analysis(ws_id)


@sa.event.listens_for(Session, "after_commit")
def _analyse_inline(session: Session) -> None:
    for app, ws_id in session.info.pop(INLINE, ()):
        from cascade.findings.jobs import analyse

        with app.app_context():
            try:
                analyse(workspace_id=ws_id)
            finally:
                from cascade.db import db

                db.session.remove()


@sa.event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(KEY, None)
    session.info.pop(INLINE, None)

"""Background jobs of the findings: the daily score snapshot of every workspace."""

from __future__ import annotations

import sqlalchemy as sa

from cascade import clock
from cascade.db import db, without_time_limit
from cascade.jobs import crontab, enqueue, job, periodic
from cascade.models import Workspace


@periodic(crontab(minute="10", hour="0"))
def daily_snapshots() -> None:
    """Each day shortly after midnight UTC, one snapshot job per workspace (so one failing
    workspace is retried and shown to its own admins, and the others go on)."""
    for workspace_id in db.session.scalars(sa.select(Workspace.id).order_by(Workspace.id)):
        enqueue(snapshot_workspace, workspace_id=workspace_id, as_of=clock.today().isoformat())
    db.session.commit()


@job(retries=3, retry_delay=60)
def snapshot_workspace(*, workspace_id: int, as_of: str) -> None:
    """Record the workspace's score for `as_of` (ISO date). Idempotent: a second run on the
    same day replaces that day's record (`record_score`)."""
    from datetime import date

    from cascade.findings.analysis import analysis_of
    from cascade.findings.operations import record_score

    ws = db.session.get(Workspace, workspace_id)
    if ws is None:
        return  # deleted since: nothing to do
    record_score(ws, analysis_of(ws, date.fromisoformat(as_of), fresh=True), by=None)
    db.session.commit()


@job(retries=3, retry_delay=5)
def analyse(*, workspace_id: int) -> None:
    """Analyse the workspace's current version once for every worker and host (queued by
    each write). Idempotent: a version already analysed, or being analysed elsewhere, is
    not analysed again; jobs of older versions find the newest and do nothing more."""
    from cascade.findings.analysis import analysis_of

    ws = db.session.get(Workspace, workspace_id)
    if ws is None:
        return
    without_time_limit(db.session.connection())
    analysis_of(ws, clock.today(), fresh=True)

"""Background jobs of the findings: the analysis after writes, the daily score snapshot."""

from __future__ import annotations

import sqlalchemy as sa

from cascade import clock
from cascade.db import db, without_time_limit
from cascade.jobs import crontab, enqueue, enqueue_grouped, job, periodic
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


def queue_analysis(workspace_id: int, at_once: bool = False) -> None:
    """The analysis job, `ANALYSIS_DELAY` seconds after the write's commit (2; none under
    TESTING), one per burst of writes in this process (`enqueue_grouped`); `at_once` sends
    it now, outside the transaction (a page that finds its findings behind)."""
    from flask import current_app

    delay = current_app.config.get("ANALYSIS_DELAY")
    delay = (0.0 if current_app.testing else 2.0) if delay is None else float(delay)
    enqueue_grouped(analyse, f"analyse:{workspace_id}", delay, at_once=at_once,
                    workspace_id=workspace_id)


@job(retries=3, retry_delay=5)
def analyse(*, workspace_id: int) -> None:
    """Analyse the workspace's version current when the job runs, once for every worker and
    host (queued after writes, grouped). Idempotent: a version already analysed, or being
    analysed, is left alone without loading anything; while another version of the
    workspace is being analysed the job comes back later (`queue_analysis`) rather than
    running a second engine beside it, so writes during a long analysis lead to one more."""
    from cascade.findings import stored
    from cascade.findings.analysis import analysis_of
    from cascade.organisation.settings import settings_for

    ws = db.session.get(Workspace, workspace_id)
    if ws is None:
        return
    today = clock.today()
    mine, others = stored.claims(ws.id, ws.data_version, today,
                                 stored.settings_key(settings_for(ws)))
    if mine is not None:
        return
    if others:
        queue_analysis(ws.id)
        db.session.commit()  # nothing written: sends it
        return
    without_time_limit(db.session.connection())
    analysis_of(ws, today, fresh=True)

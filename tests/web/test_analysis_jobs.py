"""Issue 13: the analysis jobs of close writes are grouped. A burst of writes leads to one
analysis of the version current when the job runs; a job finding that version analysed
does nothing (and loads nothing); pages serve the last complete analysis meanwhile."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import current_app

from cascade import clock
from cascade.db import db
from cascade.findings import analysis, stored
from cascade.findings.jobs import analyse
from cascade.jobs.queue import jobs_of, run_pending, send_now
from cascade.models import JobFailure, StoredAnalysis, StoredNodeFindings, Workspace
from cascade.organisation.settings import settings_for
from tests.factories import make_node

DELAY = 30  # seconds: nothing in the test waits for them, `run_pending(later=…)` runs early


@pytest.fixture
def grouped(app, org):
    """Writes queue their analysis as in production: in a job, `DELAY` seconds later."""
    make_node(org.workspace, org.units["shop"], "shop-1", "Sell more")
    db.session.commit()  # analysed inline, as the fixtures' writes
    app.config.update(ANALYSIS_INLINE=False, ANALYSIS_DELAY=DELAY)
    yield jobs_of(app)
    app.config.update(ANALYSIS_INLINE=None, ANALYSIS_DELAY=None)


def _version(ws_id: int) -> int:
    return db.session.scalar(sa.select(Workspace.data_version).where(Workspace.id == ws_id))


def _queued(jobs) -> int:
    """Jobs waiting: in the queue or (delayed, once a consumer looked) in the schedule."""
    return jobs.huey.pending_count() + jobs.huey.scheduled_count()


def _latest(ws: Workspace) -> int:
    return stored.latest(ws.id, clock.today(),
                         stored.settings_key(settings_for(ws))).data_version


def _note(client, org, n: int):
    return client.post("/w/acme/nodes/shop-1/notes", data={
        "kind": "feasibility", "stance": "concern", "unit": org.units["checkout"].id,
        "body": f"Concern number {n}"})


def test_a_burst_of_writes_is_analysed_once_at_its_last_version(grouped, client, login, org):
    ws_id = org.workspace.id
    login(org.people["member"])
    runs, before = stored.RUNS.runs, _version(ws_id)
    for n in range(8):
        assert _note(client, org, n).status_code == 302
    assert _version(ws_id) == before + 8  # eight versions
    assert _queued(grouped) == 1
    page = client.get("/w/acme/nodes/shop-1").get_data(as_text=True)
    assert "Concern number 7" in page  # the page itself is current
    assert "updating with the latest changes" in page  # its findings say they are behind
    assert _queued(grouped) == 1  # the page's ask for them is folded in too
    assert run_pending() == 0 and stored.RUNS.runs == runs  # not due yet
    assert run_pending(later=DELAY + 1) == 1
    assert stored.RUNS.runs == runs + 1  # one analysis for eight writes
    assert _latest(org.workspace) == _version(ws_id)  # of the last one
    done = db.session.scalars(sa.select(StoredAnalysis.id).where(
        StoredAnalysis.workspace_id == ws_id, StoredAnalysis.state == "done")).all()
    assert set(db.session.scalars(sa.select(StoredNodeFindings.analysis_id).join(
        StoredAnalysis, StoredAnalysis.id == StoredNodeFindings.analysis_id)
        .where(StoredAnalysis.workspace_id == ws_id))) == set(done)
    assert len(done) == 1  # older analyses and their rows per node are gone
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredNodeFindings).where(
        StoredNodeFindings.analysis_id.not_in(sa.select(StoredAnalysis.id)))) == 0
    page = client.get("/w/acme/nodes/shop-1").get_data(as_text=True)
    assert "Findings analysed" in page and "updating" not in page
    assert _note(client, org, 8).status_code == 302  # the next write has a job of its own
    assert _queued(grouped) == 1
    assert run_pending(later=DELAY + 1) == 1 and stored.RUNS.runs == runs + 2
    assert _latest(org.workspace) == _version(ws_id)


def test_a_job_finding_its_version_analysed_loads_and_runs_nothing(grouped, org, monkeypatch):
    """A duplicate job (another worker's, a page's ask, a retry) only looks at one row."""
    db.session.commit()
    current_app.extensions["cascade_analyses"].clear()  # as a consumer that never loaded it
    runs = stored.RUNS.runs

    def refuse(*args, **kwargs):
        raise AssertionError("the job loaded or ran an analysis")

    monkeypatch.setattr(stored, "load", refuse)
    monkeypatch.setattr(analysis, "analyse_workspace", refuse)
    send_now(analyse, workspace_id=org.workspace.id)
    assert run_pending() == 1
    assert stored.RUNS.runs == runs
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobFailure)) == 0


def test_while_another_version_is_analysed_the_job_comes_back_later(grouped, org):
    """No second engine beside a running one: the job is sent again, and once that
    analysis is over the newest version is analysed once."""
    ws = org.workspace
    db.session.add(StoredAnalysis(workspace_id=ws.id, data_version=_version(ws.id) - 1,
                                  as_of=clock.today(), state="computing",
                                  settings_key=stored.settings_key(settings_for(ws))))
    db.session.commit()  # a claim that is no write of the workspace: no job
    make_node(ws, org.units["shop"], "shop-2", "Sell better")
    db.session.commit()
    assert _queued(grouped) == 1
    grouped.forget_waiting()  # the write's job runs now, early:
    runs = stored.RUNS.runs
    analyse(workspace_id=ws.id)
    assert stored.RUNS.runs == runs  # it did not analyse beside the running one
    assert _queued(grouped) == 2  # and comes back later
    db.session.execute(sa.delete(StoredAnalysis).where(StoredAnalysis.state == "computing"))
    db.session.commit()
    assert run_pending(later=DELAY + 1) == 2  # both: the first analyses, the second sees it
    assert stored.RUNS.runs == runs + 1
    assert _latest(ws) == _version(ws.id)

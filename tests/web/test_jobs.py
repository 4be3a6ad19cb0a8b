"""Issue 13, part 2: background jobs on Huey — sent after commit, retried, failures shown to
admins, the daily snapshot on a schedule, and real consumers on SQLite and Redis queues."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from cascade import create_app
from cascade.db import db
from cascade.findings import jobs as findings_jobs
from cascade.jobs import enqueue, job
from cascade.jobs.queue import jobs_of, run_pending, storage_kind
from cascade.models import AuditEntry, JobFailure, ScoreRecord
from tests.conftest import _config

ATTEMPTS: dict[str, int] = {}


@job(retries=2, retry_delay=0)
def flaky(*, workspace_id: int, name: str, failures: int) -> None:
    """Fails its first `failures` attempts (counted per `name`), then succeeds."""
    ATTEMPTS[name] = ATTEMPTS.get(name, 0) + 1
    if ATTEMPTS[name] <= failures:
        raise RuntimeError(f"attempt {ATTEMPTS[name]} of {name} failed")


@pytest.fixture(autouse=True)
def _fresh_attempts():
    ATTEMPTS.clear()


def _pending(app) -> int:
    return jobs_of(app).huey.pending_count()


def test_the_queue_is_chosen_by_the_settings():
    assert storage_kind({}) == "sqlite"
    assert storage_kind({"REDIS_URL": "redis://127.0.0.1:6379/0"}) == "redis"
    assert storage_kind({"TESTING": True, "REDIS_URL": "redis://x"}) == "memory"
    assert storage_kind({"TESTING": True, "JOBS_QUEUE": "sqlite"}) == "sqlite"
    with pytest.raises(RuntimeError, match="JOBS_QUEUE must be one of"):
        storage_kind({"JOBS_QUEUE": "rabbit"})


def test_a_job_is_sent_when_the_transaction_commits_and_never_on_rollback(app, org):
    ws_id = org.workspace.id
    db.session.scalar(sa.select(ScoreRecord.id))  # a transaction is open
    enqueue(findings_jobs.snapshot_workspace, workspace_id=ws_id, as_of="2026-03-01")
    assert _pending(app) == 0
    db.session.rollback()
    assert _pending(app) == 0
    db.session.scalar(sa.select(ScoreRecord.id))
    enqueue(findings_jobs.snapshot_workspace, workspace_id=ws_id, as_of="2026-03-01")
    db.session.commit()
    assert _pending(app) == 1
    assert run_pending(app) == 1
    assert _pending(app) == 0


def test_the_daily_snapshot_records_each_workspace_once_a_day(app, org):
    assert findings_jobs.daily_snapshots.job_name in jobs_of(app).tasks
    periodic = jobs_of(app).tasks[findings_jobs.daily_snapshots.job_name]
    assert periodic.task_class().validate_datetime(datetime(2026, 3, 1, 0, 10))
    assert not periodic.task_class().validate_datetime(datetime(2026, 3, 1, 12, 10))
    for _ in range(2):  # idempotent: a second run replaces the day's record
        periodic.call_local()
        assert run_pending(app) == 2  # one job per workspace: Acme and Other Org
    rows = db.session.scalars(sa.select(ScoreRecord)).all()
    assert sorted(r.workspace_id for r in rows) == sorted(
        [org.workspace.id, org.people["outsider"].memberships[0].workspace_id])
    assert {r.as_of for r in rows} == {date.today()}


def test_a_job_is_retried_and_a_last_failure_is_recorded(app, org):
    ws_id = org.workspace.id
    enqueue(flaky, workspace_id=ws_id, name="recovers", failures=2)
    enqueue(flaky, workspace_id=ws_id, name="broken", failures=99)
    db.session.commit()
    assert run_pending(app) == 6  # three attempts each
    assert ATTEMPTS["recovers"] == 3 and ATTEMPTS["broken"] == 3
    failure = db.session.scalars(sa.select(JobFailure)).one()
    assert failure.job.endswith(".flaky") and failure.workspace_id == ws_id
    assert failure.attempts == 3
    assert failure.error == "RuntimeError: attempt 3 of broken failed"
    assert "Traceback" in failure.traceback
    assert failure.arguments == {"args": [], "kwargs": {
        "workspace_id": ws_id, "name": "broken", "failures": 99}}


def test_admins_see_failed_jobs_and_retry_them_once(app, org, client, login):
    ws_id = org.workspace.id
    enqueue(flaky, workspace_id=ws_id, name="twice-broken", failures=3)
    db.session.commit()
    run_pending(app)
    login(org.people["admin"])
    page = client.get("/w/acme/jobs").get_data(as_text=True)
    assert "flaky" in page and "attempt 3 of twice-broken failed" in page and "Retry" in page
    failure = db.session.scalars(sa.select(JobFailure)).one()
    answer = client.post(f"/w/acme/jobs/{failure.id}/retry")
    assert answer.status_code == 302
    assert run_pending(app) == 1 and ATTEMPTS["twice-broken"] == 4  # it works this time
    db.session.refresh(failure)
    assert failure.retried_at is not None and failure.retried_by_id == org.people["admin"].id
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "job.retry"))
    client.post(f"/w/acme/jobs/{failure.id}/retry")  # a second click queues nothing
    assert _pending(app) == 0
    assert "already retried" in client.get("/w/acme/jobs").get_data(as_text=True)
    assert "Retried" in client.get("/w/acme/jobs").get_data(as_text=True)


def test_the_jobs_page_is_empty_and_says_so(client, login, org):
    login(org.people["admin"])
    page = client.get("/w/acme/jobs")
    assert page.status_code == 200
    assert "No background job has failed" in page.get_data(as_text=True)
    assert client.get("/w/acme/jobs?page=x").status_code == 400


def _consumer(database_url: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "cascade", "worker", "--no-periodic"],
        env={k: v for k, v in os.environ.items() if k != "PYTHONTRACEMALLOC"}
        | {"CASCADE_DATABASE_URL": database_url,
                          "CASCADE_SECRET_KEY": "t" * 32} | env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for_record(ws_id: int, as_of: date, seconds: float = 30) -> ScoreRecord | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()
        found = db.session.scalar(sa.select(ScoreRecord).where(
            ScoreRecord.workspace_id == ws_id, ScoreRecord.as_of == as_of))
        if found is not None:
            return found
        time.sleep(0.2)
    return None


@pytest.mark.committed  # the worker is another process
@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_a_separate_worker_runs_the_jobs_of_the_web_app(database_url, org, tmp_path, queue):
    """The web app (here the test's) and `flask worker` share a queue; the job's result is
    in the shared database."""
    settings = {"JOBS_QUEUE": queue, "JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite"),
                "JOBS_QUEUE_NAME": f"test-{secrets.token_hex(4)}",
                "REDIS_URL": "redis://127.0.0.1:6379/0"}
    ws_id = org.workspace.id  # read in the test's own app context, not the web app's
    db.session.rollback()
    web = create_app(_config(database_url) | settings)
    worker = _consumer(database_url, {f"CASCADE_{k}": v for k, v in settings.items()})
    try:
        with web.app_context():
            enqueue(findings_jobs.snapshot_workspace, workspace_id=ws_id, as_of="2026-02-02")
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        found = _wait_for_record(ws_id, date(2026, 2, 2))
        assert found is not None, "the worker did not run the job"
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0]
    assert worker.returncode == 0, output
    assert f"{queue} queue" in output
    if queue == "redis":
        with web.app_context():
            jobs_of(web).huey.storage.flush_all()

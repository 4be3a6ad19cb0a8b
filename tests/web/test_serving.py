"""Issue 13, part 1: the production server, health endpoints, compression, forwarded headers."""

from __future__ import annotations

import gzip
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cascade import create_app
from cascade.db import db
from cascade.serving.gunicorn import default_workers
from tests.conftest import _config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def make_app(database_url):
    """More apps (on the test database unless told otherwise), closed after the test."""
    made = []

    def make(url=None, **extra):
        made.append(create_app(_config(url or database_url) | extra))
        return made[-1]
    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_liveness_answers_without_sign_in(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json == {"status": "alive"}
    assert answer.headers["Cache-Control"] == "no-store"


def test_readiness_checks_the_database_and_dot(client, app):
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.json
    checks = answer.json["checks"]
    assert set(checks) == {"database", "dot"}  # no Redis configured, none checked
    assert checks["database"] == {"ok": True, "detail": app.extensions["sqlalchemy"]
                                  .engines[None].dialect.name}
    assert checks["dot"]["ok"] and "graphviz" in checks["dot"]["detail"].lower()


def test_readiness_fails_without_dot(client, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no dot to be found
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json["status"] == "not ready"
    assert answer.json["checks"]["dot"] == {"ok": False, "detail": "FileNotFoundError"}
    assert answer.json["checks"]["database"]["ok"]


def test_readiness_checks_redis_when_configured(make_app):
    up = make_app(REDIS_URL="redis://127.0.0.1:6379/0")
    assert up.test_client().get("/readyz").json["checks"]["redis"] == {"ok": True,
                                                                       "detail": "ping"}
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    down = make_app(REDIS_URL=f"redis://127.0.0.1:{port}/0")
    answer = down.test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json["checks"]["redis"] == {"ok": False, "detail": "ConnectionError"}


def test_readiness_fails_when_the_database_does_not_answer(database_url, make_app):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    url = (f"sqlite:////nonexistent-{port}/dir/cascade.sqlite" if database_url.startswith(
        "sqlite") else f"postgresql+psycopg://postgres@127.0.0.1:{port}/none")
    app = make_app(url, DATABASE_CONNECT_TIMEOUT=1)
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json["checks"]["database"] == {"ok": False, "detail": "OperationalError"}


def test_pages_are_compressed_for_browsers_that_accept_it(client, login, org):
    login(org.people["admin"])
    plain = client.get("/w/acme/units")
    packed = client.get("/w/acme/units", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2
    assert "Content-Encoding" not in plain.headers


def test_forwarded_headers_are_believed_only_when_configured(make_app):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "cascade.example",
               "X-Forwarded-For": "203.0.113.9"}
    seen = []
    for proxies in (0, 1):
        app = make_app(TRUSTED_PROXIES=proxies)

        @app.get("/probe")
        def probe():
            from flask import request
            seen.append((request.url, request.remote_addr))
            return ""
        app.test_client().get("/probe", headers=headers)
    assert seen == [("http://localhost/probe", "127.0.0.1"),
                    ("https://cascade.example/probe", "203.0.113.9")]


def test_workers_are_sized_for_the_machine():
    assert default_workers(1) == 2  # never a single worker
    assert default_workers(4) == 4
    assert default_workers(64) == 8


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, **headers) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


@pytest.fixture
def gunicorn(database_url, tmp_path):
    """Cascade under gunicorn with `make run`'s settings, on a free port of the loopback."""
    port = _free_port()
    env = os.environ | {"CASCADE_DATABASE_URL": database_url, "CASCADE_SECRET_KEY": "t" * 32,
                        "CASCADE_SESSION_COOKIE_SECURE": "false", "CASCADE_WORKERS": "2",
                        "CASCADE_THREADS": "2", "CASCADE_JOBS_QUEUE": "sqlite",
                        "CASCADE_JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite")}
    log = (tmp_path / "gunicorn.log").open("w+")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:cascade.serving.gunicorn",
         "--bind", f"127.0.0.1:{port}", "cascade:create_app()"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(base + "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        log.seek(0)
        pytest.fail(f"gunicorn did not start: {log.read()}")
    yield base, log, tmp_path / "jobs.sqlite"
    process.send_signal(signal.SIGTERM)
    assert process.wait(40) == 0
    log.seek(0)
    for pid in re.findall(r"Started the job consumer \(pid (\d+)\)", log.read()):
        with pytest.raises(ProcessLookupError):  # stopped with gunicorn
            os.kill(int(pid), 0)
    log.close()


def test_gunicorn_serves_cascade_with_an_access_log(gunicorn):
    base, log, _ = gunicorn
    status, body, _ = _get(base + "/readyz")
    assert status == 200, body
    status, body, headers = _get(base + "/sign-in", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert b"Sign in" in gzip.decompress(body)
    time.sleep(0.5)
    log.seek(0)
    written = log.read()
    assert written.count("Booting worker") == 2
    assert "Control socket" not in written  # one path per user: two servers would collide
    assert '"GET /readyz HTTP/1.1" 200' in written


@pytest.mark.committed  # gunicorn's consumer is another process
def test_gunicorn_runs_the_jobs_with_no_worker_started_by_hand(gunicorn, make_app, org):
    """`make run`'s server starts a consumer beside its workers: a job queued by the web
    app runs, with nothing else started."""
    from datetime import date

    import sqlalchemy as sa

    from cascade.findings.jobs import snapshot_workspace
    from cascade.jobs import enqueue
    from cascade.models import ScoreRecord

    _, log, queue = gunicorn
    ws_id = org.workspace.id
    db.session.rollback()
    web = make_app(JOBS_QUEUE="sqlite", JOBS_SQLITE_PATH=str(queue))
    with web.app_context():
        enqueue(snapshot_workspace, workspace_id=ws_id, as_of="2026-04-04")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        db.session.rollback()
        if db.session.scalar(sa.select(ScoreRecord).where(ScoreRecord.workspace_id == ws_id,
                                                         ScoreRecord.as_of == date(2026, 4, 4))):
            break
        time.sleep(0.2)
    else:
        log.seek(0)
        pytest.fail(f"the job did not run: {log.read()[-3000:]}")


def test_sqlite_can_run_in_wal_mode_so_readers_never_wait_for_a_writer(tmp_path, make_app):
    import sqlalchemy as sa

    app = make_app(f"sqlite:///{tmp_path / 'wal.sqlite'}", SQLITE_JOURNAL_MODE="wal")
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(sa.text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        writer = db.engine.connect()
        writer.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        writer.commit()
        writer.exec_driver_sql("BEGIN IMMEDIATE")
        writer.exec_driver_sql("INSERT INTO t VALUES (1)")
        with db.engine.connect() as reader:  # reads at once, the writer's row not yet seen
            assert reader.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
        writer.rollback()
        writer.close()
    with pytest.raises(RuntimeError, match="SQLITE_JOURNAL_MODE"):
        make_app(f"sqlite:///{tmp_path / 'other.sqlite'}", SQLITE_JOURNAL_MODE="fast")

"""A workspace served by gunicorn on the loopback, as `make run` serves it, for the
benchmarks that measure through HTTP (`load`, `pages`).

`database` makes a scratch database (a SQLite file, or a fresh PostgreSQL database dropped
after), `prepare` loads a workspace into it and stores its analysis in a separate process,
`serve` starts gunicorn with the job consumer beside it and waits until it is ready,
`cookie` signs a session for a person as the app does, `stop` ends the server.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_ADMIN = os.environ.get("CASCADE_TEST_POSTGRES_URL",
                                "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SECRET = secrets.token_hex(32)

# the workspace (`size` None: the demo; else the synthetic organisation of that size) and
# its analysis, stored as the first page of a workspace stores it; leaves `ws` for THEN
LOAD = """
import json, sys
from flask_migrate import upgrade
import sqlalchemy as sa
from cascade import create_app, clock
from cascade.db import db, without_time_limit
from cascade.models import Membership, Node, Person, Workspace
app = create_app()
with app.app_context():
    upgrade()
    size = {size!r}
    if size is None:
        from cascade.interchange import demo
        from cascade.organisation.passwords import hash_password
        demo.install(hash_password("x"), clock.now())
        slug = demo.SLUG
    else:
        from benchmarks.organisation import document
        from cascade import interchange
        doc = document(size)
        doc["workspace"]["slug"] = slug = {slug!r}
        interchange.load(doc)
    db.session.commit()
    ws = db.session.scalar(sa.select(Workspace).where(Workspace.slug == slug))
    without_time_limit(db.session.connection())
{before}
    from cascade.findings.analysis import analysis_of
    analysis_of(ws, clock.today(), fresh=True)
{then}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env(url: str, queue: Path, **settings: str) -> dict:
    """The server's environment: `make run`'s settings on this database and job queue."""
    return os.environ | {"CASCADE_DATABASE_URL": url, "CASCADE_SECRET_KEY": SECRET,
                         "CASCADE_SESSION_COOKIE_SECURE": "false",
                         "CASCADE_REMEMBER_COOKIE_SECURE": "false",
                         "CASCADE_SQLITE_JOURNAL_MODE": "wal", "CASCADE_JOBS_QUEUE": "sqlite",
                         "CASCADE_JOBS_SQLITE_PATH": str(queue)} | settings


def prepare(url: str, size: int | None, queue: Path, then: str, before: str = "",
            slug: str = "load") -> dict:
    """Migrate, load the workspace, run `before` (with `ws`), store the analysis, run
    `then`, which prints one line `PREPARED <json>`: that JSON. Both are Python statements
    at the indentation of an app context's body."""
    def body(code: str) -> str:
        return textwrap.indent(textwrap.dedent(code), "    ")
    code = LOAD.format(size=size, slug=slug, before=body(before), then=body(then))
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env(url, queue),
                          capture_output=True, text=True, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("PREPARED ")), None)
    if line is None:
        raise RuntimeError(f"preparing failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(line[len("PREPARED "):])


def cookie(user: str) -> str:
    """A signed session cookie for `user`, as the app signs it (Flask's own session
    interface with the server's secret)."""
    from flask import Flask

    signer = Flask(__name__)
    signer.secret_key = SECRET
    return signer.session_interface.get_signing_serializer(signer).dumps(
        {"_user_id": user, "_fresh": True})


def serve(url: str, queue: Path, port: int, **settings: str) -> subprocess.Popen:
    """gunicorn as `make run` starts it (no access log), ready to answer; `settings` are
    further environment variables."""
    with open(queue.with_suffix(".log"), "w") as log:  # the server keeps its own descriptor
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c",
             "python:cascade.serving.gunicorn", "--bind", f"127.0.0.1:{port}",
             "--access-logfile", "/dev/null", "cascade:create_app()"],
            cwd=ROOT, env=env(url, queue, **settings), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/readyz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
        finally:
            connection.close()
    process.kill()
    raise RuntimeError(f"gunicorn did not start; see {queue.with_suffix('.log')}")


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn (close the connections to it first: its graceful stop waits for them)."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()


def database(backend: str, work: Path) -> tuple[str, callable]:
    """A scratch database's URL and the function that drops it."""
    if backend == "sqlite":
        return f"sqlite:///{work / 'load.sqlite'}", lambda: None
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"cascade_load_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return admin.url.set(database=name).render_as_string(hide_password=False), drop

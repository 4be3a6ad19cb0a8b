"""Issue 14's durability check, and problem 11: the server is killed with SIGKILL while
people write notes; every write it acknowledged is still there after a restart, a browser's
retry of a write that got no answer is stored once, and the database checks clean.
CASCADE_KILL_TRIALS sets the number of kills (3 by default)."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest
import sqlalchemy as sa

from cascade.db import db
from cascade.models import Note
from tests.factories import PASSWORD, make_node

TRIALS = int(os.environ.get("CASCADE_KILL_TRIALS", "3"))
WRITERS = 4


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(url: str, port: int) -> subprocess.Popen:
    env = dict(os.environ, CASCADE_DATABASE_URL=url, CASCADE_SECRET_KEY="durability",
               CASCADE_WTF_CSRF_ENABLED="false", CASCADE_SESSION_COOKIE_SECURE="false",
               CASCADE_RATELIMIT_ENABLED="false")
    server = subprocess.Popen([sys.executable, "-m", "flask", "--app", "cascade", "run",
                               "--port", str(port), "--with-threads", "--no-reload",
                               "--no-debugger"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the server did not start")


def _post(port: int, path: str, form: dict, cookie: str = "") -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", path, body=urllib.parse.urlencode(form), headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Set-Cookie") or ""
    finally:
        connection.close()


def _note(i: str, unit_id: int) -> dict:
    return {"submission": secrets.token_urlsafe(18), "kind": "execution",
            "stance": "support", "unit": unit_id, "body": f"durable {i}"}


@pytest.mark.committed  # another process serves, and is killed
def test_acknowledged_notes_survive_kill_9_and_retries_store_once(app, org, database_url):
    make_node(org.workspace, org.units["checkout"], "goal", "Goal")
    db.session.commit()
    unit_id = org.units["checkout"].id
    port = _free_port()
    server = _start(database_url, port)
    status, cookie = _post(port, "/sign-in", {"email": "sam@acme.test", "password": PASSWORD})
    assert status == 302
    cookie = re.search(r"session=[^;]+", cookie).group(0)
    done: list[dict] = []  # acknowledged
    unanswered: list[dict] = []
    lock = threading.Lock()
    try:
        for trial in range(TRIALS):
            stop = threading.Event()

            def write(writer: int, trial: int = trial, stop: threading.Event = stop) -> None:
                n = 0
                while not stop.is_set():
                    form = _note(f"{trial}-{writer}-{n}", unit_id)
                    n += 1
                    try:
                        status, _ = _post(port, "/w/acme/nodes/goal/notes", form, cookie)
                    except (OSError, http.client.HTTPException):
                        # killed before or while answering: the browser saw no answer
                        with lock:
                            unanswered.append(form)
                        return
                    with lock:
                        (done if status == 302 else unanswered).append(form)
            threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
            for thread in threads:
                thread.start()
            time.sleep(0.6 + 0.3 * trial)
            server.send_signal(signal.SIGKILL)  # mid-write, no goodbye
            server.wait(10)
            stop.set()
            for thread in threads:
                thread.join(15)
            server = _start(database_url, port)
            for form in unanswered:  # the browser retries what got no answer
                assert _post(port, "/w/acme/nodes/goal/notes", form, cookie)[0] == 302
            done.extend(unanswered)
            unanswered.clear()
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(10)
    db.session.expire_all()
    stored = dict(db.session.execute(sa.select(Note.body, sa.func.count(Note.id))
                                     .group_by(Note.body)).all())
    bodies = [form["body"] for form in done]
    lost = [b for b in bodies if b not in stored]
    doubled = [b for b, count in stored.items() if count > 1]
    print(f"kill -9: {TRIALS} trials, {len(bodies)} acknowledged writes, {len(lost)} lost, "
          f"{len(doubled)} stored twice")
    assert len(bodies) >= 10 * TRIALS and not lost and not doubled
    assert set(stored) == set(bodies)  # nothing stored that nobody asked for
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        else:
            assert connection.exec_driver_sql(
                "SELECT count(*) FROM note LEFT JOIN node ON node.id = note.node_id "
                "WHERE node.id IS NULL").scalar() == 0

"""Issue 14, problem 9: a database that stops answering costs a request seconds and a clear
503, not minutes: a statement held up past the statement timeout, a PostgreSQL reached
through a proxy that stops forwarding, SQLite's write lock held by someone else."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import sqlalchemy as sa

from cascade.db import db


def _is(backend: str) -> bool:
    return db.engine.dialect.name == backend


def _assert_unavailable(answer, elapsed: float, most: float) -> None:
    assert answer.status == 503, answer.body[:300]
    assert "The database is not answering just now" in answer.body
    assert elapsed < most, f"took {elapsed:.1f} s"


def test_a_statement_held_past_the_timeout_is_a_503(served, org, database_url):
    server = served(DATABASE_STATEMENT_TIMEOUT=1, DATABASE_CONNECT_TIMEOUT=1)
    sam = server.browser(org.people["member"])
    assert sam.get("/w/acme/").status == 200
    db.session.rollback()  # the test's own reads hold no lock the blocker would wait for
    blocker = sa.create_engine(database_url)
    with blocker.connect() as conn:
        if _is("postgresql"):  # like a long pg_sleep holding what every page reads
            conn.exec_driver_sql("BEGIN; LOCK TABLE person IN ACCESS EXCLUSIVE MODE")
        else:
            conn.exec_driver_sql("BEGIN EXCLUSIVE")
        started = time.perf_counter()
        answer = sam.get("/w/acme/")
        elapsed = time.perf_counter() - started
        conn.exec_driver_sql("ROLLBACK")
    blocker.dispose()
    _assert_unavailable(answer, elapsed, 4)
    assert sam.get("/w/acme/").status == 200  # and back as soon as the database is


class PausingProxy:
    """A TCP relay to PostgreSQL that can stop forwarding, as a server that hangs would."""

    def __init__(self, port: int = 5432) -> None:
        self.target = port
        self.forwarding = threading.Event()
        self.forwarding.set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                self.forwarding.wait()
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.close()
                except OSError:
                    pass

    def close(self) -> None:
        self.closed = True
        self.forwarding.set()
        self.listener.close()


def test_a_postgresql_that_stops_answering_is_a_503_within_seconds(served, org, database_url):
    if not _is("postgresql"):
        pytest.skip("a TCP proxy stands for a PostgreSQL server; SQLite is a file")
    proxy = PausingProxy()
    url = sa.make_url(database_url).set(host="127.0.0.1", port=proxy.port)
    try:
        server = served(SQLALCHEMY_DATABASE_URI=url.render_as_string(hide_password=False),
                        DATABASE_CONNECT_TIMEOUT=2, DATABASE_STATEMENT_TIMEOUT=2)
        sam = server.browser(org.people["member"])
        assert sam.get("/w/acme/").status == 200
        proxy.forwarding.clear()
        with server.app.app_context():
            db.engine.dispose()  # the next request must connect again, through the silence
        started = time.perf_counter()
        answer = sam.get("/w/acme/")
        _assert_unavailable(answer, time.perf_counter() - started, 8)
        proxy.forwarding.set()
        assert sam.get("/w/acme/").status == 200
    finally:
        proxy.close()

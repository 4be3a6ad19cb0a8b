"""Fixtures: a real database per backend (SQLite file and a fresh PostgreSQL database),
the schema built by the migrations, one app per backend for the whole run, and people to
sign in as.

Isolation. Each test runs inside an outer transaction on one connection that is rolled
back at the end: every session of the shared app (the test's own and each request's) is
bound to that connection with `join_transaction_mode="create_savepoint"`, so the code's own
commits and rollbacks are savepoints inside it. Between tests the in-process caches and
counters are forgotten, and `app.config` and `app.extensions` are put back as they were.

Markers (registered in pyproject.toml):

- `committed`: real commits, every table emptied afterwards — for tests whose data must be
  seen by another connection, thread, process or server (a served app, the browser,
  subprocesses, kill -9, backup and restore, races). Tests using `served`, `live_server`
  or `page` get it by themselves.
- `app_config(**settings)`: the test gets an app of its own built with these settings
  (still rolled back unless also `committed`); `fresh_app(**settings)` builds further ones.
- `real_password_hashing`: argon2 with the production parameters; otherwise the suite
  hashes with the lightest argon2 parameters, which verify and rehash the same way.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession

from cascade import create_app
from cascade.db import db

POSTGRES_ADMIN_URL = os.environ.get(
    "CASCADE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

pytest_plugins = ["tests.factories", "tests.serving", "tests.receivers"]

SELF_COMMITTING = {"served", "live_server", "page"}  # fixtures whose data other threads read


def pytest_configure(config):
    """An empty instance folder, so a developer's `instance/config.py` (from `make run`)
    never reaches the suite; hypothesis: `quick` here, `thorough` in CI (tests/profiles.py)."""
    from tests import profiles

    folder = Path(tempfile.mkdtemp(prefix="cascade-tests-")) / "instance"
    folder.mkdir()
    config._cascade_instance = folder.parent
    os.environ["CASCADE_INSTANCE_PATH"] = str(folder)
    profiles.load()


def pytest_report_header(config):
    from tests import profiles
    return f"hypothesis profile: {profiles.current}"


def pytest_unconfigure(config):
    folder = getattr(config, "_cascade_instance", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_collection_modifyitems(items):
    for item in items:
        if SELF_COMMITTING & set(getattr(item, "fixturenames", ())) \
                and item.get_closest_marker("committed") is None:
            item.add_marker(pytest.mark.committed)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """One migrated database per backend for the whole run; PostgreSQL's is created and dropped."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'cascade.sqlite'}"
        _migrate(url)
        yield url
        return
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"cascade_test_{secrets.token_hex(4)}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        pytest.exit(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: start it (see "
                    f".ci/run) or set CASCADE_TEST_POSTGRES_URL. {error}", returncode=3)
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        _migrate(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _config(url: str) -> dict:
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app(_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


class RequestClient(FlaskClient):
    """Each request runs in its own app context — a fresh `g` and database session — as it
    would in production; afterwards the test's own session reads fresh data."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


class _Outer:
    """The connection, and its open transaction, that a rolled-back test runs in."""

    active: dict = {}  # engine -> connection, for the test now running

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.connection = engine.connect()
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # pysqlite begins transactions on its own and would let the first RELEASE
            # commit; with the driver in autocommit, BEGIN and SAVEPOINT are ours alone
            self.connection.execution_options(isolation_level="AUTOCOMMIT")
        self.transaction = self.connection.begin()
        if sqlite:
            self.connection.exec_driver_sql("BEGIN")
        _Outer.active[engine] = self.connection

    def close(self) -> None:
        _Outer.active.pop(self.engine, None)
        if self.connection.dialect.name == "sqlite":
            self.connection.exec_driver_sql("ROLLBACK")
        self.transaction.rollback()
        self.connection.close()


def _get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
    """Flask-SQLAlchemy's choice of engine, then the test's connection in place of that
    engine when the test runs in an outer transaction on it (any other engine — another
    app's, another bind's — is left as chosen)."""
    chosen = FlaskSession.get_bind(self, mapper=mapper, clause=clause, bind=bind, **kwargs)
    return _Outer.active.get(chosen, chosen)


# the sessions db.session makes (this suite's only): bound through the outer transaction
db.session.session_factory.class_.get_bind = _get_bind
db.session.session_factory.configure(join_transaction_mode="create_savepoint")


def _build(url: str, **config):
    app = create_app(_config(url) | config)
    app.test_client_class = RequestClient
    return app


def forget(app) -> None:
    """Every in-process cache, counter and queue back to empty: the kept analyses, the
    rendered graphs, the jobs waiting in memory, the sign-in counts."""
    for name in ("cascade_analyses", "cascade_analyses_asked"):
        if (kept := app.extensions.get(name)) is not None:
            kept.clear()
    graphs = app.extensions.get("cascade_graph_cache")
    if graphs is not None:
        graphs.clear()
    jobs = app.extensions.get("cascade_jobs")
    if jobs is not None and jobs.kind == "memory":
        jobs.huey.flush()  # the in-memory queue of jobs nothing consumed
    counter = app.extensions.get("cascade.throttle")
    if counter is not None:
        counter.memory.storage.reset()
        counter.down_until = 0.0
    from limits.storage import MemoryStorage

    from cascade.extensions import limiter
    if isinstance(getattr(limiter, "_storage", None), MemoryStorage):
        limiter._storage.reset()  # Flask-Limiter's own counts (one limiter for every app)


def close_connections(extension) -> None:
    """Close the Redis connections an extension opened (the graph cache's, the sign-in
    counter's, the job queue's), so no socket is left for the garbage collector to warn
    about."""
    for client in (getattr(extension, "_redis", None),
                   getattr(getattr(getattr(extension, "shared", None), "storage", None),
                           "storage", None),
                   getattr(getattr(getattr(extension, "huey", None), "storage", None),
                           "conn", None)):
        if client is not None and hasattr(client, "close"):
            client.close()
            pool = getattr(client, "connection_pool", None)
            if pool is not None:
                pool.disconnect()


def shut(app) -> None:
    """Tear an app down: its sessions, engines, caches and Redis connections."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    forget(app)
    for extension in app.extensions.values():
        close_connections(extension)


@pytest.fixture(scope="session")
def shared_app(database_url):
    """The backend's one app for the whole run (a fresh app's first page costs ~20× a warm
    one's); tests get it through `app`."""
    app = _build(database_url)
    yield app
    shut(app)


def _empty_tables() -> None:
    tables = [t for t in db.metadata.sorted_tables]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())


@pytest.fixture
def app(request, database_url):
    """An app bound to the backend's database, inside a transaction rolled back after the
    test (or, marked `committed`, with real commits and every table emptied after)."""
    marker = request.node.get_closest_marker("app_config")
    own = marker is not None
    app = _build(database_url, **marker.kwargs) if own else \
        request.getfixturevalue("shared_app")
    config, extensions = dict(app.config), dict(app.extensions)
    committed = request.node.get_closest_marker("committed") is not None
    forget(app)
    with app.app_context():
        outer = None if committed else _Outer(db.engine)
        try:
            yield app
        finally:
            db.session.remove()
            if outer is not None:
                outer.close()
            else:
                _empty_tables()
                db.engine.dispose()
    for name, extension in list(app.extensions.items()):
        if extensions.get(name) is not extension:
            close_connections(extension)
    app.config.clear()
    app.config.update(config)
    app.extensions.clear()
    app.extensions.update(extensions)
    forget(app)
    if own:
        shut(app)


@pytest.fixture
def fresh_app(app):
    """`fresh_app(**settings)`: another app on the test's database, built with these
    settings and torn down after the test. In a rolled-back test its engine, too, goes
    through the test's connection, so it sees what the test wrote."""
    made = []
    outer = _Outer.active.get(_engine_of(app))

    def build(**config):
        other = _build(app.config["SQLALCHEMY_DATABASE_URI"], **config)
        made.append(other)
        if outer is not None:
            _Outer.active[_engine_of(other)] = outer
        return other
    yield build
    for other in made:
        _Outer.active.pop(_engine_of(other), None)
        shut(other)


def _engine_of(app) -> sa.Engine:
    with app.app_context():
        return db.engine


@pytest.fixture(autouse=True)
def _light_password_hashing(request, monkeypatch):
    """argon2 at its lightest parameters unless the test is `real_password_hashing`."""
    if request.node.get_closest_marker("real_password_hashing") is not None:
        return
    from argon2 import PasswordHasher

    from cascade.organisation import passwords
    monkeypatch.setattr(passwords, "hasher",
                        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """Sign a person in on the test client without spending an argon2 hash each time; the
    user the test's own app context remembered from an earlier request is forgotten."""
    def sign_in(person, on=None):
        g.pop("_login_user", None)
        target = on or client
        with target.session_transaction() as session:
            session["_user_id"] = person.get_id()
            session["_fresh"] = True
        return target
    return sign_in


@pytest.fixture
def csrf_app(app):
    """The app with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@pytest.fixture
def count_queries(app):
    """Counts the SQL statements run inside the `with` block: the code's own, not the
    savepoints that stand in for its BEGIN and COMMIT inside the test's transaction (the
    driver's BEGIN and COMMIT are not statements either)."""
    class Counter:
        def __init__(self):
            self.count = 0

        def __enter__(self):
            sa.event.listen(db.engine, "before_cursor_execute", self._seen)
            return self

        def __exit__(self, *exc):
            sa.event.remove(db.engine, "before_cursor_execute", self._seen)

        def _seen(self, conn, cursor, statement, *args, **kwargs):
            if not statement.startswith(SAVEPOINTS):
                self.count += 1
    return Counter


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on a free local port, for the browser (`committed`)."""
    from tests.serving import serve_http  # a plugin module: imported by pytest, not here first

    app.config["WTF_CSRF_ENABLED"] = True
    server = serve_http(app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CASCADE_CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.exit(f"Chromium not found at {executable}: run `make tools`", returncode=3)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert not errors, f"the page reported errors: {errors}"

"""Fixtures: a real database per backend (SQLite file and a fresh PostgreSQL database),
the schema built by the migrations, one app per test, and people to sign in as."""

from __future__ import annotations

import os
import secrets
import threading

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from cascade import create_app
from cascade.db import db

POSTGRES_ADMIN_URL = os.environ.get(
    "CASCADE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

pytest_plugins = ["tests.factories", "tests.serving", "tests.receivers"]


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


@pytest.fixture
def app(database_url):
    """An app bound to the backend's database; every table is emptied after the test."""
    app = create_app(_config(database_url))
    app.test_client_class = RequestClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


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
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """Sign a person in on the test client without spending an argon2 hash each time."""
    def sign_in(person, on=None):
        target = on or client
        with target.session_transaction() as session:
            session["_user_id"] = person.get_id()
            session["_fresh"] = True
        return target
    return sign_in


@pytest.fixture
def csrf_app(database_url):
    """An app with CSRF protection on, as in production."""
    config = _config(database_url) | {"WTF_CSRF_ENABLED": True}
    app = create_app(config)
    app.test_client_class = RequestClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def count_queries(app):
    """Counts the SQL statements run inside the `with` block."""
    class Counter:
        def __init__(self):
            self.count = 0

        def __enter__(self):
            sa.event.listen(db.engine, "before_cursor_execute", self._seen)
            return self

        def __exit__(self, *exc):
            sa.event.remove(db.engine, "before_cursor_execute", self._seen)

        def _seen(self, *args, **kwargs):
            self.count += 1
    return Counter


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on a free local port, for the browser."""
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
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

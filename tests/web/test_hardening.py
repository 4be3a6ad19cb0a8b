"""Web hardening: rate-limited sign-in, session lifetimes, CSRF, headers, cookie flags and
a request size limit."""

import re
import secrets
import time

import pytest
import redis
import sqlalchemy as sa

from cascade import create_app
from cascade.db import db
from cascade.models import Unit
from tests.factories import PASSWORD

TOO_MANY = "Too many sign-in attempts"


@pytest.fixture
def limited_app(fresh_app):
    """More apps on the same database, with sign-in limits on (3 a minute)."""
    def make(**extra):
        return fresh_app(**{"RATELIMIT_ENABLED": True, "SIGNIN_LIMITS": "3 per minute",
                            "SIGNIN_ADDRESS_LIMITS": "3 per minute",
                            "SIGNIN_ACCOUNT_LIMITS": "3 per minute", **extra})
    return make


def attempt(client, email, password="wrong password", address="10.0.0.1"):
    return client.post("/sign-in", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_failed_sign_ins_are_limited_per_account_across_addresses(limited_app, org):
    """For browsers the account does not know; one it signed in from is never kept out."""
    app = limited_app()
    known = app.test_client()
    assert attempt(known, "sam@acme.test", PASSWORD, address="10.0.0.8").status_code == 302
    known.post("/sign-out")
    client = app.test_client()
    for n in range(3):
        assert attempt(client, "sam@acme.test", address=f"10.0.0.{n}").status_code == 401
    refused = attempt(client, "sam@acme.test", PASSWORD, address="10.0.0.9")
    assert refused.status_code == 429 and TOO_MANY in refused.get_data(as_text=True)
    assert attempt(client, "lea@acme.test", PASSWORD, address="10.0.0.9").status_code == 302
    assert attempt(known, "sam@acme.test", PASSWORD, address="10.0.0.99").status_code == 302


def test_failed_sign_ins_are_limited_per_address_across_accounts(limited_app, org):
    client = limited_app().test_client()
    for email in ("a@acme.test", "b@acme.test", "c@acme.test"):
        assert attempt(client, email).status_code == 401
    refused = attempt(client, "sam@acme.test", PASSWORD)
    assert refused.status_code == 429
    assert attempt(client, "sam@acme.test", PASSWORD, address="10.0.0.2").status_code == 302


def test_limited_answer_is_the_same_for_known_and_unknown_accounts(limited_app, org):
    client = limited_app().test_client()
    pages = []
    for email in ("sam@acme.test", "nobody@acme.test"):
        for n in range(4):
            response = attempt(client, email, address=f"10.1.{len(pages)}.{n}")
        pages.append((response.status_code, response.get_data(as_text=True)
                      .replace(email, "EMAIL")))
    assert pages[0] == pages[1] and pages[0][0] == 429


def test_successful_sign_ins_do_not_count(limited_app, org):
    app = limited_app()
    for _ in range(4):  # one more than the limit
        assert attempt(app.test_client(), "sam@acme.test", PASSWORD).status_code == 302


def test_limits_are_kept_in_redis_when_configured(limited_app, org, monkeypatch):
    url = "redis://127.0.0.1:6379/0"
    email = f"guess-{secrets.token_hex(6)}@acme.test"  # keys of our own in a shared Redis,
    net = f"fd00:{secrets.token_hex(2)}:{secrets.token_hex(2)}:"  # addresses too
    monkeypatch.setenv("CASCADE_REDIS_URL", url)
    server = redis.Redis.from_url(url)
    try:
        app = limited_app()
        # the environment variable, read by the factory, chose the storage
        assert app.config["RATELIMIT_STORAGE_URI"] == url
        client = app.test_client()
        for n in range(3):
            attempt(client, email, address=f"{net}:{n}")
        assert attempt(client, email, address=f"{net}:9").status_code == 429
        assert server.keys(f"*{email}*")
        # another app process sharing the Redis sees the same count
        other = limited_app().test_client()
        assert attempt(other, email, address=f"{net}1:1").status_code == 429
    finally:
        for pattern in (f"*{email}*", f"*{net}*"):
            for key in server.scan_iter(pattern):
                server.delete(key)
        server.close()


def test_idle_session_expires(app, client, login, org):
    login(org.people["member"])
    assert client.get("/w/acme/").status_code == 200
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 61 * 60
    with app.app_context():
        response = client.get("/w/acme/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    with app.app_context():
        assert "Your session expired" in client.get("/sign-in").get_data(as_text=True)


def test_session_ends_after_the_absolute_limit_even_when_busy(app, client, login, org):
    login(org.people["member"])
    client.get("/w/acme/")
    with client.session_transaction() as session:
        session["started_at"] = time.time() - 12 * 3600 - 60
    with app.app_context():
        assert client.get("/w/acme/").status_code == 302


def test_the_session_cookie_is_rewritten_once_a_minute_not_on_every_request(client, login, org):
    login(org.people["member"])
    client.get("/w/acme/")
    assert "Set-Cookie" not in client.get("/w/acme/").headers  # nothing new to say
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 61
    renewed = client.get("/w/acme/")
    assert "session=" in renewed.headers["Set-Cookie"]
    with client.session_transaction() as session:
        assert time.time() - session["seen_at"] < 5


def test_recent_activity_keeps_the_session(app, client, login, org):
    login(org.people["member"])
    with client.session_transaction() as session:
        session["started_at"] = time.time() - 11 * 3600
        session["seen_at"] = time.time() - 59 * 60
    assert client.get("/w/acme/").status_code == 200


def csrf_token(client, url):
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("url, data", [
    ("/sign-in", {"email": "sam@acme.test", "password": PASSWORD}),
    ("/w/acme/units/new", {"name": "Forged", "parent": ""}),
    ("/workspaces/new", {"name": "Forged", "slug": "forged"}),
    ("/sign-out", {}),
])
def test_forms_without_a_csrf_token_are_refused(csrf_app, org, url, data):
    client = csrf_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = org.people["admin"].get_id()
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Unit).where(Unit.name == "Forged")) is None


def test_forms_with_the_token_work(csrf_app, org):
    client = csrf_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = org.people["admin"].get_id()
    token = csrf_token(client, "/w/acme/units/new")
    response = client.post("/w/acme/units/new",
                           data={"name": "Real", "parent": "", "csrf_token": token})
    assert response.status_code == 302


def test_security_headers_on_every_response(client, org):
    for response in (client.get("/"), client.get("/sign-in"), client.get("/no-such-page")):
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_carry_no_inline_script_or_style(client, login, org):
    login(org.people["admin"])
    for url in ("/", "/account", "/workspaces/new", "/w/acme/", "/w/acme/units",
                "/w/acme/units/new", "/w/acme/people", "/w/acme/audit"):
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert not re.search(r"\s(style|on[a-z]+)=", page), url


def test_oversized_requests_are_refused(client, org):
    body = b"x" * (8 * 1024 * 1024 + 1)
    response = client.post("/sign-in", data=body, content_type="application/octet-stream")
    assert response.status_code == 413


def test_session_cookie_is_httponly_lax_and_secure_outside_development(database_url,
                                                                       monkeypatch):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "s" * 32})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    with app.app_context():
        cookie = app.test_client().get("/sign-in").headers["Set-Cookie"]
        db.engine.dispose()
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_development_cookies_work_over_plain_http(app):
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"

"""Issue 14, problem 6: sign-in limits that slow guessing without locking the real person
out, count one address however it is spelled, survive Redis going away, and believe
forwarded headers only when told to."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD


@pytest.fixture
def make_app(fresh_app):
    """More apps on the test database with the production sign-in limits on."""
    def make(**extra):
        return fresh_app(RATELIMIT_ENABLED=True, **extra)
    return make


def attempt(client, email, password="wrong password", address="10.0.0.1", headers=None):
    return client.post("/sign-in", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers or {})


def test_five_wrong_passwords_from_anywhere_leave_the_victim_able_to_sign_in(make_app, org):
    """The issue's case: 5 wrong passwords, then the correct one from another address."""
    client = make_app().test_client()
    for _ in range(5):
        assert attempt(client, "sam@acme.test", address="203.0.113.7").status_code == 401
    assert attempt(client, "sam@acme.test", PASSWORD, address="203.0.113.7").status_code == 429
    victim = make_app().test_client()
    assert attempt(victim, "sam@acme.test", PASSWORD, address="198.51.100.2").status_code == 302


def test_a_distributed_guess_cannot_keep_out_a_browser_the_person_used(make_app, org):
    app = make_app()
    victim = app.test_client()
    assert attempt(victim, "sam@acme.test", PASSWORD, address="198.51.100.2").status_code == 302
    victim.post("/sign-out")
    attacker = app.test_client()
    for n in range(40):  # past SIGNIN_ACCOUNT_LIMITS, one try per address
        attempt(attacker, "sam@acme.test", address=f"203.0.113.{n}")
    assert attempt(attacker, "sam@acme.test", PASSWORD, address="203.0.113.200").status_code \
        == 429  # a browser the account does not know waits: guessing is slowed
    # the person, from their own browser, at an address never seen before, signs in
    assert attempt(victim, "sam@acme.test", PASSWORD, address="192.0.2.44").status_code == 302


def test_a_forged_device_cookie_is_worth_nothing(make_app, org):
    client = make_app(SIGNIN_ACCOUNT_LIMITS="3 per hour").test_client()
    client.set_cookie("cascade_device", "WyJzYW1AYWNtZS50ZXN0Il0.forged.signature")
    for n in range(3):
        attempt(client, "sam@acme.test", address=f"203.0.113.{n}")
    assert attempt(client, "sam@acme.test", PASSWORD, address="203.0.113.9").status_code == 429


@pytest.mark.parametrize("spellings", [
    ["sam@acme.test", "SAM@acme.test", "Sam@ACME.TEST", "ｓａｍ@acme.test", "ſam@acme.test"],
])
def test_spellings_of_one_address_share_one_count(make_app, org, spellings):
    client = make_app().test_client()
    for email in spellings:  # five failures, five spellings
        assert attempt(client, email).status_code == 401
    assert attempt(client, "sam@acme.test", PASSWORD).status_code == 429


def test_sign_in_works_while_redis_is_unreachable(make_app, org):
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0", RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    client = app.test_client()
    assert attempt(client, "sam@acme.test", PASSWORD).status_code == 302
    other = app.test_client()
    for _ in range(5):
        assert attempt(other, "lea@acme.test").status_code == 401
    assert attempt(other, "lea@acme.test", PASSWORD).status_code == 429  # still counted


def test_forwarded_for_is_ignored_unless_proxies_are_configured(make_app, org):
    client = make_app().test_client()
    for n in range(5):  # a client choosing a new X-Forwarded-For each time
        attempt(client, "sam@acme.test", headers={"X-Forwarded-For": f"192.0.2.{n}"})
    assert attempt(client, "sam@acme.test", PASSWORD,
                   headers={"X-Forwarded-For": "192.0.2.99"}).status_code == 429


def test_behind_a_configured_proxy_each_client_has_its_own_count(make_app, org):
    client = make_app(TRUSTED_PROXIES=1).test_client()
    for _ in range(5):  # every request reaches the app from the proxy's address
        attempt(client, "sam@acme.test", address="10.9.9.9",
                headers={"X-Forwarded-For": "203.0.113.5"})
    assert attempt(client, "sam@acme.test", PASSWORD, address="10.9.9.9",
                   headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 429
    assert attempt(client, "sam@acme.test", PASSWORD, address="10.9.9.9",
                   headers={"X-Forwarded-For": "198.51.100.8"}).status_code == 302


def test_asking_for_reset_links_is_limited_and_never_slows_sign_in(make_app, org):
    client = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=1).test_client()  # mail fails: logged
    answers = [client.post("/password/forgot", data={"email": "sam@acme.test"},
                           environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code
               for _ in range(6)]
    assert answers == [302] * 5 + [429]
    assert attempt(client, "sam@acme.test", PASSWORD, address="203.0.113.7").status_code == 302

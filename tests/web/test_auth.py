"""Signing in and out with real password hashes."""

from cascade.db import db
from tests.factories import PASSWORD


def sign_in(client, email, password=PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password})


def test_sign_in_with_the_right_password(client, org):
    response = sign_in(client, "SAM@acme.test")
    assert response.status_code == 302
    assert "Welcome back, Sam" in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_account_get_the_same_message(client, org):
    wrong = sign_in(client, "sam@acme.test", "not the password")
    unknown = sign_in(client, "nobody@acme.test", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    message = "That email and password do not match an active account."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_disabled_account_cannot_sign_in(client, org):
    org.people["member"].active = False
    db.session.commit()
    assert sign_in(client, "sam@acme.test").status_code == 401


def test_sign_out_refuses_a_replayed_cookie(client, app, org):
    sign_in(client, "sam@acme.test")
    cookie = client.get_cookie("session").value
    client.post("/sign-out")
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/w/acme/").status_code == 302


def test_a_signed_out_visitor_is_asked_to_sign_in_in_the_app_s_words(client, org):
    page = client.get("/w/acme/", follow_redirects=True).get_data(as_text=True)
    assert "Please sign in to see this page." in page and "log in" not in page

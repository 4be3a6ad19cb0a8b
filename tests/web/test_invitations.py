"""Invitations: single-use, expiring links that create or link an account."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cascade.db import db, utcnow
from cascade.jobs.queue import run_pending
from cascade.models import Invitation, Membership, OutgoingMail, Person, Role
from cascade.organisation import invitations
from tests.factories import make_person


def invite(client, email="new@acme.test", unit=None, role="member"):
    return client.post("/w/acme/people/invite", data={"email": email, "unit": unit,
                                                      "role": role})


def link_in(response) -> str:
    return re.search(r'value="http://localhost(/invitations/[^"]+)"',
                     response.get_data(as_text=True)).group(1)


def memberships_of(email):
    return db.session.execute(sa.select(Membership.unit_id, Membership.role).join(Person)
                              .where(Person.email == email)).all()


def test_admin_invites_and_sees_the_link_once(client, login, org):
    login(org.people["admin"])
    response = invite(client, "New@Acme.test", org.units["checkout"].key)
    assert response.status_code == 200
    link = link_in(response)
    token = link.rsplit("/", 1)[1]
    stored = db.session.scalar(sa.select(Invitation))
    assert stored.email == "new@acme.test" and stored.token_hash != token
    assert stored.token_hash == invitations.token_hash(token)
    assert "E-mail is not configured" in response.get_data(as_text=True)
    assert "new@acme.test" in client.get("/w/acme/people").get_data(as_text=True)


def test_invite_with_a_bad_address_changes_nothing(client, login, org):
    login(org.people["admin"])
    response = invite(client, "not an address", org.units["checkout"].key)
    assert response.status_code == 400
    assert 'id="email-errors"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_invite_someone_who_already_holds_the_role_is_refused(client, login, org):
    login(org.people["admin"])
    response = invite(client, "sam@acme.test", org.units["checkout"].key)
    assert "already member of Checkout" in response.get_data(as_text=True)


def test_newcomer_creates_an_account_and_joins(app, client, login, org):
    login(org.people["admin"])
    link = link_in(invite(client, "new@acme.test", org.units["search"].key, "leader"))
    visitor = app.test_client()
    with app.app_context():
        page = visitor.get(link).get_data(as_text=True)
    assert "Join Acme Digital" in page and "Create your account" in page
    with app.app_context():
        weak = visitor.post(link, data={"name": "Nia", "password": "password1",
                                        "confirm": "password1"})
    assert weak.status_code == 400 and "commonly used" in weak.get_data(as_text=True)
    assert db.session.scalar(sa.select(Person).where(Person.email == "new@acme.test")) is None
    with app.app_context():
        done = visitor.post(link, data={"name": "Nia", "password": "a fine new phrase",
                                        "confirm": "a fine new phrase"})
    assert done.headers["Location"] == "/w/acme/"
    assert memberships_of("new@acme.test") == [(org.units["search"].id, Role.LEADER)]
    with app.app_context():
        assert "Nia" in visitor.get("/w/acme/").get_data(as_text=True)
    with app.app_context():
        assert app.test_client().get(link).status_code == 404  # used up


def test_signed_in_person_links_the_invitation_to_their_account(app, client, login, org):
    login(org.people["admin"])
    link = link_in(invite(client, "sam@acme.test", org.units["search"].key))
    sam = app.test_client()
    login(org.people["member"], on=sam)
    with app.app_context():
        assert sam.post(link).status_code == 302
    assert sorted(memberships_of("sam@acme.test")) == sorted(
        [(org.units["checkout"].id, Role.MEMBER), (org.units["search"].id, Role.MEMBER)])


def test_someone_else_signed_in_cannot_take_the_invitation(app, client, login, org):
    login(org.people["admin"])
    link = link_in(invite(client, "new@acme.test", org.units["search"].key))
    eve = app.test_client()
    login(org.people["outsider"], on=eve)
    with app.app_context():
        assert "Sign out, then open this link again" in eve.get(link).get_data(as_text=True)
    with app.app_context():
        eve.post(link)
    assert len(memberships_of("eve@other.test")) == 1
    assert db.session.scalar(sa.select(Invitation.accepted_at)) is None


def test_existing_account_is_asked_to_sign_in_first(app, client, login, org):
    make_person("kim@acme.test", "Kim")
    db.session.commit()
    login(org.people["admin"])
    link = link_in(invite(client, "kim@acme.test", org.units["search"].key))
    with app.app_context():
        page = app.test_client().get(link).get_data(as_text=True)
    assert "Sign in to accept" in page and f'href="/sign-in?next={link}"' in page


@pytest.mark.parametrize("spoil", ["expired", "revoked", "unknown"])
def test_expired_revoked_or_unknown_links_are_404(app, client, login, org, spoil):
    login(org.people["admin"])
    link = link_in(invite(client, "new@acme.test", org.units["search"].key))
    invitation = db.session.scalar(sa.select(Invitation))
    if spoil == "expired":
        invitation.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    elif spoil == "revoked":
        with app.app_context():
            client.post(f"/w/acme/people/invitations/{invitation.id}/revoke")
    else:
        link += "x"
    with app.app_context():
        response = app.test_client().get(link)
    assert response.status_code == 404
    assert "not valid" in response.get_data(as_text=True)


def test_invitation_is_queued_then_mailed_by_the_worker(app, client, login, org, smtp):
    """Nothing is sent from inside the admin's request: the mail is queued, the worker
    sends it through the real SMTP server, and its single-use link is not kept."""
    login(org.people["admin"])
    response = invite(client, "new@acme.test", org.units["search"].key)
    link = link_in(response)
    assert "The e-mail with the link is queued" in response.get_data(as_text=True)
    assert smtp.messages == []
    mail = db.session.scalar(sa.select(OutgoingMail).where(OutgoingMail.purpose == "invitation"))
    assert mail.to_address == "new@acme.test" and mail.sent_at is None
    run_pending(app)
    smtp.wait()
    (_, to, message), = smtp.messages
    assert to == ["new@acme.test"] and "Join Acme Digital on Cascade" in message
    assert f"http://localhost{link}" in message and "member of Search" in message
    db.session.expire_all()
    mail = db.session.get(OutgoingMail, mail.id)
    assert mail.sent_at is not None and link not in mail.text

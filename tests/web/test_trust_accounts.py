"""Issue 14, problems 1 and 10: a file enrols nobody; everyone has a way back in (password
reset by e-mail through a real SMTP server the suite starts), and admins can disable and
re-enable accounts."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import sqlalchemy as sa

from cascade.db import db, utcnow
from cascade.jobs.queue import run_pending
from cascade.models import Invitation, Membership, Note, PasswordReset, Person, Workspace
from tests.documents import small_document
from tests.factories import PASSWORD, make_node, make_note
from tests.web.test_exchange import confirmed

NEW_PASSWORD = "a brand new passphrase"


def _link(message: str) -> str:
    return re.search(r"http://localhost(/password/reset/\S+)", message).group(1)


def _forgot(client, email):
    """Ask for a link, then let the worker send what the request queued (the reset mail
    goes through the job queue and the outgoing mail, like every other mail)."""
    answer = client.post("/password/forgot", data={"email": email})
    run_pending(client.application)
    return answer


def test_a_reset_link_is_mailed_works_once_and_ends_other_sessions(client, login, org, smtp,
                                                                   app):
    other = app.test_client()
    login(org.people["member"], on=other)
    assert other.get("/w/acme/").status_code == 200
    answer = _forgot(client, "sam@acme.test")
    assert answer.status_code == 302
    smtp.wait()
    (sender, to, message), = smtp.messages
    assert to == ["sam@acme.test"] and "Choose a new Cascade password" in message
    link = _link(message)
    page = client.get(link)
    assert page.status_code == 200 and "sam@acme.test" in page.get_data(as_text=True)
    done = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and client.get("/w/acme/").status_code == 200
    assert client.get(link).status_code == 404  # used up
    assert other.get("/w/acme/").status_code == 302  # the other session ended
    fresh = app.test_client()
    assert fresh.post("/sign-in", data={"email": "sam@acme.test", "password": PASSWORD}) \
        .status_code == 401
    assert fresh.post("/sign-in", data={"email": "sam@acme.test",
                                        "password": NEW_PASSWORD}).status_code == 302


def test_the_answer_is_the_same_whether_or_not_the_address_exists(client, org, smtp):
    pages = []
    for email in ("sam@acme.test", "nobody@acme.test"):
        answer = _forgot(client, email)
        pages.append((answer.status_code, answer.headers.get("Location"),
                      client.get("/sign-in").get_data(as_text=True)))
    assert pages[0] == pages[1]
    smtp.wait(2, seconds=2)
    assert [to for _, to, _ in smtp.messages] == [["sam@acme.test"]]


def test_an_expired_or_superseded_link_opens_nothing(client, org, smtp):
    _forgot(client, "sam@acme.test")
    smtp.wait(1)  # mail goes out from threads: the first link must arrive first
    _forgot(client, "sam@acme.test")
    smtp.wait(2)
    # the Message-ID carries the order they were asked for in
    first, second = (_link(m) for m in sorted(
        (m for _, _, m in smtp.messages),
        key=lambda m: int(re.search(r"cascade-mail-(\d+)-", m).group(1))))
    assert client.get(first).status_code == 404  # a newer link replaced it
    assert client.get(second).status_code == 200
    db.session.execute(sa.update(PasswordReset).values(expires_at=utcnow() - timedelta(1)))
    db.session.commit()
    assert client.get(second).status_code == 404
    assert client.get("/password/reset/not-a-token").status_code == 404


def test_without_mail_the_page_says_whom_to_ask(client, org):
    page = client.get("/password/forgot").get_data(as_text=True)
    assert "reset-link" in page


def test_the_operator_prints_a_reset_link(runner, client, org):
    result = runner.invoke(args=["reset-link", "sam@acme.test"])
    assert result.exit_code == 0
    link = re.search(r"(/password/reset/\S+)", result.output).group(1)
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}) \
        .status_code == 302


def test_a_disabled_person_cannot_sign_in_or_use_an_old_session(app, client, login, org):
    sam = app.test_client()
    login(org.people["member"], on=sam)
    node = make_node(org.workspace, org.units["checkout"], "goal", "Goal")
    make_note(node, author=org.people["member"], unit=org.units["checkout"], body="Mine")
    db.session.commit()
    login(org.people["admin"])
    sam_id = org.people["member"].id
    answer = client.post(f"/w/acme/people/{sam_id}/disable")
    assert answer.status_code == 302
    assert sam.get("/w/acme/").status_code == 302  # the session ended
    assert app.test_client().post("/sign-in", data={
        "email": "sam@acme.test", "password": PASSWORD}).status_code == 401
    assert "disabled" in client.get("/w/acme/people").get_data(as_text=True)
    assert db.session.scalar(sa.select(Note.body).where(Note.author_id == sam_id)) == "Mine"
    assert "Sam" in client.get("/w/acme/nodes/goal").get_data(as_text=True)  # content stays
    assert client.post(f"/w/acme/people/{sam_id}/enable").status_code == 302
    assert app.test_client().post("/sign-in", data={
        "email": "sam@acme.test", "password": PASSWORD}).status_code == 302


def test_an_admin_cannot_disable_someone_who_belongs_elsewhere_too(client, login, org):
    lea = org.people["leader"]
    db.session.add(Membership(workspace_id=db.session.scalar(
        sa.select(Workspace.id).where(Workspace.slug == "other")), person=lea,
        unit_id=db.session.scalar(sa.select(Workspace).where(Workspace.slug == "other"))
        .units[0].id, role="member"))
    db.session.commit()
    login(org.people["admin"])
    assert client.post(f"/w/acme/people/{lea.id}/disable").status_code == 403
    assert db.session.get(Person, lea.id).active
    assert client.post(f"/w/acme/people/{org.people['admin'].id}/disable").status_code == 302
    assert db.session.get(Person, org.people["admin"].id).active  # not oneself


def test_the_cli_disables_and_enables_any_account(runner, org):
    assert runner.invoke(args=["account", "disable", "lea@acme.test"]).exit_code == 0
    assert not db.session.scalar(sa.select(Person.active).where(Person.email == "lea@acme.test"))
    last = runner.invoke(args=["account", "disable", "ada@acme.test"])
    assert last.exit_code == 1 and "last admin" in last.output
    assert runner.invoke(args=["account", "enable", "lea@acme.test"]).exit_code == 0


def _upload(client, slug, doc):
    data = json.dumps(doc).encode()
    response = client.post(f"/w/{slug}/exchange", data={"file": (io.BytesIO(data), "w.json"),
                                                        "replace": "y"},
                           content_type="multipart/form-data")
    return confirmed(client, slug, response)


def test_an_upload_naming_other_people_enrols_nobody(client, login, org):
    """The issue's case: someone makes a workspace and imports a file naming Lea."""
    login(org.people["outsider"])
    assert client.post("/workspaces/new", data={"name": "Evil", "slug": "evil"}) \
        .status_code == 302
    doc = small_document("evil")
    doc["units"][0]["key"] = doc["units"][1]["parent"] = "evil"
    doc["nodes"][0]["unit"] = "evil"
    doc["people"] = [
        {"email": "eve@other.test", "name": "Eve", "memberships": [{"unit": "evil",
                                                                    "role": "admin"}]},
        {"email": "lea@acme.test", "name": "Lea", "memberships": [{"unit": "evil",
                                                                   "role": "leader"}]},
        {"email": "nobody-yet@acme.test", "name": "Newbie",
         "memberships": [{"unit": "payments", "role": "member"}]}]
    doc["notes"][0]["author"] = "lea@acme.test"
    response = _upload(client, "evil", doc)
    assert response.status_code == 200, re.findall(r"<li>(.*?)</li>", response.get_data(True))
    page = response.get_data(as_text=True)
    assert "lea@acme.test" in page and "nobody-yet@acme.test" in page  # invited, with links
    lea = db.session.scalar(sa.select(Person).where(Person.email == "lea@acme.test"))
    evil = db.session.scalar(sa.select(Workspace).where(Workspace.slug == "evil"))
    assert not [m for m in lea.memberships if m.workspace_id == evil.id]
    assert db.session.scalar(sa.select(Person).where(Person.email == "nobody-yet@acme.test")) \
        is None  # no account without a way to sign in
    note = db.session.scalar(sa.select(Note).where(Note.workspace_id == evil.id))
    assert note.author_id is None and note.author_name == "Lea"
    shown = client.get("/w/evil/nodes/pay-1").get_data(as_text=True)
    assert "Lea (not a member)" in shown
    exported = client.get("/w/evil/exchange/export").get_json()
    assert exported["notes"][0]["author"] is None
    assert exported["notes"][0]["author_name"] == "Lea"
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id)).where(
        Invitation.workspace_id == evil.id, Invitation.accepted_at.is_(None))) == 2
    # Lea may accept, once she chooses to
    token = re.search(r"/invitations/([^\"' <]+)", page).group(1)
    client.post("/sign-out")
    login(lea)
    assert client.post(f"/invitations/{token}").status_code == 302
    db.session.expire_all()
    assert [m.role for m in lea.memberships if m.workspace_id == evil.id]


def test_the_operator_import_creates_accounts_and_says_how_they_sign_in(runner, client, app,
                                                                        tmp_path):
    path = tmp_path / "acme.json"
    path.write_text(json.dumps(small_document()))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0
    assert "created 2 account(s) without a password" in result.output
    link = re.search(r"kim@acme.test\s+(/password/reset/\S+)", result.output).group(1)
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}) \
        .status_code == 302
    assert client.get("/w/acme/").status_code == 200

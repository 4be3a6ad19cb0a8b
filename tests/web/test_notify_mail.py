"""Issue 17, point 3, against a real SMTP server the suite starts (aiosmtpd): immediate
mails batched, digests grouped by unit and node and skipped when empty, reminders, the
unsubscribe link, retries, and nobody mailed about what they cannot see."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cascade import clock
from cascade.db import db
from cascade.feedback import operations as feedback
from cascade.models import AuditEntry, Membership, OutgoingMail
from cascade.notifications import operations as notify_ops
from cascade.notifications import runs
from cascade.strategy import operations as strategy
from tests.factories import make_node, make_person
from tests.receivers import html_of, text_of

BASE = "http://127.0.0.1:5000"


@pytest.fixture
def mailing(app, smtp):
    app.config.update(MAIL_BATCH_MINUTES=5, MAIL_RETRY_SECONDS=60)
    return smtp


def _note(node, who, unit, stance="concern", body="We cannot do this before March."):
    note = feedback.leave_note(node, who, unit, kind="feasibility", stance=stance, body=body)
    db.session.commit()
    return note


def test_notes_in_a_burst_make_one_mail_once_the_batch_time_has_passed(org, mailing):
    shop = make_node(org.workspace, org.units["shop"], "shop-1", title="Faster shopping")
    db.session.commit()
    sam, checkout = org.people["member"], org.units["checkout"]
    _note(shop, sam, checkout, "blocker")
    now = clock.now()
    runs.deliver(now)
    assert mailing.messages == []  # waiting for what follows
    _note(shop, sam, checkout, "question", "What about Black Friday?")
    runs.deliver(now + timedelta(minutes=6))
    (message,) = mailing.parsed()
    assert message["To"] == "omar@acme.test"
    assert message["Subject"] == "2 updates in Acme Digital"
    text = text_of(message)
    assert "Sam left a blocker (feasibility) on “Faster shopping”" in text
    assert "Sam left a question (feasibility)" in text
    assert f"{BASE}/w/acme/nodes/shop-1" in text
    assert "March" not in text and "Black Friday" not in text  # no note bodies in mail
    assert 'href="http://127.0.0.1:5000/w/acme/nodes/shop-1"' in html_of(message)
    assert message["List-Unsubscribe"].startswith(f"<{BASE}/unsubscribe/")
    runs.deliver(now + timedelta(minutes=20))
    assert len(mailing.messages) == 1  # each event mailed once


def test_a_single_update_is_its_own_subject_and_its_link_unsubscribes_that_kind(
        org, mailing, client):
    node = make_node(org.workspace, org.units["checkout"], "co-1", title="One-click checkout")
    note = _note(node, org.people["tribe_leader"], org.units["shop"])
    feedback.answer_note(note, org.people["member"], status="acknowledged", response="Seen")
    db.session.commit()
    runs.deliver(clock.now() + timedelta(minutes=6))
    mails = {m["To"]: m for m in mailing.parsed()}
    assert set(mails) == {"sam@acme.test", "omar@acme.test"}
    answered = mails["omar@acme.test"]
    assert answered["Subject"] == "Sam answered a concern on “One-click checkout”: acknowledged"
    assert f"{BASE}/w/acme/notes/{note.id}" in text_of(answered)
    leave = re.search(r"Stop e-mail when “your note is answered”: (\S+)",
                      text_of(answered)).group(1)
    assert client.post(leave.removeprefix(BASE)).status_code == 200
    second = _note(node, org.people["tribe_leader"], org.units["shop"], "question")
    feedback.answer_note(second, org.people["member"], status="acknowledged", response="Yes")
    db.session.commit()
    runs.deliver(clock.now() + timedelta(minutes=30))
    assert [(m["To"], m["Subject"]) for m in mailing.parsed()[2:]] == [
        ("sam@acme.test", "Omar left a question (feasibility) on “One-click checkout”")]


def test_digests_group_by_unit_and_node_and_skip_who_has_nothing(org, mailing):
    ws, units, people = org.workspace, org.units, org.people
    omar, lea = people["tribe_leader"], people["leader"]
    notify_ops.set_preferences(omar, ws, {"note.created": "daily", "translation.stale": "daily"})
    shop = make_node(ws, units["shop"], "shop-1", title="Faster shopping")
    search = make_node(ws, units["shop"], "shop-2", title="Better search")
    db.session.commit()
    _note(shop, people["member"], units["checkout"], "blocker")
    _note(search, people["member"], units["checkout"], "question")
    _note(shop, people["member"], units["checkout"], "support")
    now = clock.now()
    runs.deliver(now)
    assert mailing.messages == []
    runs.digests(now, force="daily")
    (digest,) = mailing.parsed()
    assert digest["To"] == omar.email and digest["Subject"] == \
        "Your daily Cascade digest for Acme Digital: 3 updates"
    text = text_of(digest)
    assert text.count("== Shopping ==") == 1
    lines = text.splitlines()
    first, second = lines.index("Faster shopping"), lines.index("Better search")
    assert lines.index("== Shopping ==") < first < second
    assert sum("Sam left" in line for line in lines[first:second]) == 2
    assert sum("Sam left" in line for line in lines[second:]) == 1
    assert "Stop the daily digest" in text
    assert lea.email not in [m["To"] for m in mailing.parsed()]
    runs.digests(now + timedelta(hours=1), force="daily")
    assert len(mailing.messages) == 1  # nothing new: no second digest


def test_nobody_is_mailed_about_what_they_can_no_longer_see(org, mailing):
    ws, units = org.workspace, org.units
    leaver = make_person("leo@acme.test", "Leo", [(units["shop"], "member")])
    node = make_node(ws, units["shop"], "shop-1")
    db.session.commit()
    _note(node, org.people["member"], units["checkout"])
    runs.deliver(clock.now())  # dispatched: Omar and Leo are to be told
    db.session.execute(sa.delete(Membership).where(Membership.person_id == leaver.id))
    org.people["tribe_leader"].active = False
    db.session.commit()
    runs.deliver(clock.now() + timedelta(minutes=10))
    assert mailing.messages == []


def test_reminders_tell_what_waits_skip_who_acted_and_come_once_a_day(org, mailing, app):
    ws, units = org.workspace, org.units
    notify_ops.set_defaults(ws, ws.version, {}, rhythm="daily", weekday=0, by=None)
    make_node(ws, units["shop"], "shop-1", title="Faster shopping", status="agreed")
    search_member = make_person("sia@acme.test", "Sia", [(units["search"], "member")])
    db.session.commit()
    db.session.add(AuditEntry(workspace_id=ws.id, person_id=search_member.id,
                              action="node.create", target_type="node", target="x"))
    db.session.commit()
    runs.digests(clock.now(), force="reminders")
    (reminder,) = mailing.parsed()
    assert reminder["To"] == "sam@acme.test"  # Sia acted today: no reminder
    assert reminder["Subject"] == "What waits for you in Acme Digital"
    text = text_of(reminder)
    assert '"Faster shopping" for Checkout' in text and f"{BASE}/w/acme/nodes/shop-1" in text
    assert "Stop reminders" in text
    runs.digests(clock.now(), force="reminders")
    assert len(mailing.messages) == 1


def test_a_mail_that_fails_is_retried_later_and_sent_once(org, mailing, app):
    node = make_node(org.workspace, org.units["shop"], "shop-1")
    db.session.commit()
    _note(node, org.people["member"], org.units["checkout"])
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1  # nobody listens
    later = clock.now() + timedelta(minutes=6)
    runs.deliver(later)
    mail = db.session.scalar(sa.select(OutgoingMail))
    assert mail.sent_at is None and mail.attempts == 0  # the server was not reached at all
    app.config["SMTP_PORT"] = port
    runs.deliver(later)
    db.session.expire_all()
    assert db.session.scalar(sa.select(OutgoingMail)).sent_at is not None
    runs.deliver(later + timedelta(hours=1))
    assert len(mailing.messages) == 1


def test_strategy_changes_reach_translators(org, mailing):
    ws, units = org.workspace, org.units
    parent = make_node(ws, units["shop"], "shop-1", title="Faster shopping")
    make_node(ws, units["checkout"], "co-1", parent=parent, title="One-click checkout")
    db.session.commit()
    strategy.edit_node(parent, parent.version, org.people["tribe_leader"],
                       title="Much faster shopping", statement="", horizon=None)
    db.session.commit()
    runs.deliver(clock.now() + timedelta(minutes=6))
    (message,) = mailing.parsed()
    assert message["To"] == "sam@acme.test"
    assert message["Subject"] == \
        "“Much faster shopping” changed: the translation “One-click checkout” needs a look"


def test_the_demo_admin_previews_a_sample_digest_in_the_browser(runner, client, login):
    from cascade.models import Person

    runner.invoke(args=["demo"])
    ada = db.session.scalar(sa.select(Person).where(Person.email == "ada@northwind.test"))
    login(ada)
    page = client.get("/w/northwind/notifications/digest")
    assert page.status_code == 200 and "Nothing is sent from this page" in page.get_data(
        as_text=True)
    assert "Sample digest" in page.get_data(as_text=True)
    html = client.get("/w/northwind/notifications/digest.html")
    assert html.status_code == 200 and "Your daily digest" in html.get_data(as_text=True)
    assert "left a" in html.get_data(as_text=True)  # made from the demo's notes
    assert html.get_data(as_text=True).count("Coherence score") == 1
    assert "frame-ancestors 'self'" in html.headers["Content-Security-Policy"]
    assert "script" not in html.headers["Content-Security-Policy"]
    assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 0

"""Issue 17, points 4 and 5, against a real HTTP receiver the suite starts (a
`http.server` thread): registration and its refusals, signatures that verify, retries
that back off, a failing endpoint paused and its admins told, Slack and Teams messages
without note bodies, the subtree filter, test events and resends, and no delivery made
twice when a worker process is killed mid-batch and started again."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cascade import clock
from cascade.db import db
from cascade.feedback import operations as feedback
from cascade.models import Event, Notification, Webhook, WebhookDelivery
from cascade.notifications import operations as notify_ops
from cascade.notifications import runs
from cascade.notifications.addresses import Refused, check
from tests.factories import make_node

BODY = "We cannot do this before March."


def _hook(org, url, **kw) -> Webhook:
    hook = notify_ops.register_webhook(org.workspace, url, kinds=kw.pop("kinds", []),
                                       unit_id=kw.pop("unit_id", None),
                                       fmt=kw.pop("fmt", "cascade"), by=org.people["admin"])
    db.session.commit()
    return hook


def _notes(org, count=1, unit="shop"):
    node = make_node(org.workspace, org.units[unit], f"{unit}-1", title="Faster shopping")
    for _ in range(count):
        feedback.leave_note(node, org.people["member"], org.units["checkout"],
                            kind="feasibility", stance="blocker", body=BODY)
    db.session.commit()
    return node


def _deliveries():
    db.session.expire_all()
    return db.session.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def test_an_admin_registers_an_endpoint_and_sees_its_secret_once(client, login, org,
                                                                 http_receiver):
    login(org.people["admin"])
    made = client.post("/w/acme/webhooks", data={"url": http_receiver.url, "format": "slack",
                                                 "kinds": ["note.created", "pulse.opened"],
                                                 "unit": ""})
    assert made.status_code == 201
    hook = db.session.scalar(sa.select(Webhook))
    assert hook.secret in made.get_data(as_text=True) and hook.format == "slack"
    assert hook.kinds == ["note.created", "pulse.opened"]
    for page in ("/w/acme/webhooks", f"/w/acme/webhooks/{hook.id}"):
        shown = client.get(page)
        assert shown.status_code == 200 and hook.secret not in shown.get_data(as_text=True)
    refused = client.post("/w/acme/webhooks", data={"url": "ftp://example.com/x",
                                                    "format": "cascade", "unit": ""})
    assert refused.status_code == 400 and "Only http and https" in refused.get_data(
        as_text=True)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/x", "http://localhost/x", "http://[::1]/x",
    "http://169.254.169.254/latest/meta-data", "http://[fe80::1]/x", "http://0.0.0.0/x",
    "http://[::ffff:127.0.0.1]/x", "https://127.0.0.1:5000/x", "file:///etc/passwd",
    "javascript:alert(1)", "http:///x", "http://example.com:99999/x"])
def test_loopback_link_local_and_the_app_itself_are_refused_by_default(app, url):
    app.config["WEBHOOK_ALLOWED_HOSTS"] = []
    with pytest.raises(Refused):
        check(url)


def test_the_apps_own_host_is_refused_even_when_it_resolves_elsewhere(app):
    app.config.update(SERVER_NAME="cascade.example.com", WEBHOOK_ALLOWED_HOSTS=[])
    with pytest.raises(Refused, match="this Cascade itself"):
        check("https://cascade.example.com/hooks", resolve=False)
    with pytest.raises(Refused, match="this Cascade itself"):
        check("https://intranet.test/hooks", request_host="intranet.test:8443", resolve=False)


def test_deliveries_are_signed_over_timestamp_and_body(org, http_receiver):
    hook = _hook(org, http_receiver.url)
    node = _notes(org)
    runs.deliver()
    (headers, body), = http_receiver.requests
    timestamp = headers["X-Cascade-Timestamp"]
    expected = hmac.new(hook.secret.encode(), timestamp.encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert headers["X-Cascade-Signature"] == f"sha256={expected}"
    assert abs(int(timestamp) - time.time()) < 60
    tampered = hmac.new(hook.secret.encode(), timestamp.encode() + b"." + body + b" ",
                        hashlib.sha256).hexdigest()
    assert headers["X-Cascade-Signature"] != f"sha256={tampered}"
    sent = json.loads(body)
    event = db.session.scalar(sa.select(Event).where(Event.kind == "note.created"))
    assert (sent["id"], sent["kind"], sent["who"], sent["unit"]) == (
        event.id, "note.created", "Sam", "Shopping")
    assert headers["X-Cascade-Event-Id"] == str(event.id)
    assert sent["link"] == f"http://127.0.0.1:5000/w/acme/nodes/{node.key}"
    assert BODY not in body.decode()
    (delivery,) = _deliveries()
    assert (delivery.status, delivery.response_status, delivery.response_body) == (
        "delivered", 200, "thanks")
    runs.deliver()
    assert len(http_receiver.requests) == 1


def test_retries_back_off_and_then_deliver(org, http_receiver, app):
    _hook(org, http_receiver.url)
    _notes(org)
    http_receiver.answers = [500, 502]
    start = clock.now()
    runs.deliver(start)
    (first,) = _deliveries()
    assert (first.status, first.attempts, first.response_status) == ("pending", 1, 500)
    assert timedelta(seconds=9) < first.next_attempt_at - start < timedelta(seconds=12)
    runs.deliver(start + timedelta(seconds=5))
    assert len(http_receiver.requests) == 1  # not before its time
    runs.deliver(start + timedelta(seconds=11))
    (second,) = _deliveries()
    assert (second.attempts, second.response_status) == (2, 502)
    assert timedelta(seconds=19) < second.next_attempt_at - (start + timedelta(seconds=11)) \
        < timedelta(seconds=22)  # twice as long
    runs.deliver(start + timedelta(seconds=35))
    (third,) = _deliveries()
    assert (third.status, third.attempts, len(http_receiver.requests)) == ("delivered", 3, 3)
    assert len(set(http_receiver.header("X-Cascade-Delivery"))) == 1


def test_an_endpoint_that_keeps_failing_is_paused_and_its_admins_told(org, http_receiver,
                                                                      app, smtp):
    app.config.update(WEBHOOK_PAUSE_AFTER=3, MAIL_BATCH_MINUTES=0)
    hook = _hook(org, http_receiver.url)
    _notes(org, count=2)
    http_receiver.answers = [503] * 10
    moment = clock.now()
    for step in range(4):
        runs.deliver(moment + timedelta(minutes=step))
    db.session.expire_all()
    assert not db.session.get(Webhook, hook.id).active
    assert len(http_receiver.requests) == 3
    assert "Paused after 3 failed attempts" in db.session.get(Webhook, hook.id).paused_reason
    told = db.session.scalars(sa.select(Notification).join(Event).where(
        Event.kind == "webhook.paused")).all()
    assert [n.person_id for n in told] == [org.people["admin"].id]
    runs.deliver(moment + timedelta(minutes=5))
    smtp.wait()
    assert any(m["To"] == "ada@acme.test" and "paused" in m["Subject"]
               for m in smtp.parsed())
    runs.deliver(moment + timedelta(hours=1))
    assert len(http_receiver.requests) == 3  # nothing goes to a paused endpoint
    http_receiver.answers = []
    notify_ops.change_webhook(db.session.get(Webhook, hook.id), "resume", by=None)
    db.session.commit()
    runs.deliver(moment + timedelta(hours=2))
    assert {d.status for d in _deliveries()} == {"delivered"}


def test_slack_and_teams_messages_say_title_unit_who_and_link_only(org, http_receiver):
    _hook(org, http_receiver.url, fmt="slack")
    _hook(org, http_receiver.url + "?teams", fmt="teams")
    _notes(org)
    runs.deliver()
    slack, teams = sorted(http_receiver.bodies(), key=lambda b: "@type" in b)
    assert slack["text"].startswith("Sam left a blocker (feasibility) on “Faster shopping”")
    assert "<http://127.0.0.1:5000/w/acme/nodes/shop-1|" in slack["blocks"][0]["text"]["text"]
    assert "Shopping · Sam" in slack["blocks"][0]["text"]["text"]
    assert teams["@type"] == "MessageCard" and teams["title"].startswith("Sam left a blocker")
    assert {f["name"]: f["value"] for f in teams["sections"][0]["facts"]} == {
        "Unit": "Shopping", "Who": "Sam"}
    assert teams["potentialAction"][0]["targets"][0]["uri"].endswith("/w/acme/nodes/shop-1")
    for _, body in http_receiver.requests:
        assert BODY not in body.decode()


def test_a_subtree_filter_keeps_only_events_about_it(org, http_receiver):
    _hook(org, http_receiver.url, unit_id=org.units["shop"].id, kinds=["note.created"])
    _notes(org, unit="checkout")  # Checkout is below Shopping
    _notes(org, unit="payments")  # Payments is not
    runs.deliver()
    assert [b["unit"] for b in http_receiver.bodies()] == ["Checkout"]


def test_a_test_event_and_a_resend_from_the_log(client, login, org, http_receiver):
    hook = _hook(org, http_receiver.url)
    login(org.people["admin"])
    assert client.post(f"/w/acme/webhooks/{hook.id}/test").status_code == 302
    runs.deliver()
    assert [b["kind"] for b in http_receiver.bodies()] == ["webhook.test"]
    (delivery,) = _deliveries()
    page = client.get(f"/w/acme/webhooks/{hook.id}").get_data(as_text=True)
    assert "webhook.test" in page and "HTTP 200" in page
    assert client.post(f"/w/acme/webhooks/{hook.id}/deliveries/{delivery.id}/resend") \
        .status_code == 302
    runs.deliver()
    assert http_receiver.header("X-Cascade-Delivery") == [str(delivery.id)] * 2
    assert client.post(f"/w/acme/webhooks/{hook.id}/pause").status_code == 302
    assert "Paused by an admin" in client.get(f"/w/acme/webhooks/{hook.id}").get_data(
        as_text=True)


def _worker(database_url: str) -> subprocess.Popen:
    env = dict(os.environ, CASCADE_DATABASE_URL=database_url, CASCADE_SECRET_KEY="test",
               CASCADE_WEBHOOK_ALLOWED_HOSTS='["127.0.0.1"]', CASCADE_WEBHOOK_CLAIM_SECONDS="1",
               CASCADE_JOBS_QUEUE="memory", FLASK_DEBUG="1")
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "cascade", "notify",
                             "deliver"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


@pytest.mark.committed  # another process reads what the test wrote
def test_a_worker_killed_mid_batch_delivers_nothing_twice_when_started_again(
        org, http_receiver, database_url):
    """The third delivery is in flight when the worker is killed (SIGKILL): the first two
    are recorded and never sent again; after a restart the rest go once each, and the one
    in flight goes again with the same delivery and event ids, for the receiver to know."""
    _hook(org, http_receiver.url)
    _notes(org, count=6)
    http_receiver.hold_at = 3
    first = _worker(database_url)
    assert http_receiver.held.wait(60), first.communicate(timeout=5)[1].decode()[-1500:]
    first.kill()  # SIGKILL: no chance to record anything
    first.communicate(timeout=10)
    http_receiver.release.set()
    done = [d.status for d in _deliveries()]
    assert done[:2] == ["delivered", "delivered"] and "delivered" not in done[2:]
    time.sleep(1.2)  # the killed worker's claim on the third runs out
    second = _worker(database_url)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err.decode()
    ids = [int(i) for i in http_receiver.header("X-Cascade-Delivery")]
    events = http_receiver.header("X-Cascade-Event-Id")
    deliveries = _deliveries()
    assert [d.status for d in deliveries] == ["delivered"] * 6
    assert ids == [d.id for d in deliveries[:3]] + [d.id for d in deliveries[2:]]
    assert len(set(events)) == 6 and len(events) == 7
    assert events[2] == events[3]  # only the one in flight came twice, under the same ids
    assert re.search(r"webhooks=4", out.decode())


def test_the_webhook_pages_run_as_many_queries_for_5_deliveries_as_for_45(
        client, login, org, count_queries):
    hook = Webhook(workspace_id=org.workspace.id, url="https://hooks.example.com/x", secret="s")
    other = Webhook(workspace_id=org.workspace.id, url="https://hooks.example.com/y",
                    secret="t", unit_id=org.units["shop"].id, kinds=["note.created"])
    db.session.add_all([hook, other])
    db.session.commit()
    login(org.people["admin"])
    counts = []
    for total in (5, 45):
        node = make_node(org.workspace, org.units["shop"], f"n-{total}")
        while db.session.scalar(sa.select(sa.func.count(WebhookDelivery.id)).where(
                WebhookDelivery.webhook_id == hook.id)) < total:
            event = Event(workspace_id=org.workspace.id, kind="node.created", node_id=node.id,
                          subject={"title": "x", "node": node.key})
            db.session.add(event)
            db.session.flush()
            db.session.add(WebhookDelivery(webhook_id=hook.id, event_id=event.id,
                                           status="failed", response_status=500))
        db.session.commit()
        with count_queries() as counter:
            assert client.get(f"/w/acme/webhooks/{hook.id}").status_code == 200
            assert client.get("/w/acme/webhooks").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] and other.id

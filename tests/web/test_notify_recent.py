"""Issue 17: notifications a person chose to get "Inbox only" are visible: their own
notifications page lists what they were told, newest first, a page at a time, and marks
them all seen."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cascade import clock
from cascade.db import db
from cascade.models import AuditEntry, Event, Notification
from cascade.notifications.recent import PAGE_SIZE
from cascade.vocabulary import Channel


def _tell(org, person, count, title="Faster checkout", workspace=None):
    ws = workspace or org.workspace
    start = clock.now() - timedelta(hours=count)
    for i in range(count):
        event = Event(workspace_id=ws.id, kind="node.revised",
                      subject={"actor": "Lea", "node": "checkout-1", "title": f"{title} {i}",
                               "revision": i + 2}, created_at=start + timedelta(hours=i))
        db.session.add(event)
        db.session.flush()
        db.session.add(Notification(event_id=event.id, person_id=person.id,
                                    workspace_id=ws.id, channel=Channel.INBOX,
                                    created_at=event.created_at))
    db.session.commit()


def test_own_notifications_newest_first_paged_then_all_marked_seen(client, login, org):
    member = org.people["member"]
    _tell(org, member, PAGE_SIZE + 2)
    _tell(org, org.people["leader"], 1, title="Not yours")
    login(member)
    page = client.get("/w/acme/notifications/recent").get_data(as_text=True)
    assert f"{PAGE_SIZE + 2} unseen" in page and "Not yours" not in page
    newest, oldest_here = f"Faster checkout {PAGE_SIZE + 1}", "Faster checkout 2”"
    assert page.index(newest) < page.index(f"Faster checkout {PAGE_SIZE}")
    assert "Faster checkout 1”" not in page and "Older" in page
    assert "Inbox only" in page and oldest_here in page
    older = client.get("/w/acme/notifications/recent?page=2").get_data(as_text=True)
    assert "Faster checkout 1”" in older and "Faster checkout 0”" in older and "Newer" in older
    bad = client.get("/w/acme/notifications/recent?page=-4")
    assert bad.status_code == 200 and newest in bad.get_data(as_text=True)
    done = client.post("/w/acme/notifications/recent/seen", follow_redirects=True)
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and f"{PAGE_SIZE + 2} notifications marked seen" in text
    assert "0 unseen" in text and "Mark all seen" not in text
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.seen_at.is_(None))) == 1  # the leader's own stays unseen
    assert db.session.scalar(sa.select(AuditEntry.action).where(
        AuditEntry.action == "notifications.seen")) == "notifications.seen"


def test_an_empty_page_says_so_and_the_preferences_page_links_to_it(client, login, org):
    login(org.people["member"])
    page = client.get("/w/acme/notifications/recent").get_data(as_text=True)
    assert "Nothing has been told to you here yet" in page
    assert "/w/acme/notifications/recent" in client.get("/w/acme/notifications") \
        .get_data(as_text=True)


def test_the_page_costs_the_same_queries_whatever_the_count(client, login, org,
                                                           count_queries):
    member = org.people["member"]
    login(member)
    _tell(org, member, 2)
    with count_queries() as few:
        assert client.get("/w/acme/notifications/recent").status_code == 200
    _tell(org, member, PAGE_SIZE + 5, title="More")
    with count_queries() as many:
        assert client.get("/w/acme/notifications/recent").status_code == 200
    assert many.count == few.count

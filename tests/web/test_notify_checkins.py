"""Issue 17: "check-in due" is an event kind: the hourly job records one when a measure's
next check-in comes due (once per measure and due date), and it reaches the node's unit
through each person's channels like every other kind."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from cascade import clock
from cascade.db import db
from cascade.jobs.queue import jobs_of
from cascade.models import Event, Notification, NotificationPreference
from cascade.notifications import dispatch
from cascade.notifications.checkins import record_due
from cascade.notifications.wording import headline
from cascade.vocabulary import Channel
from tests.factories import make_check_in, make_measure, make_node, make_person


def _due():
    db.session.expire_all()
    return db.session.scalars(sa.select(Event).where(Event.kind == "checkin.due")
                              .order_by(Event.id)).all()


def test_a_check_in_coming_due_is_told_once_per_measure_and_due_date(org):
    now = clock.now()
    node = make_node(org.workspace, org.units["checkout"], "checkout-1", "Faster checkout",
                     status="agreed")
    due = make_measure(node, "m1", "Orders per day", cadence_days=14,
                       created_at=now - timedelta(days=14))
    make_measure(node, "m2", "Not yet", cadence_days=14, created_at=now - timedelta(days=13))
    retired = make_measure(node, "m3", "Retired", cadence_days=1,
                           created_at=now - timedelta(days=30), status="retired")
    db.session.commit()
    assert record_due(now) == 1
    db.session.commit()
    (event,) = _due()
    assert event.subject["measure_id"] == due.id and event.node_id == node.id
    assert event.subject["due_on"] == now.date().isoformat()
    assert "Orders per day" in headline(event) and "Faster checkout" in headline(event)
    assert record_due(now) == 0 and record_due(now + timedelta(hours=5)) == 0  # idempotent
    make_check_in(due, 5, author=org.people["member"], created_at=now)
    db.session.commit()
    later = now + timedelta(days=13)
    assert record_due(later) == 1  # only m2, due a day after m1 was, then 13 days passed
    db.session.commit()
    assert {e.subject["measure"] for e in _due()} == {"m1", "m2"}
    assert retired.id not in {e.subject["measure_id"] for e in _due()}
    assert record_due(now + timedelta(days=14)) == 1  # m1's next one, after the check-in
    db.session.commit()
    assert [e.subject["due_on"] for e in _due() if e.subject["measure"] == "m1"] == [
        now.date().isoformat(), (now + timedelta(days=14)).date().isoformat()]


def test_check_ins_due_reach_the_unit_by_the_channel_each_chose(org):
    now = clock.now()
    node = make_node(org.workspace, org.units["checkout"], "checkout-1", status="agreed")
    make_measure(node, cadence_days=7, created_at=now - timedelta(days=8))
    member = org.people["member"]
    other = make_person("kim@acme.test", "Kim", [(org.units["checkout"], "member")])
    elsewhere = make_person("ray@acme.test", "Ray", [(org.units["search"], "member")])
    db.session.add(NotificationPreference(person_id=member.id, workspace_id=org.workspace.id,
                                          kind="checkin.due", channel=Channel.INBOX))
    db.session.commit()
    record_due(now)
    db.session.commit()
    dispatch.dispatch(now)
    told = dict(db.session.execute(sa.select(Notification.person_id, Notification.channel))
                .all())
    assert told == {member.id: Channel.INBOX,  # their own choice
                    other.id: Channel.DAILY}  # the product's default for the kind
    assert elsewhere.id not in told and org.people["outsider"].id not in told


def test_the_hourly_job_records_what_came_due(app, org):
    from cascade.notifications import jobs as notify_jobs

    periodic = jobs_of(app).tasks[notify_jobs.check_ins_due.job_name]
    assert periodic.task_class().validate_datetime(datetime(2026, 3, 1, 7, 10))
    assert not periodic.task_class().validate_datetime(datetime(2026, 3, 1, 7, 11))
    node = make_node(org.workspace, org.units["checkout"], "checkout-1", status="agreed")
    make_measure(node, cadence_days=7, created_at=clock.now() - timedelta(days=7))
    db.session.commit()
    for _ in range(2):  # the runs after the first find the event and add nothing
        periodic.call_local()
    assert len(_due()) == 1

"""Measures on the node page: created, edited and retired by the node's own people, checked
in in one step, drawn against the expected pace with confidences as a range."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from cascade.db import db
from cascade.models import AuditEntry, CheckIn, Measure
from tests.factories import make_check_in, make_measure, make_node


def _goal(org, horizon="2026-H2"):
    root = make_node(org.workspace, org.units["acme"], "vision", "Vision")
    goal = make_node(org.workspace, org.units["checkout"], "checkout-goal", "Checkout goal",
                     parent=root, horizon=horizon)
    db.session.commit()
    return goal


def _measure():
    db.session.expire_all()
    return db.session.scalar(sa.select(Measure))


def test_member_adds_a_measure_that_follows_the_horizon(client, login, org):
    _goal(org)
    login(org.people["member"])
    page = client.get("/w/acme/nodes/checkout-goal/measures/new").get_data(as_text=True)
    assert "Leave empty to follow the horizon 2026-H2: from 2026-07-01 to 2026-12-31" in page
    response = client.post("/w/acme/nodes/checkout-goal/measures/new", data={
        "name": "Orders <b>per</b> day", "direction": "increase", "baseline": "120",
        "target": "180.5", "cadence_days": "14"})
    assert response.status_code == 302
    measure = _measure()
    assert (measure.key, measure.baseline, measure.target, measure.start, measure.due) == (
        "orders-b-per-b-day", 120, 180.5, None, None)
    page = client.get("/w/acme/nodes/checkout-goal").get_data(as_text=True)
    assert "Orders &lt;b&gt;per&lt;/b&gt; day" in page and "2026-07-01 → 2026-12-31" in page
    assert "no check-in yet" in page
    assert db.session.scalar(sa.select(AuditEntry.action).where(
        AuditEntry.action.like("measure.%"))) == "measure.create"


def test_measure_form_refuses_what_does_not_fit(client, login, org):
    _goal(org, horizon="someday")
    login(org.people["member"])
    url = "/w/acme/nodes/checkout-goal/measures/new"
    page = client.post(url, data={"name": "Speed", "direction": "increase", "baseline": "nan",
                                  "target": "5", "cadence_days": "30"}).get_data(as_text=True)
    assert "Give a number, such as 12 or 3.5." in page
    page = client.post(url, data={"name": "Speed", "direction": "increase", "baseline": "1",
                                  "target": "5", "cadence_days": "30"}).get_data(as_text=True)
    assert "Give a start date: this node&#39;s horizon names no period." in page
    page = client.post(url, data={"name": "Speed", "direction": "maintain", "band_low": "4",
                                  "start": "2026-01-01", "due": "2026-02-01",
                                  "cadence_days": "30"}).get_data(as_text=True)
    assert "A measure to maintain needs both ends of its band." in page
    page = client.post(url, data={"name": "Speed", "direction": "increase", "baseline": "1",
                                  "target": "5", "start": "2026-03-01", "due": "2026-02-01",
                                  "cadence_days": "30"}).get_data(as_text=True)
    assert "The due date must not be before the start." in page
    assert _measure() is None


def test_check_in_in_one_step_moves_the_chart(client, login, org):
    goal = _goal(org)
    measure = make_measure(goal, baseline=0, target=100)
    db.session.commit()
    login(org.people["member"])
    before = client.get("/w/acme/nodes/checkout-goal").get_data(as_text=True)
    assert "<circle class=\"value\"" not in before
    response = client.post(f"/w/acme/measures/{measure.id}/check-ins",
                           data={"value": "42", "confidence": "7", "comment": "Good week"})
    assert response.status_code == 302
    [check_in] = db.session.scalars(sa.select(CheckIn)).all()
    assert (check_in.value, check_in.confidence, check_in.unit_id, check_in.author_id) == (
        42, 7, org.units["checkout"].id, org.people["member"].id)
    after = client.get("/w/acme/nodes/checkout-goal").get_data(as_text=True)
    assert after.count("<circle class=\"value\"") == 1 and "Good week" in after
    assert "<title id=\"chart-" in after and "Every check-in as a table (1)" in after


def test_check_in_refuses_a_missing_or_odd_value(client, login, org):
    measure = make_measure(_goal(org))
    db.session.commit()
    login(org.people["member"])
    for value in ("", "inf", "1e400", "12abc"):
        client.post(f"/w/acme/measures/{measure.id}/check-ins", data={"value": value})
    client.post(f"/w/acme/measures/{measure.id}/check-ins", data={"value": "3", "confidence": "11"})
    assert db.session.scalars(sa.select(CheckIn)).all() == []
    client.post(f"/w/acme/measures/{measure.id}/check-ins", data={"value": "0"})
    assert [c.value for c in db.session.scalars(sa.select(CheckIn))] == [0]


def test_confidences_show_as_a_range_of_people_never_an_average(client, login, org):
    measure = make_measure(_goal(org))
    now = datetime.now(UTC)
    for person, confidence, age in (("member", 2, 3), ("leader", 9, 2), ("member", 4, 1)):
        make_check_in(measure, 10, org.people[person], confidence=confidence,
                      created_at=now - timedelta(days=age))
    db.session.commit()
    login(org.people["coach"])
    page = client.get("/w/acme/nodes/checkout-goal").get_data(as_text=True)
    assert "(2 people): from 4 to 9 out of 10" in page
    assert "Confidences 4, 9 on a scale from 0 to 10" in page
    assert "average" not in page.lower() and "Check in on" not in page  # coaches only read


def test_retire_and_bring_back_a_measure(client, login, org):
    measure = make_measure(_goal(org))
    db.session.commit()
    login(org.people["leader"])
    client.post(f"/w/acme/measures/{measure.id}/status")
    assert _measure().status == "retired"
    client.post(f"/w/acme/measures/{measure.id}/check-ins", data={"value": "3"})
    assert db.session.scalars(sa.select(CheckIn)).all() == []
    client.post(f"/w/acme/measures/{measure.id}/status")
    assert _measure().status == "live"


def test_editing_an_older_version_is_a_conflict(client, login, org):
    measure = make_measure(_goal(org))
    db.session.commit()
    login(org.people["member"])
    data = {"name": "Renamed", "direction": "increase", "baseline": "0", "target": "50",
            "cadence_days": "30", "version": str(measure.version)}
    assert client.post(f"/w/acme/measures/{measure.id}/edit", data=data).status_code == 302
    assert _measure().name == "Renamed" and _measure().target == 50
    response = client.post(f"/w/acme/measures/{measure.id}/edit", data=data | {"name": "Old"})
    assert response.status_code == 409 and _measure().name == "Renamed"


def test_inbox_lists_a_due_check_in_and_takes_it_in_one_step(client, login, org):
    goal = _goal(org)
    measure = make_measure(goal, start=datetime.now(UTC).date() - timedelta(days=40))
    quiet = make_measure(goal, key="m2", name="Fresh")
    make_check_in(quiet, 5, created_at=datetime.now(UTC) - timedelta(days=2))
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "Check-ins due <span class=\"count\">1</span>" in page
    assert "Check in on Orders per day" in page and "Check in on Fresh" not in page
    response = client.post(f"/w/acme/measures/{measure.id}/check-ins",
                           data={"value": "12.5", "back": "inbox"})
    assert response.headers["Location"].endswith("/w/acme/inbox#check-ins-heading")
    page = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "Check-ins due <span class=\"count\">0</span>" in page


def test_a_retired_node_takes_no_new_measure(client, login, org):
    goal = _goal(org)
    goal.status = "retired"
    db.session.commit()
    login(org.people["leader"])
    page = client.post("/w/acme/nodes/checkout-goal/measures/new", data={
        "name": "Late", "direction": "increase", "baseline": "0", "target": "1",
        "cadence_days": "30"}).get_data(as_text=True)
    assert "A retired node takes no new measures." in page and _measure() is None

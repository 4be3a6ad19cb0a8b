"""Closing a quarter: keep, retire or carry each live node of the horizon; carrying makes a
linked node in the next horizon with the measures copied and the check-ins left behind."""

import sqlalchemy as sa

from cascade.db import db
from cascade.models import AuditEntry, CheckIn, Measure, Node
from tests.factories import make_check_in, make_measure, make_node


def _quarter(org):
    ws, units = org.workspace, org.units
    root = make_node(ws, units["acme"], "vision", "Vision", horizon="2027")
    goal = make_node(ws, units["checkout"], "q1-goal", "Faster checkout", parent=root,
                     horizon="2027-Q1", statement="One minute.")
    kid = make_node(ws, units["checkout"], "q1-kid", "Wallet pay", parent=goal, status="draft")
    done = make_node(ws, units["search"], "q1-done", "Search index", parent=root,
                     horizon="2027-Q1")
    measure = make_measure(goal, name="Checkout seconds", direction="decrease", baseline=90,
                           target=60, cadence_days=14)
    make_check_in(measure, 80)
    db.session.commit()
    return goal, kid, done


def _node(key):
    db.session.expire_all()
    return db.session.scalar(sa.select(Node).where(Node.key == key))


def test_leader_sees_the_horizon_and_the_next_one(client, login, org):
    _quarter(org)
    login(org.people["leader"])
    page = client.get("/w/acme/close-horizon?horizon=2027-Q1").get_data(as_text=True)
    assert "Faster checkout" in page and "Search index" in page and "Vision" not in page
    assert 'value="2027-Q2"' in page


def test_carry_and_retire(client, login, org):
    goal, kid, done = _quarter(org)
    login(org.people["leader"])
    response = client.post("/w/acme/close-horizon?horizon=2027-Q1", data={
        "next_horizon": "2027-Q2", f"choice-{goal.id}": "carry", f"choice-{done.id}": "retire"})
    assert response.status_code == 302
    old, new = _node("q1-goal"), db.session.scalar(sa.select(Node).where(
        Node.horizon == "2027-Q2"))
    assert old.status == "retired" and _node("q1-done").status == "retired"
    assert (new.title, new.statement, new.status, new.unit_id, new.carried_from_id) == (
        "Faster checkout", "One minute.", "agreed", old.unit_id, old.id)
    assert _node("q1-kid").parent_id == new.id  # what hung below moves on with it
    [copied] = db.session.scalars(sa.select(Measure).where(Measure.node_id == new.id)).all()
    assert (copied.name, copied.baseline, copied.target, copied.start, copied.due) == (
        "Checkout seconds", 90, 60, None, None)
    assert db.session.scalars(sa.select(CheckIn).where(CheckIn.measure_id == copied.id)).all() \
        == []
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"node.carry", "node.status", "node.create"} <= actions


def test_keep_changes_nothing_and_a_bad_next_horizon_is_refused(client, login, org):
    goal, _, _ = _quarter(org)
    login(org.people["leader"])
    page = client.post("/w/acme/close-horizon?horizon=2027-Q1", data={
        "next_horizon": "later", f"choice-{goal.id}": "carry"}).get_data(as_text=True)
    assert "Name the next period." in page and _node("q1-goal").status == "agreed"
    client.post("/w/acme/close-horizon?horizon=2027-Q1", data={
        "next_horizon": "2027-Q2", f"choice-{goal.id}": "explode"})
    assert _node("q1-goal").status == "agreed"


def test_a_tribe_leader_closes_only_what_they_lead(client, login, org):
    _quarter(org)
    login(org.people["tribe_leader"])
    page = client.get("/w/acme/close-horizon?horizon=2027-Q1").get_data(as_text=True)
    assert "Faster checkout" in page and "Search index" in page  # Shopping: checkout, search
    login(org.people["member"])
    assert client.get("/w/acme/close-horizon?horizon=2027-Q1").status_code == 403

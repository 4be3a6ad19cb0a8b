"""Issue 17, point 1: every change people may hear of is an event in the outbox, written in
the same transaction as the change, and told only to those concerned who may see it."""

from __future__ import annotations

import sqlalchemy as sa

from cascade.clock import today
from cascade.db import db
from cascade.feedback import operations as feedback
from cascade.models import Event, Membership
from cascade.notifications.audience import audience, people_of
from tests.factories import make_node, make_note, make_person


def _events(kind=None):
    db.session.expire_all()
    query = sa.select(Event).order_by(Event.id)
    return db.session.scalars(query.where(Event.kind == kind) if kind else query).all()


def _told(event):
    return audience(event, people_of(event.workspace_id))


def _names(ids, org):
    return {name for name, person in org.people.items() if person.id in ids}


def test_a_note_left_on_the_web_is_an_event_for_the_nodes_own_unit(client, login, org):
    make_node(org.workspace, org.units["shop"], "shop-1", title="Faster shopping")
    db.session.commit()
    login(org.people["member"])
    client.post("/w/acme/nodes/shop-1/notes", data={
        "kind": "feasibility", "stance": "blocker", "unit": org.units["checkout"].id,
        "body": "We cannot do this before March."})
    (event,) = _events("note.created")
    assert event.actor_id == org.people["member"].id
    assert event.subject["title"] == "Faster shopping" and event.subject["unit"] == "Shopping"
    assert event.subject["stance"] == "blocker"
    assert "March" not in str(event.subject)  # a note's body never travels with its event
    assert _names(_told(event), org) == {"tribe_leader"}


def test_a_change_that_rolls_back_leaves_no_event(app, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1")
    db.session.commit()
    feedback.leave_note(node, org.people["member"], org.units["checkout"], kind="validation",
                        stance="question", body="What does it mean?")
    db.session.rollback()
    assert _events() == []
    feedback.leave_note(node, org.people["member"], org.units["checkout"], kind="validation",
                        stance="question", body="What does it mean?")
    db.session.commit()
    assert [e.kind for e in _events()] == ["note.created"]


def test_a_refused_write_on_the_web_records_nothing(client, login, org):
    make_node(org.workspace, org.units["shop"], "shop-1")
    db.session.commit()
    login(org.people["tribe_leader"])
    stale = client.post("/w/acme/nodes/shop-1/edit", data={"title": "New", "version": 7})
    assert stale.status_code == 409
    refused = client.post("/w/acme/nodes/shop-1/status", data={"status": "agreed"})
    assert refused.status_code in (302, 400)
    assert _events() == []


def test_revising_a_parent_turns_each_current_translation_stale_once(client, login, org):
    ws, units = org.workspace, org.units
    parent = make_node(ws, units["shop"], "shop-1", title="Faster shopping")
    make_node(ws, units["checkout"], "co-1", parent=parent, title="One-click checkout")
    make_node(ws, units["search"], "se-1", parent=parent, parent_revision_seen=0)  # stale already
    make_node(ws, units["shop"], "shop-1a", parent=parent)  # same unit: not a translation
    db.session.commit()
    login(org.people["tribe_leader"])
    client.post("/w/acme/nodes/shop-1/edit", data={"title": "Much faster shopping",
                                                   "statement": "", "version": 1})
    (revised,) = _events("node.revised")
    assert revised.subject["revision"] == 2 and revised.subject["title"] == "Much faster shopping"
    (stale,) = _events("translation.stale")
    assert stale.subject["node"] == "co-1" and stale.subject["parent_title"] == \
        "Much faster shopping"
    assert _names(_told(stale), org) == {"member"}
    assert _names(_told(revised), org) == set()  # the leader revised it: nobody else is in Shopping


def test_agreeing_a_node_tells_the_units_below_who_translate_it(client, login, org):
    make_node(org.workspace, org.units["shop"], "shop-1", status="proposed")
    db.session.commit()
    login(org.people["tribe_leader"])
    client.post("/w/acme/nodes/shop-1/status", data={"status": "agreed"})
    (event,) = _events("node.status")
    assert (event.subject["before"], event.subject["status"]) == ("proposed", "agreed")
    assert _names(_told(event), org) == {"member"}


def test_answers_and_replies_reach_the_conversation(client, login, org):
    node = make_node(org.workspace, org.units["checkout"], "co-1")
    note = make_note(node, author=org.people["tribe_leader"], unit=org.units["shop"])
    db.session.commit()
    login(org.people["member"])
    client.post(f"/w/acme/notes/{note.id}/answer", data={"status": "acknowledged",
                                                         "response": "Seen."})
    client.post(f"/w/acme/notes/{note.id}/replies", data={"body": "More soon."})
    (answered,) = _events("note.answered")
    (reply,) = _events("note.reply")
    assert _names(_told(answered), org) == {"tribe_leader"}
    assert _names(_told(reply), org) == {"tribe_leader"}  # Sam replied and answered


def test_nobody_is_told_of_what_they_cannot_see(client, login, org):
    """Findings reach coaches and leaders, never members; people who left the workspace or
    whose account is disabled hear nothing, and another workspace's people never do."""
    ws = org.workspace
    node = make_node(ws, org.units["checkout"], "co-1")
    note = make_note(node, author=org.people["member"], unit=org.units["checkout"])
    leaver = make_person("leo@acme.test", "Leo", [(org.units["checkout"], "member")])
    disabled = make_person("dee@acme.test", "Dee", [(org.units["checkout"], "member")],
                           active=False)
    db.session.commit()
    from cascade.notifications.events import emit
    from cascade.vocabulary import EventKind

    ack = emit(EventKind.FINDING_ACKNOWLEDGED, org.people["coach"], ws.id, code="UNCOVERED",
               units=["checkout", "other"], nodes=["co-1"])
    created = emit(EventKind.NOTE_CREATED, org.people["tribe_leader"], ws.id, node=node,
                   note=note)
    db.session.commit()
    assert _names(_told(ack), org) == set()  # no leader in Checkout; the coach acted
    told = _told(created)
    assert told == {org.people["member"].id, leaver.id}
    db.session.execute(sa.delete(Membership).where(Membership.person_id == leaver.id))
    db.session.commit()
    told = _told(created)
    assert leaver.id not in told and disabled.id not in told
    assert org.people["outsider"].id not in told

    checkout_leader = make_person("cleo@acme.test", "Cleo", [(org.units["checkout"], "leader")])
    db.session.commit()
    assert _told(ack) == {checkout_leader.id}
    ack.actor_id = None
    assert _told(ack) == {checkout_leader.id, org.people["coach"].id}


def test_pulses_and_snapshots_are_events(client, login, org):
    make_node(org.workspace, org.units["shop"], "shop-1")
    db.session.commit()
    login(org.people["coach"])
    client.post("/w/acme/pulses/new", data={
        "title": "Q1 check", "node": "shop-1", "units": [org.units["checkout"].id],
        "statements": "I understand how this relates to my team's work",
        "opens_on": today().isoformat(), "closes_on": "2099-01-01"})
    (opened,) = _events("pulse.opened")
    assert _names(_told(opened), org) == {"member"}
    client.post(f"/w/acme/pulses/{opened.subject['pulse']}/close")
    client.post("/w/acme/findings/snapshots")
    assert [e.kind for e in _events()][-2:] == ["pulse.closed", "score.snapshot"]


def test_a_dependency_request_tells_the_providing_unit_and_its_answer_the_requester(
        client, login, org):
    ws, units = org.workspace, org.units
    root = make_node(ws, units["acme"], "vision", "Vision")
    make_node(ws, units["checkout"], "checkout-goal", "Checkout goal", parent=root)
    make_node(ws, units["payments"], "card-vault", "Card vault", parent=root)
    pat = make_person("pat@acme.test", "Pat", [(units["payments"], "leader")])
    db.session.commit()
    login(org.people["member"])
    client.post("/w/acme/nodes/checkout-goal/links",
                data={"kind": "depends_on", "target": "card-vault"})
    (asked,) = _events("dependency.requested")
    assert asked.subject["title"] == "Card vault" and asked.subject["source_unit"] == "Checkout"
    assert _told(asked) == {pat.id}
    from cascade.models import Link
    link = db.session.scalar(sa.select(Link).where(Link.kind == "depends_on"))
    login(pat)
    client.post(f"/w/acme/dependencies/{link.id}/respond",
                data={"step": "commit", "version": link.version})
    (answered,) = _events("dependency.answered")
    assert (answered.subject["step"], answered.subject["node"]) == ("commit", "checkout-goal")
    assert _names(_told(answered), org) == {"member"}


def test_findings_opened_and_resolved_come_from_comparing_analyses(org):
    """The first comparison only takes note; after it, a gap that appears is `opened` for
    coaches and the leaders of its units, and one that closes is `resolved`."""
    from cascade import clock
    from cascade.notifications.findings import compare

    ws, units = org.workspace, org.units
    assert compare(ws, clock.now()) == (0, 0)
    assert _events("finding.opened") == []
    vision = make_node(ws, units["acme"], "vision", "Vision", status="agreed")
    db.session.commit()
    opened, _ = compare(ws, clock.now())
    db.session.commit()
    events = _events("finding.opened")
    found = {e.subject["code"]: e for e in events}
    assert opened == len(events) and "UNCOVERED" in found
    uncovered = found["UNCOVERED"]
    assert uncovered.subject["nodes"] == ["vision"] and uncovered.unit_id == units["acme"].id
    assert _names(_told(uncovered), org) == {"coach", "leader"}
    assert compare(ws, clock.now()) == (0, 0)  # nothing changed: nothing told
    vision.status = "retired"
    db.session.commit()
    _, resolved = compare(ws, clock.now())
    db.session.commit()
    assert resolved >= 1
    assert "UNCOVERED" in {e.subject["code"] for e in _events("finding.resolved")}


def test_finding_headlines_name_the_rule_with_its_code_secondary():
    """Mails and chat say which gap in words, as the pages do, with the code beside it."""
    from cascade.models import Event
    from cascade.notifications.wording import headline

    event = Event(kind="finding.acknowledged", subject={"actor": "Chloé", "code": "ONE_WAY"})
    assert headline(event) == "Chloé acknowledged a finding, No notes back (ONE_WAY)"

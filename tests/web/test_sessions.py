"""Facilitated sessions through the web: set one up, present it, answer its pulse from the
room, reveal, capture decisions, and the report with its downloads."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import sqlalchemy as sa

from cascade.clock import today
from cascade.db import db
from cascade.models import (
    Acknowledgement,
    AuditEntry,
    FacilitatedSession,
    Node,
    Note,
    Pulse,
    ScoreRecord,
    SessionDecision,
)
from tests.factories import make_node, make_note, make_person
from tests.web.test_pulses import _answer


def _shop(org):
    """Shopping's objective, translated by Checkout (stale) and not by Search."""
    ws, units = org.workspace, org.units
    vision = make_node(ws, units["acme"], "vision", "Checkout in one minute")
    goal = make_node(ws, units["shop"], "shop-1", "Shopping gets faster", parent=vision,
                     revision=2)
    make_node(ws, units["checkout"], "co-1", "One-tap checkout", parent=goal,
              parent_revision_seen=1)
    make_note(goal, author=org.people["member"], unit=units["checkout"], stance="blocker",
              body="We cannot do this without the payments API.")
    team = [make_person(f"t{i}@acme.test", f"Teammate {i}", [(units["checkout"], "member")])
            for i in range(3)]
    db.session.commit()
    return team


def _create(client, org, **extra):
    page = client.get("/w/acme/sessions/new?node=shop-1").get_data(as_text=True)
    fingerprints = re.findall(r'name="findings" type="checkbox" value="(\w+)"', page)
    data = {"title": "Shopping review", "template": "coherence_review", "node": "shop-1",
            "unit": "", "findings": fingerprints, "pulse": "",
            "statement": "I know what this objective asks of my team", "anonymised": "y",
            "step_minutes": "7"} | extra
    return client.post("/w/acme/sessions/new", data=data), fingerprints


def test_coach_sets_up_a_session_for_a_subtree(client, login, org):
    _shop(org)
    login(org.people["coach"])
    response, fingerprints = _create(client, org)
    assert response.status_code == 302 and fingerprints
    session = db.session.scalar(sa.select(FacilitatedSession))
    assert (session.key, session.scope_node.key, session.step_minutes) == (
        "shopping-review", "shop-1", 7)
    assert session.findings == fingerprints and len(session.code) == 6
    pulse = db.session.get(Pulse, session.pulse_id)
    assert {u.key for u in pulse.units} == {"shop", "checkout"}  # the subtree's owners
    assert [s.text for s in pulse.statements] == ["I know what this objective asks of my team"]
    assert db.session.scalar(sa.select(sa.func.count(ScoreRecord.id))) == 1  # the day recorded
    assert db.session.scalar(sa.select(AuditEntry.target).where(
        AuditEntry.action == "session.create")) == "shopping-review"
    shown = client.get("/w/acme/sessions/shopping-review").get_data(as_text=True)
    assert f"/s/{session.code}" in shown and '<svg viewBox' in shown and "room-qr" in shown


def test_setting_up_refuses_what_makes_no_session(client, login, org):
    _shop(org)
    login(org.people["coach"])
    response, _ = _create(client, org, template="catchball", node="")
    assert response.status_code == 400 and b"Catchball is about one objective" in response.data
    response, _ = _create(client, org, template="nonsense")
    assert response.status_code == 400 and b"Not a valid choice" in response.data
    response, _ = _create(client, org, step_minutes="0")
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(FacilitatedSession.id))) == 0
    login(org.people["leader"])
    assert client.get("/w/acme/sessions/new").status_code == 403


def test_the_room_sees_the_count_until_the_reveal(client, login, org):
    team = _shop(org)
    login(org.people["coach"])
    _create(client, org)
    session = db.session.scalar(sa.select(FacilitatedSession))
    pulse = db.session.get(Pulse, session.pulse_id)

    login(team[0])
    joined = client.get(f"/s/{session.code}")
    assert joined.status_code == 302 and joined.location.endswith(f"/pulses/{pulse.key}/answer")
    login(org.people["outsider"])
    assert client.get(f"/s/{session.code}").status_code == 403

    for person, value in zip(team, [1, 5, 4], strict=True):
        assert _answer(client, login, person, pulse, [value]).status_code == 302
    login(org.people["coach"])
    page = client.get("/w/acme/sessions/shopping-review/present").get_data(as_text=True)
    assert re.search(r'id="answered-count"[^>]*>3<', page)
    assert "stacked-bar" not in page and "median" not in page
    assert client.get("/w/acme/sessions/shopping-review/count").get_json() == {
        "answered": 3, "revealed": False}
    # the notes behind a finding name the unit, never the person, in an anonymised session
    assert "We cannot do this without the payments API." in page
    assert "Checkout" in page and org.people["member"].name not in page
    assert "Suggested conversation" in page and "graph-svg" in page

    assert client.post("/w/acme/sessions/shopping-review/reveal",
                       data={"step": "3"}).location.endswith("/present#step-3")
    page = client.get("/w/acme/sessions/shopping-review/present").get_data(as_text=True)
    assert "stacked-bar" in page and "range 1–5" in page
    db.session.expire_all()
    assert str(db.session.get(Pulse, pulse.id).status) == "closed"


def test_a_small_room_stays_hidden_after_the_reveal(client, login, org):
    team = _shop(org)
    login(org.people["coach"])
    _create(client, org)
    session = db.session.scalar(sa.select(FacilitatedSession))
    pulse = db.session.get(Pulse, session.pulse_id)
    for person, value in zip(team[:2], [1, 5], strict=True):
        _answer(client, login, person, pulse, [value])
    login(org.people["coach"])
    client.post("/w/acme/sessions/shopping-review/reveal")
    page = client.get("/w/acme/sessions/shopping-review/present").get_data(as_text=True)
    assert "Not enough answers to show without exposing anyone" in page
    assert "range 1–5" not in page


def test_decisions_are_captured_as_notes_and_acknowledgements(client, login, org):
    _shop(org)
    login(org.people["coach"])
    _, fingerprints = _create(client, org)
    url = "/w/acme/sessions/shopping-review/decisions"
    assert client.post(url, data={"text": "Meet Payments next week", "about": "",
                                  "step": "9"}).location.endswith("#step-9")
    client.post(url, data={"text": "Known: Search joins in Q3",
                           "about": f"finding:{fingerprints[0]}"})
    client.post(url, data={"text": "Split the objective in two", "about": "node:shop-1",
                           "kind": "coherence", "stance": "concern"})
    client.post(url, data={"text": "", "about": ""})  # refused, nothing stored
    decisions = db.session.scalars(sa.select(SessionDecision).order_by(SessionDecision.id)).all()
    assert [d.text for d in decisions] == ["Meet Payments next week", "Known: Search joins in Q3",
                                           "Split the objective in two"]
    assert decisions[1].fingerprint == fingerprints[0] and db.session.scalar(
        sa.select(Acknowledgement.comment).where(
            Acknowledgement.fingerprint == fingerprints[0])) == "Known: Search joins in Q3"
    note = db.session.get(Note, decisions[2].note_id)
    assert (note.node.key, str(note.stance), note.author_id) == (
        "shop-1", "concern", org.people["coach"].id)


def test_the_report_prints_and_downloads_what_was_seen_and_decided(client, login, org):
    team = _shop(org)
    login(org.people["coach"])
    _create(client, org)
    session = db.session.scalar(sa.select(FacilitatedSession))
    for person, value in zip(team, [2, 2, 4], strict=True):
        _answer(client, login, person, db.session.get(Pulse, session.pulse_id), [value])
    login(org.people["coach"])
    client.post("/w/acme/sessions/shopping-review/reveal")
    client.post("/w/acme/sessions/shopping-review/decisions",
                data={"text": "Meet Payments next week", "about": ""})
    client.post("/w/acme/sessions/shopping-review/end")
    login(org.people["leader"])
    page = client.get("/w/acme/sessions/shopping-review/report").get_data(as_text=True)
    for heading in ("Score and trend", "The picture", "Findings and their conversations",
                    "The range of views", "Notes by kind and stance",
                    "What changed since the previous session", "What was decided"):
        assert heading in page
    assert "Meet Payments next week" in page and "css/report.css" in page
    data = json.loads(client.get("/w/acme/sessions/shopping-review/report.json").data)
    assert data["scope"]["node"] == "shop-1" and data["session"]["status"] == "ended"
    assert data["pulse"]["statements"][0]["units"] == [
        {"unit": "shop", "counts": None}, {"unit": "checkout", "counts": [0, 2, 0, 1, 0]}]
    assert [d["text"] for d in data["decisions"]] == ["Meet Payments next week"]
    assert {"kind": "feasibility", "support": 0, "question": 0, "concern": 0,
            "blocker": 1} in data["notes"]
    rows = list(csv.reader(io.StringIO(
        client.get("/w/acme/sessions/shopping-review/report.csv").get_data(as_text=True))))
    assert rows[0] == ["section", "subject", "detail", "value"]
    assert ["decision", "Meet Payments next week"] == rows[-1][:2]
    text = json.dumps(data)
    assert all(p.name not in text for p in team) and org.people["member"].name not in text


def test_the_next_session_shows_what_changed_since_this_one(client, login, org):
    _shop(org)
    login(org.people["coach"])
    _create(client, org)
    first = db.session.scalar(sa.select(FacilitatedSession))
    record = db.session.scalar(sa.select(ScoreRecord))
    earlier = today() - timedelta(days=14)
    record.as_of = earlier  # as if the first session was two weeks ago
    first.created_at = first.created_at - timedelta(days=14)
    goal = db.session.scalar(sa.select(Node).where(Node.key == "shop-1"))
    make_node(org.workspace, org.units["search"], "se-1", "Search in a blink", parent=goal,
              status="draft")  # in the session's subtree
    make_node(org.workspace, org.units["payments"], "pay-1", "Payments API")  # outside it
    db.session.commit()
    _create(client, org, title="Shopping again")
    page = client.get("/w/acme/sessions/shopping-again/present").get_data(as_text=True)
    assert f"Since {earlier.isoformat()}</p>" in page
    added = re.search(r'Nodes added <span class="count">(\d+)</span></h3>(.*?)</section>', page,
                      re.S)
    assert added.group(1) == "1" and "Search in a blink" in added.group(2)
    assert "Payments API" not in page


def test_an_ended_sessions_report_shows_the_day_it_ended_not_today(client, login, org):
    _shop(org)
    login(org.people["coach"])
    _create(client, org)
    client.post("/w/acme/sessions/shopping-review/decisions",
                data={"text": "Ask Search to translate", "about": ""})
    client.post("/w/acme/sessions/shopping-review/end")
    session = db.session.scalar(sa.select(FacilitatedSession))
    [record] = db.session.scalars(sa.select(ScoreRecord)).all()  # the end re-recorded the day
    assert record.taken_by_id == org.people["coach"].id
    # as if it ended three days ago, and the strategy moved on since
    ended = today() - timedelta(days=3)
    session.created_at -= timedelta(days=3)
    session.ended_at -= timedelta(days=3)
    record.as_of = ended
    make_node(org.workspace, org.units["search"], "search-1", "Search translates it at last",
              parent=db.session.scalar(sa.select(Node).where(Node.key == "shop-1")))
    db.session.commit()

    page = client.get("/w/acme/sessions/shopping-review/report").get_data(as_text=True)
    assert f"as the room left it on {ended.isoformat()}" in page
    assert "Search translates it at last" not in page
    assert "Ask Search to translate" in page
    data = json.loads(client.get("/w/acme/sessions/shopping-review/report.json").data)
    assert (data["as_of"], data["session"]["ended"]) == (ended.isoformat(), ended.isoformat())
    assert [point["as_of"] for point in data["trend"]] == [ended.isoformat()]
    presented = client.get("/w/acme/sessions/shopping-review/present").get_data(as_text=True)
    assert "Search translates it at last" not in presented
    # a session still running shows today
    session.ended_at, session.status = None, "open"
    db.session.commit()
    page = client.get("/w/acme/sessions/shopping-review/report").get_data(as_text=True)
    assert f"as of {today().isoformat()}" in page and "Search translates it at last" in page

"""Pulses travel in cascade/v1 files with their answers, and nobody's identity goes with them."""

from __future__ import annotations

import json

import sqlalchemy as sa

from cascade import interchange
from cascade.clock import today
from cascade.db import db
from cascade.findings.analysis import analysis_of
from cascade.models import PulseAnswer, Workspace
from tests.factories import make_person
from tests.web.test_pulses import _answer, _open_pulse, _vision


def test_pulse_answers_given_on_the_web_survive_export_and_import(client, login, org):
    vision, _ = _vision(org)
    pulse = _open_pulse(org, vision, [org.units["checkout"]], texts=("A", "B"))
    people = [make_person(f"t{i}@acme.test", f"T{i}", [(org.units["checkout"], "member")])
              for i in range(3)]
    db.session.commit()
    for person, values, comment in zip(people, [[1, 3], [5, 4], [4, 4]], ["late", "", "early"],
                                       strict=True):
        _answer(client, login, person, pulse, values, comment)
    exported = interchange.dump(org.workspace)
    [entry] = exported["pulses"]
    assert entry["units"] == ["checkout"] and entry["node"] == "vision"
    assert [a["value"] for a in entry["statements"][0]["answers"]] == [1, 4, 5]
    assert [a["comment"] for a in entry["statements"][0]["answers"]] == ["late", "early", None]
    text = json.dumps(exported)
    assert all(f"t{i}@acme.test" in text for i in range(3))  # as people, never with answers
    assert "respondent" not in text
    assert all(set(a) == {"unit", "value", "role", "comment"}
               for s in entry["statements"] for a in s["answers"])

    copy = json.loads(text)
    copy["workspace"]["slug"] = "acme-copy"
    ws = interchange.load(copy)
    db.session.commit()
    again = interchange.dump(ws)
    assert again["pulses"] == exported["pulses"]
    codes = {f.code for f in analysis_of(ws, today()).findings}
    assert "DIVERGENT_VIEWS" in codes
    assert db.session.scalar(sa.select(sa.func.count(PulseAnswer.id))
                             .where(PulseAnswer.respondent.is_(None))) == 6


def test_the_demo_pulses_round_trip(app):
    from cascade.clock import now
    from cascade.interchange.demo import document

    ws = interchange.load(document(now()))
    db.session.commit()
    first = interchange.dump(ws)
    interchange.load(json.loads(json.dumps(first)), replace=True)
    db.session.commit()
    ws = db.session.scalar(sa.select(Workspace).where(Workspace.slug == first["workspace"]["slug"]))
    assert interchange.dump(ws)["pulses"] == first["pulses"]
    assert sum(len(s["answers"]) for p in first["pulses"] for s in p["statements"]) > 0

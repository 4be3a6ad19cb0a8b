"""`cascade/v1` measures with check-ins and dependency objects: validated at their JSON
paths, imported, exported again identically; earlier files mean what they meant."""

from __future__ import annotations

import copy
from datetime import date

from cascade import interchange
from cascade.db import db
from cascade.findings.analysis import analyse_workspace
from tests.documents import small_document

SECOND = {"BLIND", "STALE_MEASURE", "NEGLECTED", "CONFIDENCE_CONTRADICTION",
          "HORIZON_MISMATCH", "UNCONFIRMED_DEPENDENCY"}


def with_progress(slug: str = "acme") -> dict:
    doc = small_document(slug)
    doc["units"].append({"key": "risk", "name": "Risk", "parent": "acme"})
    doc["nodes"].append({"key": "risk-1", "title": "Fraud checks", "unit": "risk",
                         "parent": "vision", "status": "agreed",
                         "depends_on": [{"node": "pay-1", "state": "declined",
                                         "created_at": "2026-09-01T08:00:00Z",
                                         "response": "Not this year."}]})
    doc["nodes"][1]["horizon"] = "2026-H2"
    doc["nodes"][1]["measures"] = [{
        "key": "taps", "name": "One-tap share", "unit_of_measure": "%", "direction": "increase",
        "baseline": 5, "target": 40.5, "start": "2026-07-01", "cadence_days": 14,
        "check_ins": [{"value": 12, "confidence": 8, "comment": "Slow start",
                       "author": "kim@acme.test", "unit": "payments",
                       "created_at": "2026-08-01T10:00:00Z"},
                      {"value": 14.25, "author": "kim@acme.test", "unit": "payments",
                       "created_at": "2026-10-20T10:00:00Z"}]}]
    return doc


def _import(doc: dict, replace: bool = False) -> dict:
    ws = interchange.load(copy.deepcopy(doc), replace=replace)
    db.session.commit()
    return interchange.dump(ws)


def test_measures_and_agreements_round_trip_identically(app):
    first = _import(with_progress())
    [measure] = first["nodes"][1]["measures"]
    assert measure["target"] == 40.5 and measure["baseline"] == 5 and measure["due"] is None
    assert [c["value"] for c in measure["check_ins"]] == [12, 14.25]
    assert first["nodes"][2]["depends_on"] == [{
        "node": "pay-1", "state": "declined", "needed_by": None,
        "created_at": "2026-09-01T08:00:00Z", "response": "Not this year."}]
    assert interchange.problems(first) == []
    assert _import(first, replace=True) == first


def test_imported_progress_raises_the_second_catalogue(app):
    ws = interchange.load(with_progress())
    db.session.commit()
    found = {(f.code, f.severity) for f in analyse_workspace(ws, date(2026, 11, 1)).findings}
    assert ("UNCONFIRMED_DEPENDENCY", "high") in found
    assert ("NEGLECTED", "high") in found  # 14.25 of 5→40.5 with two thirds of H2 gone


def test_an_earlier_file_means_what_it_meant(app):
    doc = small_document()
    plain = _import(doc)
    assert all("measures" not in n for n in plain["nodes"])
    assert all(isinstance(t, str) for n in plain["nodes"] for t in n.get("depends_on", []))
    ws = interchange.load(copy.deepcopy(doc) | {"workspace": {"slug": "b", "name": "B"}})
    db.session.commit()
    codes = {f.code for f in analyse_workspace(ws, date(2026, 11, 1)).findings}
    assert codes.isdisjoint(SECOND)


def test_progress_does_not_change_the_first_catalogue(app):
    doc = with_progress()
    stripped = copy.deepcopy(doc) | {"workspace": {"slug": "plain", "name": "Plain"}}
    for node in stripped["nodes"]:
        node.pop("measures", None)
        node["depends_on"] = [d["node"] if isinstance(d, dict) else d
                              for d in node.get("depends_on", [])]
    first, second = interchange.load(doc), interchange.load(stripped)
    db.session.commit()

    def first_catalogue(ws):
        return [(f.code, f.nodes, f.units) for f in
                analyse_workspace(ws, date(2026, 11, 1)).findings if f.code not in SECOND]
    assert first_catalogue(first) == first_catalogue(second)


def _problems(**changes) -> list[tuple[str, str]]:
    doc = with_progress()
    measure = doc["nodes"][1]["measures"][0]
    for name, value in changes.items():
        if name == "dependency":
            doc["nodes"][2]["depends_on"][0].update(value)
        elif name == "check_in":
            measure["check_ins"][0].update(value)
        elif value is None:
            measure.pop(name)
        else:
            measure[name] = value
    return interchange.problems(doc)


def test_problems_name_their_json_paths():
    here = "$.nodes[1].measures[0]"
    assert _problems() == []
    assert _problems(target=None) == [(f"{here}.target",
                                       "is required for a measure to increase or decrease")]
    assert _problems(direction="maintain", band_low=3) == [
        (f"{here}.band_high", "is required for a measure to maintain")]
    assert _problems(direction="maintain", band_low=3, band_high=2) == [
        (f"{here}.band_high", "must not be below band_low")]
    assert _problems(due="2026-06-30") == [(f"{here}.due", "must not be before start")]
    assert _problems(start="July") == [(f"{here}.start", "must be a date as YYYY-MM-DD")]
    assert _problems(cadence_days=0)[0][0] == f"{here}.cadence_days"
    assert _problems(direction="up")[0][0] == f"{here}.direction"
    assert _problems(key="Bad Key")[0][0] == f"{here}.key"
    assert _problems(baseline=True)[0][0] == f"{here}.baseline"
    assert _problems(baseline=float("nan"))[0][0] == f"{here}.baseline"
    assert _problems(check_in={"confidence": 11})[0][0] == f"{here}.check_ins[0].confidence"
    assert _problems(check_in={"value": "12"})[0][0] == f"{here}.check_ins[0].value"
    assert _problems(check_in={"author": "nobody@acme.test"}) == [
        (f"{here}.check_ins[0].author", "unknown person 'nobody@acme.test'")]
    assert _problems(check_in={"created_at": "yesterday"})[0][0] == \
        f"{here}.check_ins[0].created_at"


def test_dependency_objects_are_checked():
    here = "$.nodes[2].depends_on[0]"
    assert _problems(dependency={"state": "maybe"})[0][0] == f"{here}.state"
    assert _problems(dependency={"node": "nowhere"}) == [(here, "unknown node 'nowhere'")]
    assert _problems(dependency={"created_at": 5})[0][0] == f"{here}.created_at"
    doc = with_progress()
    doc["nodes"][2]["unit"] = "payments"  # now both nodes belong to one unit
    assert (f"{here}.state", "a link between nodes of one unit is committed from the start "
                             "(got 'declined')") in interchange.problems(doc)


def test_two_measures_of_a_node_need_their_own_keys():
    doc = with_progress()
    doc["nodes"][1]["measures"].append(copy.deepcopy(doc["nodes"][1]["measures"][0]))
    assert interchange.problems(doc) == [
        ("$.nodes[1].measures[1].key", "duplicate measure key 'taps' "
                                        "(first at $.nodes[1].measures[0].key)")]

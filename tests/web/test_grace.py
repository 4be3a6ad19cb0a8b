"""The grace after agreement on a stored workspace: marking agreed records when, the
engine waits `translation_grace_days` before UNCOVERED, and `agreed_at` travels through
`cascade/v1` files unchanged."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from cascade import interchange
from cascade.db import db
from cascade.findings.analysis import analyse_workspace
from cascade.interchange import demo
from cascade.models import Node
from tests.documents import small_document
from tests.factories import make_node


def _node(key):
    db.session.expire_all()
    return db.session.scalar(sa.select(Node).where(Node.key == key))


def test_marking_agreed_records_when_and_the_grace_runs_from_it(client, login, org):
    make_node(org.workspace, org.units["shop"], "shop-9", status="proposed")
    db.session.commit()
    assert _node("shop-9").agreed_at is None
    login(org.people["tribe_leader"])
    before = datetime.now(UTC)
    client.post("/w/acme/nodes/shop-9/status", data={"status": "agreed"})
    agreed = _node("shop-9").agreed_at
    assert agreed is not None and before <= agreed <= datetime.now(UTC)
    today = agreed.date()

    def uncovered(as_of):
        found = analyse_workspace(org.workspace, as_of).findings
        return [f for f in found if f.code == "UNCOVERED" and f.nodes == ("shop-9",)]

    assert uncovered(today) == []                          # agreed today: in grace
    assert uncovered(today + timedelta(days=13)) == []
    assert len(uncovered(today + timedelta(days=14))) == 1  # past the grace at the day's end


def test_agreed_at_round_trips_through_a_file(app):
    doc = small_document()
    doc["nodes"][0]["agreed_at"] = "2026-09-30T08:15:00Z"
    ws = interchange.load(copy.deepcopy(doc))
    db.session.commit()
    exported = interchange.dump(ws)
    assert exported["nodes"][0]["agreed_at"] == "2026-09-30T08:15:00Z"
    assert "agreed_at" not in exported["nodes"][1]   # unknown stays unknown
    again = interchange.dump(interchange.load(copy.deepcopy(exported), replace=True))
    assert again == exported


def test_a_bad_agreed_at_is_refused_at_its_path(app):
    doc = small_document()
    doc["nodes"][1]["agreed_at"] = "last tuesday"
    assert ("$.nodes[1].agreed_at", "must be an ISO 8601 date-time with a time zone") \
        in interchange.problems(doc)
    doc["nodes"][1]["agreed_at"] = 20261001
    assert any(path == "$.nodes[1].agreed_at" for path, _ in interchange.problems(doc))


def test_a_file_without_agreed_at_gives_the_findings_it_gave_before(app):
    """The demo without its agreement times: every node counts as agreed long ago, so the
    findings are those of the demo with times long past its grace, on every day."""
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    doc = demo.document(now)
    bare = copy.deepcopy(doc)
    for node in bare["nodes"]:
        node.pop("agreed_at", None)
    bare["workspace"]["slug"] = "bare"
    old = copy.deepcopy(doc)
    for node in old["nodes"]:
        node["agreed_at"] = "2020-01-01T00:00:00Z"
    old["workspace"]["slug"] = "old"
    with_times = [interchange.load(d) for d in (bare, old)]
    db.session.commit()
    for as_of in (date(2026, 11, 1), date(2026, 6, 1)):
        found = [[(f.code, f.nodes, f.units, f.message) for f in
                  analyse_workspace(ws, as_of).findings] for ws in with_times]
        assert found[0] == found[1] and found[0]

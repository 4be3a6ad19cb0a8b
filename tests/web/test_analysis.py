"""The demo workspace, loaded through the importer, shows most of the rule catalogue."""

from datetime import UTC, datetime

from cascade import interchange
from cascade.clock import today
from cascade.db import db
from cascade.findings.analysis import analyse_workspace, analysis_of
from cascade.interchange.demo import document


def test_demo_workspace_shows_most_rules(app):
    ws = interchange.load(document(datetime.now(UTC)))
    db.session.commit()
    codes = {f.code for f in analysis_of(ws, today()).findings}
    assert codes >= {"UNCOVERED", "STALE_TRANSLATION", "ORPHANED", "UNALIGNED", "OFF_STRUCTURE",
                     "UNANSWERED_FEEDBACK", "ONE_WAY", "DEPENDENCY_CYCLE", "BROKEN_DEPENDENCY",
                     "DIVERGENT_VIEWS", "LOW_UNDERSTANDING", "OVERLOAD", "UNENGAGED_UNIT"}


def test_snapshot_queries_do_not_grow_with_the_workspace(app, count_queries):
    ws = interchange.load(document(datetime.now(UTC)))
    db.session.commit()
    with count_queries() as counter:
        analyse_workspace(ws, today())
    assert counter.count <= 8


def test_demo_workspace_shows_each_second_catalogue_rule_once(app):
    ws = interchange.load(document(datetime.now(UTC)))
    db.session.commit()
    found = [(f.code, f.nodes) for f in analysis_of(ws, today()).findings]
    second = {"BLIND", "STALE_MEASURE", "NEGLECTED", "CONFIDENCE_CONTRADICTION",
              "HORIZON_MISMATCH", "UNCONFIRMED_DEPENDENCY"}
    assert sorted(f for f in found if f[0] in second) == [
        ("BLIND", ("checkout-2",)),
        ("CONFIDENCE_CONTRADICTION", ("pay-2",)),
        ("HORIZON_MISMATCH", ("delivery-1", "ful-1")),
        ("NEGLECTED", ("warehouse-2",)),
        ("STALE_MEASURE", ("inventory-1",)),
        ("UNCONFIRMED_DEPENDENCY", ("warehouse-2", "inventory-1")),
    ]

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

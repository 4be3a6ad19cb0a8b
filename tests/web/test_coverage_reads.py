"""The coverage matrix (its page and the overview's) reads three levels of the outline, never
the whole strategy, and shows what a matrix built from the whole outline shows."""

import pytest
import sqlalchemy as sa

from cascade import interchange
from cascade.db import db
from cascade.findings import snapshot
from cascade.models import Node, NodeStatus, Workspace
from cascade.strategy import coverage
from cascade.strategy.outline import load_strategy
from tests.web.test_strategy_queries import workspace_doc


@pytest.fixture
def two_sizes(app):
    for slug, size in (("small", 50), ("big", 2000)):
        interchange.load(workspace_doc(slug, size))
    db.session.commit()


def _shown(matrix: coverage.Matrix) -> tuple:
    return (matrix.node.key, [u.key for u in matrix.units],
            [(row.entry.key, [(c.state, [t.key for t in c.translations], c.notes, c.reason)
                              for c in row.cells]) for row in matrix.rows])


def _refuse(*args, **kwargs):
    raise AssertionError("the matrix read every node of the workspace")


def test_a_matrix_reads_three_levels_and_agrees_with_the_whole_outline(
        app, two_sizes, monkeypatch):
    for slug, step in (("small", 1), ("big", 53)):
        ws = db.session.scalar(sa.select(Workspace).where(Workspace.slug == slug))
        # one translation stale, one node retired: the states the matrix must tell apart
        theme = db.session.scalar(sa.select(Node).where(Node.key == f"{slug}-n1"))
        theme.revision += 1
        db.session.scalar(sa.select(Node).where(Node.key == f"{slug}-n2-c")).status = \
            NodeStatus.RETIRED
        db.session.flush()
        units = snapshot.unit_rows(ws)
        whole = load_strategy(ws, units)
        nodes = [e for e in whole.nodes.values() if e.live_children][::step]
        expected = {e.id: _shown(coverage.build(whole, e, *coverage.load_facts(ws, [e])))
                    for e in nodes}
        roots = sorted((e for e in whole.roots if e.unit.parent_id is None and e.live
                        and e.live_children), key=lambda e: e.title)
        tops = [_shown(coverage.build(whole, e, *coverage.load_facts(ws, [e]))) for e in roots]
        with monkeypatch.context() as patched:
            patched.setattr(snapshot, "node_rows", _refuse)
            for entry in nodes:
                assert _shown(coverage.coverage(ws, entry.id, units)) == expected[entry.id]
            assert [_shown(m) for m in coverage.top_of_strategy(ws, units)] == tops
        assert tops and tops[0][0] == f"{slug}-root"
        states = {c[0] for _, cells in expected[whole.get(f"{slug}-root").id][2] for c in cells}
        assert {"translated", "stale"} <= states, states

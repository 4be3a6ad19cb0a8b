"""What the tree says lies below a folded node, against a plain walk over random trees."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from cascade import trees
from cascade.coherence import Analysis
from cascade.coherence.model import Node, Snapshot, Unit
from cascade.strategy.folding import below_each

UNITS = (Unit("org", "Org"), Unit("a", "A", "org"), Unit("b", "B", "org"))


@st.composite
def snapshots(draw):
    """A tree of up to 40 nodes (each under an earlier one), in random units and states,
    some depending on others: findings of one node and of several."""
    size = draw(st.integers(1, 40))
    nodes = []
    for i in range(size):
        parent = draw(st.none() | st.integers(0, i - 1)) if i else None
        depends = draw(st.lists(st.integers(0, size - 1), max_size=2))
        nodes.append(Node(f"n{i}", f"Node {i}", draw(st.sampled_from(["org", "a", "b"])),
                          None if parent is None else f"n{parent}",
                          draw(st.sampled_from(["draft", "agreed", "retired", "proposed"])),
                          depends_on=tuple(f"n{d}" for d in depends if d != i)))
    return Snapshot("w", units=UNITS, nodes=tuple(nodes))


@settings(max_examples=60, deadline=None)
@given(snapshots())
def test_below_each_counts_each_finding_once_above_the_nodes_it_involves(snapshot):
    analysis = Analysis.of(snapshot, date(2026, 11, 1))
    parent = {n.key: n.parent for n in snapshot.nodes}
    expected = {}
    for key in parent:
        below = [k for k in parent if key in trees.ancestors(k, parent)]
        if below:
            counts: dict[str, int] = {}
            for finding in analysis.open_findings:
                if any(k in below for k in finding.nodes):
                    counts[finding.severity] = counts.get(finding.severity, 0) + 1
            expected[key] = (len(below), counts)
    found = below_each(analysis)
    assert {k: (b.nodes, b.findings) for k, b in found.items()} == expected
    assert below_each(analysis) is found  # kept with the analysis

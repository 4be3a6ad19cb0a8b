"""Properties that must hold for any valid workspace, generated at random."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.coherence import analyse, score
from cascade.coherence.graph import Index, as_of_end
from cascade.coherence.model import (
    NODE_STATUSES,
    NOTE_KINDS,
    NOTE_STANCES,
    NOTE_STATUSES,
    SEVERITIES,
    Answer,
    Node,
    Note,
    Snapshot,
    Statement,
    Unit,
)
from cascade.coherence.rules import RULES
from tests.profiles import examples
from tests.unit.builders import AS_OF

CODES = {rule.__name__.upper() for rule in RULES}
END = as_of_end(AS_OF)


@st.composite
def workspaces(draw: st.DrawFn) -> Snapshot:
    """A random unit tree, a node forest spread over it, links, notes and pulses."""
    units = []
    for i in range(draw(st.integers(1, 6))):
        parent = draw(st.none() | st.integers(0, i - 1)) if i else None
        units.append(Unit(f"u{i}", f"Unit {i}", None if parent is None else f"u{parent}",
                          draw(st.sampled_from((False, False, False, True)))))
    unit_keys = [u.key for u in units]
    keys = [f"n{i}" for i in range(draw(st.integers(0, 14)))]
    nodes = []
    for i, key in enumerate(keys):
        parent = draw(st.none() | st.sampled_from(keys[:i])) if i else None
        nodes.append(Node(
            key, f"Node {i}", draw(st.sampled_from(unit_keys)), parent,
            draw(st.sampled_from(NODE_STATUSES)), draw(st.integers(1, 3)),
            draw(st.none() | st.integers(1, 3)),
            tuple(draw(st.lists(st.sampled_from(keys), max_size=3)))))
    notes = [] if not keys else [
        Note(f"note{i}", draw(st.sampled_from(keys)), draw(st.sampled_from(NOTE_KINDS)),
             draw(st.sampled_from(NOTE_STANCES)), draw(st.none() | st.sampled_from(unit_keys)),
             draw(st.sampled_from(NOTE_STATUSES)),
             END - timedelta(hours=draw(st.integers(-72, 24 * 30))),
             draw(st.sampled_from((None, "", "  ", "Heard, thank you."))))
        for i in range(draw(st.integers(0, 8)))]
    answers = st.builds(Answer, st.sampled_from(unit_keys), st.integers(1, 5))
    statements = [
        Statement(f"p{draw(st.integers(0, 2))}", draw(st.sampled_from(("Clear", "Feasible"))),
                  draw(st.none() | st.sampled_from(keys)) if keys else None,
                  tuple(draw(st.lists(answers, max_size=6))))
        for _ in range(draw(st.integers(0, 4)))]
    return Snapshot("w", tuple(units), tuple(nodes), tuple(notes), tuple(statements))


def shuffled(draw: st.DrawFn, snap: Snapshot) -> Snapshot:
    """The same workspace with every tuple, nested ones included, in another order."""
    def perm(items: tuple) -> tuple:
        return tuple(draw(st.permutations(items)))
    return dataclasses.replace(
        snap, units=perm(snap.units),
        nodes=perm(tuple(dataclasses.replace(n, depends_on=perm(n.depends_on))
                         for n in snap.nodes)),
        notes=perm(snap.notes),
        statements=perm(tuple(dataclasses.replace(s, answers=perm(s.answers))
                              for s in snap.statements)))


@settings(max_examples=examples(150), deadline=None)
@given(workspaces())
def test_any_workspace_analyses_into_well_formed_findings(snap):
    node_keys, unit_keys = {n.key for n in snap.nodes}, {u.key for u in snap.units}
    results = analyse(snap, AS_OF)
    for found in results:
        assert found.code in CODES and found.severity in SEVERITIES
        assert set(found.nodes) <= node_keys and set(found.units) <= unit_keys
        assert found.nodes or found.units
        assert found.message and found.suggestion
    assert len({f.fingerprint for f in results}) == len(results)  # one finding per gap


@settings(max_examples=examples(100), deadline=None)
@given(st.data())
def test_findings_do_not_depend_on_row_order(data):
    snap = data.draw(workspaces())
    other = shuffled(data.draw, snap)
    assert [f.as_dict() for f in analyse(other, AS_OF)] == \
        [f.as_dict() for f in analyse(snap, AS_OF)]


@settings(max_examples=examples(150), deadline=None)
@given(st.data())
def test_retiring_a_leaf_uncovers_at_most_its_parent(data):
    snap = data.draw(workspaces())
    index = Index(snap)
    leaves = [n for n in snap.nodes if n.status != "retired" and not index.children.get(n.key)]
    if not leaves:
        return
    leaf = data.draw(st.sampled_from(leaves))
    after = dataclasses.replace(snap, nodes=tuple(
        dataclasses.replace(n, status="retired") if n.key == leaf.key else n
        for n in snap.nodes))

    def uncovered(s: Snapshot) -> set[str]:
        return {f.nodes[0] for f in analyse(s, AS_OF) if f.code == "UNCOVERED"}
    assert uncovered(after) - uncovered(snap) <= {leaf.parent}


@settings(max_examples=examples(100), deadline=None)
@given(workspaces())
def test_scores_stay_within_0_and_100_per_subtree(snap):
    found = analyse(snap, AS_OF)
    by_node = {n.key: score(snap, found, root=n.key) for n in snap.nodes}
    assert 0 <= score(snap, found) <= 100
    assert (score(snap, found) == 100) == (not found)
    assert all(0 <= value <= 100 for value in by_node.values())


@settings(max_examples=examples(100), deadline=None)
@given(st.data())
def test_acknowledging_a_finding_never_lowers_a_score(data):
    snap = data.draw(workspaces())
    found = analyse(snap, AS_OF)
    if not found:
        return
    chosen = data.draw(st.sampled_from(found))
    acked = dataclasses.replace(snap, acknowledged=frozenset({chosen.fingerprint}))
    found_after = analyse(acked, AS_OF)
    assert score(acked, found_after) >= score(snap, found)
    assert all(score(acked, found_after, root=n.key) >= score(snap, found, root=n.key)
               for n in snap.nodes)

"""Rules about the shape of the strategy: each one triggered, and its near misses."""

from __future__ import annotations

from tests.unit.builders import (
    change,
    coherent,
    edit_node,
    findings,
    node,
    summary,
    unit,
    with_nodes,
)


def test_coherent_workspace_has_no_findings():
    assert findings(coherent()) == []


# UNCOVERED

def test_uncovered_agreed_node_without_translation():
    snap = with_nodes(coherent(), node("obj-2", "acme", "vision", seen=2,
                                       title="Fewer incidents"))
    [found] = findings(snap, "UNCOVERED")
    assert summary([found]) == [("UNCOVERED", "high", ("obj-2",), ("acme",))]
    assert "“Fewer incidents” is agreed but no unit below Acme" in found.message
    assert found.suggestion.startswith("Ask Acme's teams")


def test_uncovered_retired_child_does_not_count_as_a_child():
    snap = edit_node(coherent(), "risk-1", status="retired")
    snap = edit_node(snap, "pay-1", status="retired")
    assert [f.nodes for f in findings(snap, "UNCOVERED")] == [("obj-1",)]


def test_uncovered_not_for_a_unit_without_sub_units():
    snap = with_nodes(coherent(), node("risk-2", "risk", "obj-1", seen=1))
    assert findings(snap, "UNCOVERED") == []


def test_uncovered_archived_sub_unit_is_not_a_sub_unit():
    snap = change(coherent(), units=coherent().units + (unit("lone"), unit("gone", "lone",
                                                                          archived=True)))
    snap = with_nodes(snap, node("lone-1", "lone"))
    assert findings(snap, "UNCOVERED") == []


def test_uncovered_not_for_a_proposed_node():
    snap = with_nodes(coherent(), node("obj-2", "acme", "vision", seen=2, status="proposed"))
    assert findings(snap, "UNCOVERED") == []


# STALE_TRANSLATION

def test_stale_translation_after_parent_revision():
    snap = edit_node(coherent(), "obj-1", revision=2)
    assert summary(findings(snap, "STALE_TRANSLATION")) == [
        ("STALE_TRANSLATION", "medium", ("pay-1", "obj-1"), ("pay", "acme")),
        ("STALE_TRANSLATION", "medium", ("risk-1", "obj-1"), ("risk", "acme"))]


def test_stale_translation_same_unit_names_the_unit_once():
    snap = edit_node(coherent(), "vision", revision=3)
    assert summary(findings(snap, "STALE_TRANSLATION")) == [
        ("STALE_TRANSLATION", "medium", ("obj-1", "vision"), ("acme",))]


def test_stale_translation_never_for_unrecorded_revision():
    snap = edit_node(edit_node(coherent(), "obj-1", revision=5), "pay-1", parent_revision_seen=None)
    assert [f.nodes[0] for f in findings(snap, "STALE_TRANSLATION")] == ["risk-1"]


def test_stale_translation_not_against_a_retired_parent():
    snap = edit_node(coherent(), "obj-1", revision=2, status="retired")
    assert findings(snap, "STALE_TRANSLATION") == []


# ORPHANED

def test_orphaned_when_parent_retired():
    snap = edit_node(coherent(), "pay-1", status="retired")
    assert summary(findings(snap, "ORPHANED")) == [
        ("ORPHANED", "high", ("web-1", "pay-1"), ("pay-web",)),
        ("ORPHANED", "high", ("web-2", "pay-1"), ("pay-web",))]


def test_orphaned_not_for_a_retired_child():
    snap = edit_node(edit_node(coherent(), "pay-1", status="retired"), "web-1", status="retired")
    assert [f.nodes for f in findings(snap, "ORPHANED")] == [("web-2", "pay-1")]


# UNALIGNED

def test_unaligned_team_strategy_without_parent():
    snap = with_nodes(coherent(), node("risk-2", "risk"))
    assert summary(findings(snap, "UNALIGNED")) == [("UNALIGNED", "high", ("risk-2",), ("risk",))]


def test_unaligned_not_for_top_unit():
    snap = with_nodes(coherent(), node("vision-2", "acme"))
    assert findings(snap, "UNALIGNED") == []


def test_unaligned_not_when_the_only_parent_unit_is_archived():
    snap = change(coherent(), units=coherent().units + (unit("old", archived=True),
                                                        unit("new", "old")))
    assert findings(with_nodes(snap, node("new-1", "new")), "UNALIGNED") == []


# OFF_STRUCTURE

def test_off_structure_translation_from_outside_the_parent_unit():
    snap = with_nodes(coherent(), node("risk-2", "risk", "pay-1"))
    assert summary(findings(snap, "OFF_STRUCTURE")) == [
        ("OFF_STRUCTURE", "medium", ("risk-2", "pay-1"), ("risk", "pay"))]


def test_off_structure_not_for_a_unit_further_below():
    snap = with_nodes(coherent(), node("web-3", "pay-web", "obj-1", seen=1))
    assert findings(snap, "OFF_STRUCTURE") == []


def test_off_structure_not_below_an_archived_middle_unit():
    units = coherent().units + (unit("mid", "acme", archived=True), unit("low", "mid"))
    snap = with_nodes(change(coherent(), units=units), node("low-1", "low", "obj-1", seen=1))
    assert findings(snap, "OFF_STRUCTURE") == []


# OVERLOAD

def _leaves(count: int, status: str = "proposed") -> tuple:
    return tuple(node(f"r{i}", "risk", "obj-1", seen=1, status=status) for i in range(count))


def test_overload_more_than_seven_leaves():
    snap = with_nodes(coherent(), *_leaves(7))  # plus risk-1: eight leaves
    [found] = findings(snap, "OVERLOAD")
    assert (found.severity, found.units) == ("low", ("risk",))
    assert found.nodes == ("r0", "r1", "r2", "r3", "r4", "r5", "r6", "risk-1")


def test_overload_not_with_exactly_seven_leaves():
    assert findings(with_nodes(coherent(), *_leaves(6)), "OVERLOAD") == []


def test_overload_retired_leaves_do_not_count():
    snap = with_nodes(coherent(), *_leaves(6), *_leaves(9, "retired")[6:])
    assert findings(snap, "OVERLOAD") == []


# UNENGAGED_UNIT

def test_unengaged_unit_under_a_unit_with_agreed_strategy():
    snap = change(coherent(), units=coherent().units + (unit("pay-app", "pay"),))
    assert summary(findings(snap)) == [("UNENGAGED_UNIT", "low", (), ("pay-app", "pay"))]


def test_unengaged_unit_not_when_parent_has_nothing_agreed():
    snap = change(coherent(), units=coherent().units + (unit("web-ux", "pay-web"),))
    snap = edit_node(edit_node(snap, "web-1", status="proposed"), "web-2", status="draft")
    assert findings(snap, "UNENGAGED_UNIT") == []


def test_unengaged_unit_not_for_an_archived_unit():
    snap = change(coherent(), units=coherent().units + (unit("pay-app", "pay", archived=True),))
    assert findings(snap) == []


def test_unengaged_unit_owning_only_retired_nodes():
    snap = change(coherent(), units=coherent().units + (unit("pay-app", "pay"),))
    snap = with_nodes(snap, node("app-1", "pay-app", "pay-1", status="retired"))
    assert [f.units for f in findings(snap, "UNENGAGED_UNIT")] == [("pay-app", "pay")]

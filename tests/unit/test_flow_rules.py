"""Rules about the flows between nodes and people: feedback, links and pulses."""

from __future__ import annotations

from datetime import timedelta

from tests.unit.builders import (
    change,
    coherent,
    edit_node,
    findings,
    node,
    note,
    statement,
    summary,
    unit,
    with_nodes,
)


def _with_notes(*notes):
    return change(coherent(), notes=coherent().notes + notes)


# UNANSWERED_FEEDBACK

def test_unanswered_blocker_is_high():
    snap = _with_notes(note("risk-1", "risk", stance="blocker", age=timedelta(days=15)))
    [found] = findings(snap, "UNANSWERED_FEEDBACK")
    assert summary([found]) == [("UNANSWERED_FEEDBACK", "high", ("risk-1",), ("risk",))]
    assert "A blocker on “Risk 1” from Risk has been open" in found.message


def test_unanswered_concern_is_medium():
    snap = _with_notes(note("risk-1", "pay", stance="concern", age=timedelta(days=15)))
    assert summary(findings(snap, "UNANSWERED_FEEDBACK")) == [
        ("UNANSWERED_FEEDBACK", "medium", ("risk-1",), ("pay",))]


def test_unanswered_not_when_created_exactly_fourteen_days_before():
    snap = _with_notes(note("risk-1", "risk", stance="blocker", age=timedelta(days=14)))
    assert findings(snap, "UNANSWERED_FEEDBACK") == []


def test_unanswered_one_second_past_fourteen_days():
    snap = _with_notes(note("risk-1", "risk", stance="blocker",
                            age=timedelta(days=14, seconds=1)))
    assert len(findings(snap, "UNANSWERED_FEEDBACK")) == 1


def test_unanswered_blank_response_counts_as_no_response():
    snap = _with_notes(note("risk-1", "risk", stance="concern", age=timedelta(days=20),
                            response="  \n"))
    assert len(findings(snap, "UNANSWERED_FEEDBACK")) == 1


def test_unanswered_not_for_answered_questions_or_closed_notes():
    snap = _with_notes(
        note("risk-1", "risk", stance="concern", age=timedelta(days=20), response="Heard."),
        note("risk-1", "risk", stance="question", age=timedelta(days=20)),
        note("risk-1", "risk", stance="blocker", status="acknowledged", age=timedelta(days=20)),
        note("risk-1", "risk", stance="blocker", status="declined", age=timedelta(days=20)))
    assert findings(snap, "UNANSWERED_FEEDBACK") == []


def test_unanswered_notes_from_one_unit_on_one_node_make_one_finding():
    snap = _with_notes(note("risk-1", "risk", stance="concern", age=timedelta(days=20)),
                       note("risk-1", "risk", stance="blocker", age=timedelta(days=16)))
    [found] = findings(snap, "UNANSWERED_FEEDBACK")
    assert found.severity == "high" and found.message.startswith("2 concerns or blockers")


def test_unanswered_not_on_a_retired_node():
    snap = _with_notes(note("web-2", "pay-web", stance="blocker", age=timedelta(days=30)))
    assert findings(edit_node(snap, "web-2", status="retired"), "UNANSWERED_FEEDBACK") == []


def test_unanswered_depends_on_the_as_of_date():
    snap = _with_notes(note("risk-1", "risk", stance="blocker", age=timedelta(days=10)))
    assert findings(snap, "UNANSWERED_FEEDBACK") == []
    later = findings(snap, "UNANSWERED_FEEDBACK", as_of=snap.notes[0].created_at.date()
                     + timedelta(days=40))
    assert len(later) == 1


# ONE_WAY

def test_one_way_when_no_translating_unit_sent_a_note():
    snap = change(coherent(), notes=tuple(n for n in coherent().notes if n.node != "obj-1"))
    [found] = findings(snap, "ONE_WAY")
    assert summary([found]) == [
        ("ONE_WAY", "low", ("obj-1", "pay-1", "risk-1"), ("acme", "pay", "risk"))]
    assert "translated by Pay and Risk" in found.message


def test_one_way_not_when_one_translating_unit_spoke():
    snap = change(coherent(), notes=tuple(n for n in coherent().notes if n.unit != "pay"))
    assert findings(snap, "ONE_WAY") == []


def test_one_way_notes_from_elsewhere_or_later_do_not_count():
    kept = tuple(n for n in coherent().notes if n.node != "obj-1")
    snap = change(coherent(), notes=kept + (note("obj-1", "acme"),
                                            note("obj-1", "pay", age=timedelta(days=-2))))
    assert len(findings(snap, "ONE_WAY")) == 1


# DEPENDENCY_CYCLE

def test_dependency_cycle_one_finding_per_group():
    snap = edit_node(coherent(), "pay-1", depends_on=("web-1",))
    snap = edit_node(snap, "web-1", depends_on=("risk-1",))
    assert summary(findings(snap, "DEPENDENCY_CYCLE")) == [
        ("DEPENDENCY_CYCLE", "high", ("pay-1", "risk-1", "web-1"), ("pay", "pay-web", "risk"))]


def test_dependency_cycle_not_for_self_dependency_or_through_retired_node():
    snap = edit_node(coherent(), "web-1", depends_on=("web-1",))
    snap = edit_node(snap, "pay-1", depends_on=("web-2",))
    snap = edit_node(snap, "web-2", depends_on=("risk-1",), status="retired")
    assert findings(snap, "DEPENDENCY_CYCLE") == []


# BROKEN_DEPENDENCY

def test_broken_dependency_on_a_draft_and_on_a_retired_node():
    snap = with_nodes(coherent(), node("draft-1", "pay", "obj-1", seen=1, status="draft"))
    snap = edit_node(snap, "web-1", depends_on=("draft-1", "web-2", "draft-1"))
    snap = edit_node(snap, "web-2", status="retired")
    assert summary(findings(snap, "BROKEN_DEPENDENCY")) == [
        ("BROKEN_DEPENDENCY", "medium", ("web-1", "draft-1"), ("pay-web",)),
        ("BROKEN_DEPENDENCY", "medium", ("web-1", "web-2"), ("pay-web",))]


def test_broken_dependency_not_on_proposed_or_from_retired():
    snap = edit_node(coherent(), "web-1", depends_on=("web-2",))
    snap = with_nodes(snap, node("gone", "pay", status="retired", depends_on=("draft-1",)),
                      node("draft-1", "pay", "obj-1", seen=1, status="draft"))
    assert findings(snap, "BROKEN_DEPENDENCY") == []


# DIVERGENT_VIEWS and LOW_UNDERSTANDING

def _pulse(*statements):
    return change(coherent(), statements=coherent().statements + statements)


def test_divergent_views_pooled_across_units():
    snap = _pulse(statement("pay-1", ("pay", 1), ("risk", 5), ("pay-web", 4), pulse="p2"))
    [found] = findings(snap)
    assert summary([found]) == [
        ("DIVERGENT_VIEWS", "medium", ("pay-1",), ("pay", "pay-web", "risk"))]
    assert "range from 1 to 5" in found.message


def test_divergent_views_needs_three_answers():
    assert findings(_pulse(statement("pay-1", ("pay", 1), ("risk", 5)))) == []


def test_divergent_views_needs_both_ends():
    assert findings(_pulse(statement("pay-1", ("pay", 2), ("risk", 3), ("pay", 3)))) == []


def test_divergent_views_ignores_archived_units():
    snap = _pulse(statement("pay-1", ("pay", 1), ("old", 5), ("risk", 3), ("risk", 3)))
    snap = change(snap, units=snap.units + (unit("old", "acme", archived=True),))
    snap = with_nodes(snap, node("old-1", "old", "obj-1", seen=1))
    assert findings(snap) == []


def test_divergent_views_statement_without_node():
    snap = _pulse(statement(None, ("pay", 5), ("risk", 1), ("risk", 3)))
    assert summary(findings(snap)) == [("DIVERGENT_VIEWS", "medium", (), ("pay", "risk"))]


def test_low_understanding_median_two():
    snap = _pulse(statement("risk-1", ("risk", 1), ("risk", 2), ("pay", 3)))
    assert summary(findings(snap)) == [
        ("LOW_UNDERSTANDING", "medium", ("risk-1",), ("pay", "risk"))]


def test_low_understanding_not_above_two():
    assert findings(_pulse(statement("risk-1", ("risk", 1), ("risk", 2), ("pay", 3),
                                     ("pay", 3)))) == []


def test_low_understanding_needs_three_answers():
    assert findings(_pulse(statement("risk-1", ("risk", 1), ("risk", 1)))) == []


def test_low_and_divergent_on_one_statement():
    snap = _pulse(statement("risk-1", ("risk", 1), ("risk", 1), ("pay", 5)))
    assert [f.code for f in findings(snap)] == ["DIVERGENT_VIEWS", "LOW_UNDERSTANDING"]


def test_pulse_on_retired_node_takes_no_part():
    snap = _pulse(statement("web-2", ("risk", 1), ("risk", 1), ("pay", 5)))
    assert findings(edit_node(snap, "web-2", status="retired")) == []

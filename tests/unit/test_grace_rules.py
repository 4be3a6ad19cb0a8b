"""The grace after agreement: UNCOVERED and ONE_WAY wait `translation_grace_days` after a
node was marked agreed, to the second, and a node agreed at an unknown time counts as
agreed long ago."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.coherence import Analysis
from cascade.coherence.graph import as_of_end
from cascade.coherence.model import Settings
from tests.unit.builders import AS_OF, change, coherent, edit_node, findings, node, with_nodes
from tests.unit.test_properties import workspaces

END = as_of_end(AS_OF)
SECOND = timedelta(seconds=1)
DAYS = timedelta(days=14)


def uncovered():
    """The coherent workspace with one new agreed objective nobody translated yet."""
    return with_nodes(coherent(), node("obj-2", "acme", "vision", seen=2,
                                       title="Fewer incidents"))


def _with_agreed(snap, key, agreed_at):
    return edit_node(snap, key, agreed_at=agreed_at)


def _one_way():
    """obj-1 translated by pay and risk, with no note back from them."""
    return change(coherent(), notes=tuple(n for n in coherent().notes if n.node != "obj-1"))


@pytest.mark.parametrize(("agreed_at", "fires"), [
    (END - DAYS, False),                    # exactly the grace: still in grace
    (END - DAYS + SECOND, False),           # one second after: in grace
    (END - DAYS - SECOND, True),            # one second before: past the grace
    (END - timedelta(hours=1), False),      # agreed today
    (None, True),                           # unknown: agreed long ago
])
def test_uncovered_waits_for_the_grace(agreed_at, fires):
    snap = _with_agreed(uncovered(), "obj-2", agreed_at)
    assert bool(findings(snap, "UNCOVERED")) is fires


@pytest.mark.parametrize(("agreed_at", "fires"), [
    (END - DAYS, False), (END - DAYS + SECOND, False), (END - DAYS - SECOND, True),
    (None, True),
])
def test_one_way_waits_for_the_grace(agreed_at, fires):
    snap = _with_agreed(_one_way(), "obj-1", agreed_at)
    assert bool(findings(snap, "ONE_WAY")) is fires


def test_naive_agreement_times_are_utc():
    naive = (END - DAYS - SECOND).replace(tzinfo=None)
    assert findings(_with_agreed(uncovered(), "obj-2", naive), "UNCOVERED")
    naive = (END - DAYS).replace(tzinfo=None)
    assert not findings(_with_agreed(uncovered(), "obj-2", naive), "UNCOVERED")


def test_grace_days_is_a_setting():
    snap = _with_agreed(uncovered(), "obj-2", END - timedelta(days=3))
    assert not Analysis.of(snap, AS_OF).findings
    short = Analysis.of(snap, AS_OF, Settings(translation_grace_days=2))
    assert [f.code for f in short.findings] == ["UNCOVERED"]
    none = Analysis.of(snap, AS_OF, Settings(translation_grace_days=0))
    assert [f.code for f in none.findings] == ["UNCOVERED"]


def test_a_later_as_of_date_ends_the_grace():
    snap = _with_agreed(uncovered(), "obj-2", END - timedelta(days=1))
    assert not findings(snap, "UNCOVERED")
    assert findings(snap, "UNCOVERED", as_of=AS_OF + timedelta(days=14))


def test_the_grace_touches_no_other_rule():
    """Every node agreed just now: only UNCOVERED and ONE_WAY may change."""
    base = with_nodes(_one_way(), node("obj-2", "acme", "vision", seen=2))
    fresh = dataclasses.replace(base, nodes=tuple(
        dataclasses.replace(n, agreed_at=END - SECOND) for n in base.nodes))
    before = {(f.code, f.nodes) for f in findings(base)}
    after = {(f.code, f.nodes) for f in findings(fresh)}
    assert after < before
    assert {code for code, _ in before - after} == {"UNCOVERED", "ONE_WAY"}


@settings(max_examples=60, deadline=None)
@given(snap=workspaces(), grace=st.integers(0, 60))
def test_an_unknown_agreement_time_changes_no_rule(snap, grace):
    """A file without `agreed_at` means what it meant before the grace existed: the same
    findings, whatever the grace, as with every node agreed long ago or with no grace."""
    unknown = dataclasses.replace(snap, nodes=tuple(
        dataclasses.replace(n, agreed_at=None) for n in snap.nodes))
    long_ago = dataclasses.replace(snap, nodes=tuple(
        dataclasses.replace(n, agreed_at=END - timedelta(days=grace + 1)) for n in snap.nodes))
    expected = Analysis.of(unknown, AS_OF, Settings(translation_grace_days=0)).findings
    assert Analysis.of(unknown, AS_OF, Settings(translation_grace_days=grace)).findings \
        == expected
    assert Analysis.of(long_ago, AS_OF, Settings(translation_grace_days=grace)).findings \
        == expected

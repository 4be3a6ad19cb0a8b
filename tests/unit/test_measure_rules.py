"""The second catalogue: each rule fires on its minimal change to a coherent workspace and
stays quiet on the nearest near-miss."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cascade.coherence import analyse
from cascade.coherence.graph import as_of_end
from cascade.coherence.model import Settings
from cascade.coherence.pace import exact, expected, latest, pace, progress, span
from tests.unit.builders import (
    AS_OF,
    change,
    check_in,
    coherent,
    dependency,
    edit_node,
    findings,
    measure,
    measured,
    node,
    note,
    summary,
    with_nodes,
)

SECOND = ("BLIND", "STALE_MEASURE", "NEGLECTED", "CONFIDENCE_CONTRADICTION",
          "HORIZON_MISMATCH", "UNCONFIRMED_DEPENDENCY")


def _measures(*measures):
    return change(measured(), measures=measures)


def test_a_measured_coherent_workspace_has_no_findings():
    assert analyse(measured(), AS_OF) == []


def test_first_catalogue_unchanged_by_measures():
    assert summary(findings(coherent())) == summary(findings(measured())) == []


# BLIND

def test_blind_when_a_measuring_unit_leaves_an_agreed_leaf_unmeasured():
    snap = with_nodes(measured(), node("web-3", "pay-web", "pay-1"))
    [found] = findings(snap, "BLIND")
    assert summary([found]) == [("BLIND", "low", ("web-3",), ("pay-web",))]
    assert "“Web 3” is agreed, but nothing shows how its progress will be seen" in found.message


def test_blind_not_for_a_unit_with_no_measures():
    snap = with_nodes(measured(), node("risk-2", "risk", "obj-1"))
    assert findings(snap, "BLIND") == []


def test_blind_not_when_the_only_measure_is_retired_or_on_a_retired_node():
    snap = with_nodes(measured(), node("web-3", "pay-web", "pay-1"))
    retired = change(snap, measures=(measure("web-1", status="retired"),))
    assert findings(retired, "BLIND") == []
    assert findings(edit_node(snap, "web-1", status="retired"), "BLIND") == []


def test_blind_not_for_a_node_with_a_live_child_or_not_agreed():
    snap = with_nodes(measured(), node("web-3", "pay-web", "pay-1", status="proposed"))
    assert findings(snap, "BLIND") == []


def test_no_measure_findings_in_a_workspace_without_measures():
    snap = with_nodes(coherent(), node("web-3", "pay-web", "pay-1"))
    assert [f for f in findings(snap) if f.code in SECOND] == []


# STALE_MEASURE (cadence 30 + grace 7 = 37 days)

LONG = {"start": date(2026, 7, 1), "due": date(2026, 12, 31)}


def test_stale_measure_one_second_past_cadence_and_grace():
    snap = _measures(measure("web-1", check_in(90, age=timedelta(days=37, seconds=1)), **LONG))
    [found] = findings(snap, "STALE_MEASURE")
    assert summary([found]) == [("STALE_MEASURE", "medium", ("web-1",), ("pay-web",))]
    assert "was last checked in on 2026-09-25" in found.message


def test_stale_measure_not_exactly_at_cadence_and_grace():
    snap = _measures(measure("web-1", check_in(90, age=timedelta(days=37)), **LONG))
    assert findings(snap, "STALE_MEASURE") == []


def test_stale_measure_without_check_ins_counts_from_its_start():
    assert len(findings(_measures(measure("web-1", **LONG)), "STALE_MEASURE")) == 1
    fresh = measure("web-1", start=AS_OF - timedelta(days=36), due=date(2026, 12, 31))
    assert findings(_measures(fresh), "STALE_MEASURE") == []


def test_stale_measure_only_between_start_and_due():
    past = measure("web-1", start=date(2026, 1, 1), due=AS_OF - timedelta(days=1))
    assert findings(_measures(past), "STALE_MEASURE") == []
    on_due = measure("web-1", start=date(2026, 1, 1), due=AS_OF)
    assert len(findings(_measures(on_due), "STALE_MEASURE")) == 1


def test_stale_measure_takes_its_dates_from_the_horizon():
    snap = edit_node(_measures(measure("web-1", start=None, due=None)), "web-1",
                     horizon="2026-H2")
    assert len(findings(snap, "STALE_MEASURE")) == 1


def test_stale_measure_only_on_agreed_nodes_and_one_per_measure():
    two = _measures(measure("web-1", **LONG), measure("web-1", key="m2", **LONG))
    found = findings(two, "STALE_MEASURE")
    assert len(found) == 2 and len({f.fingerprint for f in found}) == 2
    assert findings(edit_node(two, "web-1", status="proposed"), "STALE_MEASURE") == []


def test_stale_measure_respects_the_grace_setting():
    snap = _measures(measure("web-1", check_in(90, age=timedelta(days=35)), **LONG))
    strict = [f.code for f in analyse(snap, AS_OF, Settings(measure_grace_days=4))]
    assert "STALE_MEASURE" in strict and findings(snap, "STALE_MEASURE") == []


# NEGLECTED (e = 1/2 at AS_OF: behind below 25)

def test_neglected_when_behind_with_no_recent_experiment_or_execution():
    [found] = findings(_measures(measure("web-1", check_in(24.9))), "NEGLECTED")
    assert summary([found]) == [("NEGLECTED", "high", ("web-1",), ("pay-web",))]
    assert "(25% of the way, 50% expected by now)" in found.message


def test_neglected_not_exactly_on_the_tolerance():
    assert findings(_measures(measure("web-1", check_in(25))), "NEGLECTED") == []


def test_neglected_not_without_a_check_in():
    assert findings(_measures(measure("web-1")), "NEGLECTED") == []


def test_neglected_not_with_a_recent_experiment_note():
    snap = _measures(measure("web-1", check_in(10)))
    tried = change(snap, notes=snap.notes + (note("web-1", "pay-web", kind="execution",
                                                   age=timedelta(days=14)),))
    assert findings(tried, "NEGLECTED") == []
    old = change(snap, notes=snap.notes + (note("web-1", "pay-web", kind="experiment",
                                                 age=timedelta(days=14, seconds=1)),))
    assert len(findings(old, "NEGLECTED")) == 1
    done = change(snap, notes=snap.notes + (note("web-1", "pay-web", kind="experiment",
                                                  status="incorporated"),))
    assert len(findings(done, "NEGLECTED")) == 1


def test_neglected_not_with_a_live_child():
    snap = with_nodes(_measures(measure("web-1", check_in(10))),
                      node("web-1a", "pay-web", "web-1", status="draft"))
    assert findings(snap, "NEGLECTED") == []


def test_neglected_decrease_and_maintain():
    down = measure("web-1", check_in(80), direction="decrease", baseline=100, target=0)
    assert len(findings(_measures(down), "NEGLECTED")) == 1
    band = measure("web-1", check_in(7), direction="maintain", baseline=None, target=None,
                   band_low=1, band_high=5)
    assert len(findings(_measures(band), "NEGLECTED")) == 1
    inside = measure("web-1", check_in(5), direction="maintain", band_low=1, band_high=5)
    assert findings(_measures(inside), "NEGLECTED") == []


def test_neglected_reads_the_latest_check_in_before_the_as_of_day_ends():
    later = check_in(90, age=timedelta(seconds=-1))  # just after the as-of day
    snap = _measures(measure("web-1", check_in(10, age=timedelta(days=2)), later))
    assert len(findings(snap, "NEGLECTED")) == 1
    assert findings(snap, "NEGLECTED", as_of=AS_OF + timedelta(days=1)) == []


# CONFIDENCE_CONTRADICTION

def test_confidence_contradiction_sure_while_behind():
    snap = _measures(measure("web-1", check_in(20, confidence=7, unit="pay")))
    [found] = findings(snap, "CONFIDENCE_CONTRADICTION")
    assert summary([found]) == [("CONFIDENCE_CONTRADICTION", "low", ("web-1",), ("pay",))]
    assert "a confidence of 7 out of 10, while the measure is behind" in found.message


def test_confidence_contradiction_doubtful_while_on_pace():
    snap = _measures(measure("web-1", check_in(50, confidence=3, unit="pay-web")))
    assert summary(findings(snap, "CONFIDENCE_CONTRADICTION")) == [
        ("CONFIDENCE_CONTRADICTION", "low", ("web-1",), ("pay-web",))]


def test_confidence_contradiction_near_misses():
    assert findings(_measures(measure("web-1", check_in(20, confidence=6))),
                    "CONFIDENCE_CONTRADICTION") == []
    assert findings(_measures(measure("web-1", check_in(49.9, confidence=3))),
                    "CONFIDENCE_CONTRADICTION") == []
    assert findings(_measures(measure("web-1", check_in(25, confidence=9))),
                    "CONFIDENCE_CONTRADICTION") == []
    assert findings(_measures(measure("web-1", check_in(20))), "CONFIDENCE_CONTRADICTION") == []


def test_confidence_contradiction_only_within_the_cadence():
    within = measure("web-1", check_in(20, confidence=9, age=timedelta(days=10)), cadence=10)
    assert len(findings(_measures(within), "CONFIDENCE_CONTRADICTION")) == 1
    old = measure("web-1", check_in(20, confidence=9, age=timedelta(days=10, seconds=1)),
                  cadence=10)
    assert findings(_measures(old), "CONFIDENCE_CONTRADICTION") == []


def test_confidence_contradiction_reads_the_latest_check_in_only():
    snap = _measures(measure("web-1", check_in(20, confidence=9, age=timedelta(days=3)),
                             check_in(20, confidence=2)))
    assert findings(snap, "CONFIDENCE_CONTRADICTION") == []


# HORIZON_MISMATCH

def _horizons(parent: str | None, child: str | None):
    return edit_node(edit_node(coherent(), "obj-1", horizon=parent), "pay-1", horizon=child)


def test_horizon_mismatch_when_the_child_ends_after_the_parent():
    [found] = findings(_horizons("2027-H1", "2027-Q3"), "HORIZON_MISMATCH")
    assert summary([found]) == [("HORIZON_MISMATCH", "medium", ("pay-1", "obj-1"),
                                 ("pay", "acme"))]
    assert "is meant for 2027-Q3, which reaches outside “Faster checkout”'s horizon 2027-H1" \
        in found.message


def test_horizon_mismatch_when_the_child_starts_before_the_parent():
    assert len(findings(_horizons("2027-H2", "2027-06"), "HORIZON_MISMATCH")) == 1
    assert len(findings(_horizons("2027-Q1", "2027"), "HORIZON_MISMATCH")) == 1


def test_horizon_mismatch_not_for_an_equal_or_nested_period():
    assert findings(_horizons("2027-H1", "2027-H1"), "HORIZON_MISMATCH") == []
    assert findings(_horizons("2027", "2027-12"), "HORIZON_MISMATCH") == []
    assert findings(_horizons("2027-Q1", "2027-03"), "HORIZON_MISMATCH") == []


def test_horizon_mismatch_not_without_two_periods_or_with_a_retired_parent():
    assert findings(_horizons("2027-H1", "soon"), "HORIZON_MISMATCH") == []
    assert findings(_horizons(None, "2027-Q3"), "HORIZON_MISMATCH") == []
    retired = edit_node(_horizons("2027-H1", "2027-Q3"), "obj-1", status="retired")
    assert findings(retired, "HORIZON_MISMATCH") == []


# UNCONFIRMED_DEPENDENCY (risk-1 of risk depends on pay-1 of pay)

def _agreement(*dependencies):
    return change(coherent(), dependencies=dependencies)


def test_unconfirmed_dependency_requested_too_long():
    [found] = findings(_agreement(dependency("risk-1", "pay-1", age=timedelta(days=14,
                                                                             seconds=1))),
                       "UNCONFIRMED_DEPENDENCY")
    assert summary([found]) == [("UNCONFIRMED_DEPENDENCY", "medium", ("risk-1", "pay-1"),
                                 ("risk", "pay"))]
    assert "which has not committed to it since 2026-10-18" in found.message


def test_unconfirmed_dependency_not_exactly_at_feedback_days():
    assert findings(_agreement(dependency("risk-1", "pay-1", age=timedelta(days=14))),
                    "UNCONFIRMED_DEPENDENCY") == []


def test_unconfirmed_dependency_countered_and_unknown_time():
    countered = dependency("risk-1", "pay-1", "countered", age=timedelta(days=20),
                           needed_by="2027-Q2")
    [found] = findings(_agreement(countered), "UNCONFIRMED_DEPENDENCY")
    assert "offered a later date (2027-Q2)" in found.message
    assert len(findings(_agreement(dependency("risk-1", "pay-1", age=None)),
                        "UNCONFIRMED_DEPENDENCY")) == 1


def test_unconfirmed_dependency_declined_is_high_while_the_depending_node_is_agreed():
    declined = _agreement(dependency("risk-1", "pay-1", "declined"))
    assert summary(findings(declined, "UNCONFIRMED_DEPENDENCY")) == [
        ("UNCONFIRMED_DEPENDENCY", "high", ("risk-1", "pay-1"), ("risk", "pay"))]
    assert findings(edit_node(declined, "risk-1", status="proposed"),
                    "UNCONFIRMED_DEPENDENCY") == []


@pytest.mark.parametrize("state", ["committed", "requested", "declined"])
def test_unconfirmed_dependency_not_within_one_unit(state):
    snap = with_nodes(coherent(), node("pay-2", "pay", "obj-1", depends_on=("pay-1",)))
    snap = change(snap, dependencies=(dependency("pay-2", "pay-1", state,
                                                 age=timedelta(days=90)),))
    assert findings(snap, "UNCONFIRMED_DEPENDENCY") == []


def test_unconfirmed_dependency_not_when_committed_or_to_a_draft_or_retired_node():
    assert findings(_agreement(dependency("risk-1", "pay-1", "committed",
                                          age=timedelta(days=90))),
                    "UNCONFIRMED_DEPENDENCY") == []
    old = _agreement(dependency("risk-1", "pay-1", age=timedelta(days=90)))
    assert findings(edit_node(old, "pay-1", status="draft"), "UNCONFIRMED_DEPENDENCY") == []
    assert findings(edit_node(old, "pay-1", status="retired"), "UNCONFIRMED_DEPENDENCY") == []


def test_second_catalogue_counts_in_the_score_by_severity():
    from cascade.coherence import Analysis
    high = _agreement(dependency("risk-1", "pay-1", "declined"))
    medium = _agreement(dependency("risk-1", "pay-1", age=timedelta(days=30)))
    low = with_nodes(measured(), node("web-3", "pay-web", "pay-1"))
    scores = [Analysis.of(s, AS_OF).score for s in (high, medium, low, coherent())]
    assert scores == sorted(scores) and len(set(scores)) == 4


def test_a_recorded_day_keeps_measures_check_ins_and_agreements():
    from cascade.findings.archive import pack, unpack

    snap = change(measured(), dependencies=(dependency("risk-1", "pay-1", "countered",
                                                       needed_by="2027-Q2"),))
    settings = Settings(pace_tolerance=0.1)
    assert unpack(pack(snap, settings)) == (snap, settings)


# The fast float path of `pace` decides as the exact fractions would, on any numbers.

_numbers = st.decimals(-1000, 1000, places=2, allow_nan=False).map(float)


@given(direction=st.sampled_from(["increase", "decrease", "maintain"]), baseline=_numbers,
       target=_numbers, value=_numbers, start=st.integers(-60, 0), length=st.integers(0, 90),
       tolerance=st.sampled_from([0.0, 0.1, 0.25, 0.5]))
def test_pace_decides_as_exact_fractions_do(direction, baseline, target, value, start, length,
                                            tolerance):
    begins = AS_OF + timedelta(days=start)
    m = measure("x", check_in(value), direction=direction, baseline=baseline, target=target,
                band_low=min(baseline, target), band_high=max(baseline, target),
                start=begins, due=begins + timedelta(days=length))
    where = pace(m, None, as_of_end(AS_OF), tolerance)
    p = progress(m, latest(m, as_of_end(AS_OF)).value)
    e = expected(*span(m, None), as_of_end(AS_OF))
    assert where.behind == (e - p > exact(tolerance))
    assert where.on_pace == (p >= e)

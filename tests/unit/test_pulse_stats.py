"""Distributions, the anonymity threshold and the panorama, on generated answers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cascade.pulses import charts
from cascade.pulses.results import AnswerRow, panorama_cells, summarise
from cascade.pulses.stats import distribution, visible

values = st.lists(st.integers(min_value=1, max_value=5), max_size=60)
rows = st.lists(st.builds(AnswerRow, statement_id=st.integers(1, 3), unit_id=st.integers(1, 4),
                          value=st.integers(1, 5),
                          role=st.sampled_from(["leader", "member", None]),
                          comment=st.sampled_from([None, "", "b", "a", "c"])), max_size=80)
thresholds = st.integers(min_value=1, max_value=6)


@given(values)
def test_counts_sum_to_the_number_of_answers(answers):
    dist = distribution(answers)
    assert dist.n == len(answers)
    assert sorted(dist.values) == sorted(answers)


@given(values.filter(bool))
def test_median_and_middle_half_lie_within_the_range(answers):
    dist = distribution(answers)
    q1, q3 = dist.quartiles
    assert dist.lowest == min(answers) and dist.highest == max(answers)
    assert dist.lowest <= q1 <= dist.median <= q3 <= dist.highest
    assert 0 <= dist.share_low + dist.share_high <= 1


@given(values)
def test_divided_means_both_disagreement_and_agreement(answers):
    dist = distribution(answers)
    assert dist.divided == (any(v <= 2 for v in answers) and any(v >= 4 for v in answers))


def test_an_average_of_three_can_hide_a_split():
    split = distribution([1, 1, 5, 5])
    assert split.median == 3 and split.divided and split.wide and split.needs_attention
    assert not distribution([3, 3, 3, 3]).needs_attention


@given(values.filter(bool), st.floats(min_value=50, max_value=500))
def test_bar_segments_fill_the_width_in_scale_order(answers, width):
    segments = charts.bar(distribution(answers), width)
    assert abs(sum(s.width for s in segments) - width) < 0.1
    assert [s.value for s in segments] == sorted({*answers})
    assert sum(s.count for s in segments) == len(answers)


@given(rows, thresholds)
def test_threshold_hides_small_units_and_pools_only_what_is_shown(answers, minimum):
    summaries = summarise([1, 2, 3], [1, 2, 3, 4], answers, minimum)
    for sid, summary in summaries.items():
        for uid, dist in summary.units.items():
            group = [r.value for r in answers if (r.statement_id, r.unit_id) == (sid, uid)]
            if len(group) >= minimum:
                assert dist == distribution(group)
            else:
                assert dist is None
        shown = [d for d in summary.units.values() if d]
        assert summary.overall.counts == tuple(sum(c) for c in zip(*[d.counts for d in shown],
                                                                   (0,) * 5, strict=False))
        everything = sum(1 for r in answers if r.statement_id == sid)
        assert summary.overall.n + summary.hidden_answers == everything


@given(rows, thresholds)
def test_leaders_and_teams_appear_together_or_not_at_all(answers, minimum):
    for summary in summarise([1, 2, 3], [1, 2, 3, 4], answers, minimum).values():
        if summary.split is not None:
            leaders, teams = summary.split
            assert visible(leaders, minimum) and visible(teams, minimum)
            assert leaders + teams == summary.overall


@given(rows, thresholds)
def test_comments_come_only_from_shown_units_ordered_by_text(answers, minimum):
    for summary in summarise([1, 2, 3], [1, 2, 3, 4], answers, minimum).values():
        texts = [text for _, text in summary.comments]
        assert texts == sorted(texts) and "" not in texts
        assert all(summary.units[uid] is not None for uid, _ in summary.comments)


@given(rows, thresholds)
def test_panorama_cells_pool_only_shown_statement_groups(answers, minimum):
    nodes = {1: 10, 2: 10, 3: 20}
    cells = panorama_cells(nodes, answers, minimum)
    for (uid, node), dist in cells.items():
        groups = [[r.value for r in answers if r.statement_id == sid and r.unit_id == uid]
                  for sid, n in nodes.items() if n == node]
        assert dist.n == sum(len(g) for g in groups if len(g) >= minimum) > 0


def test_a_unit_below_the_threshold_is_not_enough_yet():
    answers = [AnswerRow(1, 1, 5), AnswerRow(1, 1, 4), AnswerRow(1, 2, 1), AnswerRow(1, 2, 2),
               AnswerRow(1, 2, 2)]
    summary = summarise([1], [1, 2], answers, 3)[1]
    assert summary.units[1] is None and summary.units[2].counts == (1, 2, 0, 0, 0)
    assert summary.overall.n == 3 and summary.hidden_answers == 2

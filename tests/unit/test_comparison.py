"""Two days with known differences give exactly those differences, and a recorded day
packs and unpacks to the very snapshot the engine read."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from cascade.coherence import Analysis
from cascade.coherence.model import Answer, Finding, Node, Settings, Snapshot, Statement, Unit
from cascade.findings.archive import Acknowledged, pack, unpack, unpack_day
from cascade.findings.comparison import compare

UNITS = (Unit("org", "Org"), Unit("team", "Team", "org"), Unit("other", "Other", "org"))
DAY1, DAY2 = date(2026, 10, 1), date(2026, 11, 1)


def _before() -> Snapshot:
    return Snapshot("w", units=UNITS, nodes=(
        Node("root", "Root", "org", status="agreed", revision=2),
        Node("obj", "Objective", "org", "root", "agreed", revision=1, parent_revision_seen=2),
        Node("t1", "Team take", "team", "obj", "agreed", parent_revision_seen=1),
        Node("t2", "Other take", "other", "obj", "agreed", parent_revision_seen=1),
        Node("lone", "Lonely", "team", status="agreed"),  # UNALIGNED
    ), statements=(Statement("p", "I get it", "obj",
                             (Answer("team", 4), Answer("team", 4), Answer("team", 5))),))


def _after() -> Snapshot:
    before = _before()
    nodes = {n.key: n for n in before.nodes}
    nodes["obj"] = Node("obj", "Objective", "org", "root", "agreed", revision=2,
                        parent_revision_seen=2)  # revised: t1 and t2 go stale
    nodes["t2"] = Node("t2", "Other take", "other", "obj", "agreed", parent_revision_seen=2)
    nodes["lone"] = Node("lone", "Lonely", "team", status="retired")
    nodes["new"] = Node("new", "New take", "team", "obj", "draft", parent_revision_seen=2)
    answers = (Answer("team", 1), Answer("team", 2), Answer("team", 5))
    return Snapshot("w", units=UNITS, nodes=tuple(nodes.values()),
                    statements=(Statement("p", "I get it", "obj", answers),))


def test_two_days_give_exactly_their_differences():
    before, after = Analysis.of(_before(), DAY1), Analysis.of(_after(), DAY2)
    diff = compare(before, after)
    assert [c.key for c in diff.added] == ["new"]
    assert [(c.key, c.detail) for c in diff.revised] == [("obj", "revision 1 → 2")]
    assert [c.key for c in diff.retired] == ["lone"]
    assert [c.key for c in diff.gone_stale] == ["t1"]  # t2 was re-confirmed at revision 2
    assert diff.reconfirmed == []
    # A finding is its code, nodes and units: ONE_WAY about obj now names the new node too.
    assert sorted((f.code, f.nodes) for f in diff.resolved) == [
        ("ONE_WAY", ("obj", "t1", "t2")), ("UNALIGNED", ("lone",))]
    assert sorted((f.code, f.nodes) for f in diff.opened) == [
        ("DIVERGENT_VIEWS", ("obj",)), ("LOW_UNDERSTANDING", ("obj",)),
        ("ONE_WAY", ("obj", "new", "t1", "t2")), ("STALE_TRANSLATION", ("t1", "obj"))]
    assert diff.acknowledged == []
    [shift] = diff.pulses
    assert (shift.unit, shift.before.counts, shift.after.counts) == (
        "Team", (0, 0, 0, 2, 1), (1, 1, 0, 0, 1))
    whole = diff.scores[0]
    assert whole.key is None and (whole.before, whole.after) == (before.score, after.score)
    assert [(s.key, s.after is None) for s in diff.scores[1:]] == [
        ("lone", True), ("root", False), ("obj", False)]  # lone retired: no subtree now
    assert diff.changed_nodes == {"new", "obj", "lone", "t1"}


def test_a_stale_translation_confirmed_again_and_an_acknowledgement_show():
    after = _after()
    fixed = tuple(Node(n.key, n.title, n.unit, n.parent, n.status, n.revision, 2)
                  if n.key == "t1" else n for n in after.nodes)
    stale_day = Analysis.of(after, DAY1)
    [stale] = [f for f in stale_day.findings if f.code == "DIVERGENT_VIEWS"]
    later = Snapshot("w", units=UNITS, nodes=fixed, statements=after.statements,
                     acknowledged=frozenset({stale.fingerprint}))
    diff = compare(stale_day, Analysis.of(later, DAY2))
    assert [c.key for c in diff.reconfirmed] == ["t1"] and diff.gone_stale == []
    assert [f.code for f in diff.acknowledged] == ["DIVERGENT_VIEWS"]
    assert [f.code for f in diff.resolved] == ["STALE_TRANSLATION"]
    assert diff.added == diff.revised == diff.retired == [] and diff.pulses == []


def test_acknowledgements_given_and_withdrawn_between_two_days():
    """Nothing but acknowledgements changes: the one given is listed as acknowledged, the
    one withdrawn as withdrawn, and the score follows them (they weigh differently)."""
    snap = _before()
    plain = Analysis.of(snap, DAY1)
    unaligned = next(f for f in plain.findings if f.code == "UNALIGNED")
    one_way = next(f for f in plain.findings if f.code == "ONE_WAY")
    then = Analysis.of(dataclasses.replace(snap, acknowledged=frozenset({unaligned.fingerprint})),
                       DAY1)
    now = Analysis.of(dataclasses.replace(snap, acknowledged=frozenset({one_way.fingerprint})),
                      DAY2)
    diff = compare(then, now)
    assert [f.code for f in diff.acknowledged] == ["ONE_WAY"]
    assert [f.code for f in diff.withdrawn] == ["UNALIGNED"]
    assert diff.opened == diff.resolved == [] and diff.changed_nodes == set()
    assert not diff.empty and compare(now, now).withdrawn == []
    weights = dict(Settings().weights)
    assert weights[one_way.severity] != weights[unaligned.severity]
    assert (diff.scores[0].before, diff.scores[0].after) == (then.score, now.score)
    assert then.score != now.score


def test_a_packed_day_keeps_the_details_of_its_acknowledgements_only():
    snap = dataclasses.replace(_before(), acknowledged=frozenset({"f1"}))
    given = (Acknowledged("f1", "UNALIGNED", "On purpose", 7, datetime(2026, 9, 30, 8, 0)),
             Acknowledged("f2", "ONE_WAY", "Given after the day's analysis", 8,
                          datetime(2026, 10, 1, 9, 0, tzinfo=UTC)))
    again, settings, acks = unpack_day(pack(snap, Settings(), given))
    assert (again, settings, acks) == (snap, Settings(), given[:1])
    assert unpack_day(pack(snap, Settings()))[2] == ()


def test_the_same_day_twice_has_no_differences():
    day = Analysis.of(_after(), DAY2)
    diff = compare(day, Analysis.of(_after(), DAY2))
    assert diff.empty and all(s.shift == 0 for s in diff.scores)


texts = st.text(max_size=12)
nodes = st.builds(Node, key=st.text(min_size=1, max_size=6), title=texts, unit=st.just("org"),
                  parent=st.none() | st.just("root"), status=st.sampled_from(["draft", "agreed"]),
                  revision=st.integers(1, 9), parent_revision_seen=st.none() | st.integers(1, 9),
                  depends_on=st.lists(texts, max_size=2).map(tuple),
                  agreed_at=st.none() | st.datetimes(timezones=st.just(UTC)))


@given(st.lists(nodes, max_size=5).map(tuple), st.frozensets(texts, max_size=3),
       st.integers(1, 30))
def test_a_packed_day_unpacks_to_the_same_snapshot(found, acked, days):
    snap = Snapshot("w", units=UNITS, nodes=found, acknowledged=acked, statements=(
        Statement("p", "t", None, (Answer("org", 3),)),))
    settings = Settings(feedback_days=days)
    assert unpack(pack(snap, settings)) == (snap, settings)


def test_an_older_record_reads_fields_added_since_as_their_defaults():
    snap = Snapshot("w", units=UNITS, nodes=(Node("x", "X", "org", agreed_at=datetime(
        2026, 1, 2, tzinfo=UTC)),))
    assert unpack(pack(snap, Settings()))[0].nodes[0].agreed_at == datetime(2026, 1, 2,
                                                                            tzinfo=UTC)
    assert Finding  # the engine's output type is what comparisons list

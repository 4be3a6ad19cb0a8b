"""The second catalogue's measure rules: nodes nobody measures, measures nobody reports,
work behind its pace that nobody is trying to move, and confidences the numbers contradict.

Only live measures on live nodes take part (`Index.measures_by_node`); pace, progress and
*behind* come from `coherence.pace`, as on the node page. A workspace with no measures at
all gets none of these findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from cascade.coherence.graph import Index, utc
from cascade.coherence.model import Finding, Measure, Node, Settings, Snapshot
from cascade.coherence.pace import Pace, day_start, pace, percent, span
from cascade.coherence.wording import finding, quoted


def _end(ctx: Index, code: str):
    if ctx.as_of_end is None:
        raise ValueError(f"{code} needs an index built with an as-of date")
    return ctx.as_of_end


def _paces(ctx: Index, node: Node, settings: Settings) -> list[tuple[Measure, Pace]]:
    """The node's live measures with their pace, worked out once per analysis (three
    rules ask)."""
    kept = ctx.derived.setdefault(("paces", settings.pace_tolerance), {})
    found = kept.get(node.key)
    if found is None:
        end = ctx.as_of_end
        kept[node.key] = found = [(m, pace(m, node.horizon, end, settings.pace_tolerance))
                                  for m in ctx.measures_by_node.get(node.key, ())]
    return found


def blind(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """BLIND: an `agreed` node with no live children and no live measure, owned by a unit
    that has a live measure on at least one other of its nodes.

    >>> from cascade.coherence.model import Node, Unit
    >>> snap = Snapshot("w", units=(Unit("a", "A"),),
    ...     nodes=(Node("x", "X", "a", status="agreed"), Node("y", "Y", "a", status="agreed")),
    ...     measures=(Measure("m", "y", "Orders"),))
    >>> [(f.code, f.nodes, f.units) for f in blind(snap, Index(snap), Settings())]
    [('BLIND', ('x',), ('a',))]
    """
    for node in ctx.live_nodes:
        measured = ctx.measuring_units.get(node.unit, set())
        if node.status == "agreed" and not ctx.children.get(node.key) \
                and node.key not in measured and measured:
            unit = ctx.unit_name(node.unit)
            yield finding(
                "BLIND", "low", [node.key], [node.unit],
                f"{quoted(node.title)} is agreed, but nothing shows how its progress will be "
                f"seen, while {unit} measures its other work.",
                f"Ask {unit} how they would notice that {quoted(node.title)} is moving: one "
                "measure, or a translation by a team, is enough to start.")


def stale_measure(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """STALE_MEASURE: a live measure on an `agreed` node, the as-of date between its start
    and its due date, whose latest check-in (or, with none, its start) is more than
    `cadence_days` + `measure_grace_days` before the end of the as-of day (one per measure).

    >>> from datetime import date
    >>> from cascade.coherence.model import Node, Unit
    >>> snap = Snapshot("w", units=(Unit("a", "A"),),
    ...     nodes=(Node("x", "X", "a", status="agreed", horizon="2026-H2"),),
    ...     measures=(Measure("m", "x", "Orders", start=date(2026, 7, 1)),))
    >>> [(f.code, f.nodes, f.units)
    ...  for f in stale_measure(snap, Index(snap, date(2026, 11, 1)), Settings())]
    [('STALE_MEASURE', ('x',), ('a',))]
    """
    end = _end(ctx, "STALE_MEASURE")
    for node in ctx.live_nodes:
        if node.status != "agreed":
            continue
        for measure, where in _paces(ctx, node, settings):
            start, due = span(measure, node.horizon)
            as_of = (end - timedelta(days=1)).date()
            if start is None or due is None or not start <= as_of <= due:
                continue
            since = utc(where.latest.created_at) if where.latest else day_start(start)
            if end - since <= timedelta(days=measure.cadence_days + settings.measure_grace_days):
                continue
            day = since.date().isoformat()
            what = f"was last checked in on {day}" if where.latest else \
                f"has had no check-in since it started on {day}"
            yield finding(
                "STALE_MEASURE", "medium", [node.key], [node.unit],
                f"{quoted(measure.name)} on {quoted(node.title)} {what}, though a check-in is "
                f"expected every {measure.cadence_days} days.",
                f"Ask {ctx.unit_name(node.unit)} what {quoted(measure.name)} stands at now, "
                "and whether it still helps them see progress.", detail=measure.key)


def neglected(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """NEGLECTED: an `agreed` node with a measure that is *behind*, no live child, and no
    `experiment` or `execution` note in status `open` or `acknowledged` created in the last
    `feedback_days`.

    >>> from datetime import date, datetime
    >>> from cascade.coherence.model import CheckIn, Node, Unit
    >>> snap = Snapshot("w", units=(Unit("a", "A"),),
    ...     nodes=(Node("x", "X", "a", status="agreed", horizon="2026"),),
    ...     measures=(Measure("m", "x", "Orders", baseline=0, target=100,
    ...                       check_ins=(CheckIn(5, datetime(2026, 10, 20)),)),))
    >>> [(f.code, f.severity, f.nodes)
    ...  for f in neglected(snap, Index(snap, date(2026, 11, 1)), Settings())]
    [('NEGLECTED', 'high', ('x',))]
    """
    end = _end(ctx, "NEGLECTED")
    recent = end - timedelta(days=settings.feedback_days)
    for node in ctx.live_nodes:
        if node.status != "agreed" or ctx.children.get(node.key):
            continue
        behind = [(m, p) for m, p in _paces(ctx, node, settings) if p.behind]
        if not behind or any(
                n.kind in ("experiment", "execution") and n.status in ("open", "acknowledged")
                and utc(n.created_at) >= recent for n in ctx.notes_by_node.get(node.key, ())):
            continue
        measure, where = behind[0]
        unit = ctx.unit_name(node.unit)
        yield finding(
            "NEGLECTED", "high", [node.key], [node.unit],
            f"{quoted(node.title)} is behind its expected pace on {quoted(measure.name)} "
            f"({percent(where.progress)} of the way, {percent(where.expected)} expected by now), "
            "and no recent experiment or execution note says what is being tried.",
            f"Sit with {unit} to look at {quoted(measure.name)} together: what is in the way, "
            "what could they try next, and what help do they need?")


def confidence_contradiction(snap: Snapshot, ctx: Index,
                             settings: Settings) -> Iterator[Finding]:
    """CONFIDENCE_CONTRADICTION: a measure whose latest check-in, within its cadence, has
    confidence ≥ 7 while the measure is *behind*, or ≤ 3 while p ≥ e.

    >>> from datetime import date, datetime
    >>> from cascade.coherence.model import CheckIn, Node, Unit
    >>> snap = Snapshot("w", units=(Unit("a", "A"), Unit("t", "T", "a")),
    ...     nodes=(Node("x", "X", "a", status="agreed", horizon="2026"),),
    ...     measures=(Measure("m", "x", "Orders", baseline=0, target=100,
    ...               check_ins=(CheckIn(5, datetime(2026, 10, 20), confidence=9, unit="t"),)),))
    >>> [(f.code, f.nodes, f.units)
    ...  for f in confidence_contradiction(snap, Index(snap, date(2026, 11, 1)), Settings())]
    [('CONFIDENCE_CONTRADICTION', ('x',), ('t',))]
    """
    end = _end(ctx, "CONFIDENCE_CONTRADICTION")
    for node in ctx.live_nodes:
        for measure, where in _paces(ctx, node, settings):
            check_in = where.latest
            if check_in is None or check_in.confidence is None \
                    or end - utc(check_in.created_at) > timedelta(days=measure.cadence_days):
                continue
            sure, doubtful = check_in.confidence >= 7, check_in.confidence <= 3
            if not ((sure and where.behind) or (doubtful and where.on_pace)):
                continue
            state = "is behind its expected pace" if sure else "is on pace"
            unit = check_in.unit if check_in.unit in ctx.active_units else None
            yield finding(
                "CONFIDENCE_CONTRADICTION", "low", [node.key], [unit],
                f"The latest check-in on {quoted(measure.name)} for {quoted(node.title)} gives "
                f"a confidence of {check_in.confidence} out of 10, while the measure {state}.",
                f"Ask {ctx.unit_name(unit or node.unit)} what they see that the numbers do not "
                "show, or what the numbers show that they do not yet believe.",
                detail=measure.key)

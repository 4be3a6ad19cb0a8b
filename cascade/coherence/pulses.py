"""The pulse rules: they look at the range of pooled answers, never only at an average.

Answers from archived units and values off the 1–5 scale are left out; a statement about
a retired node takes no part. Statements about one node answered by the same units make
one finding, so that an acknowledgement sticks to the gap and not to one wording.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator

from cascade.coherence.graph import Index
from cascade.coherence.model import Finding, Settings, Snapshot, Statement
from cascade.coherence.wording import finding, listing, quoted

Pooled = tuple[Statement, list[int]]
Group = tuple[str | None, list[str], list[Pooled]]


def pooled(snap: Snapshot, ctx: Index, keep: Callable[[list[int]], bool]) -> Iterator[Group]:
    """(node, answering units, [(statement, sorted values)]) for statements that `keep`s.

    Groups come out sorted by node and units, statements by pulse and text, so the
    result does not depend on the order of the input rows.
    """
    groups: dict[tuple[str | None, tuple[str, ...]], list[Pooled]] = {}
    for statement in snap.statements:
        if statement.node is not None and statement.node not in ctx.live:
            continue
        answers = [a for a in statement.answers
                   if a.unit in ctx.active_units and 1 <= a.value <= 5]
        values = sorted(a.value for a in answers)
        if keep(values):
            units = tuple(sorted({a.unit for a in answers}))
            groups.setdefault((statement.node, units), []).append((statement, values))
    for (node, units), items in sorted(groups.items(), key=lambda g: (g[0][0] or "", g[0][1])):
        yield node, list(units), sorted(items, key=lambda i: (i[0].pulse, i[0].text, i[1]))


def _topic(ctx: Index, node: str | None, items: list[Pooled]) -> str:
    about = f" about {quoted(ctx.title(node))}" if node is not None else ""
    more = f" (and {len(items) - 1} more statements)" if len(items) > 1 else ""
    return f"{quoted(items[0][0].text)}{about}{more}"


def divergent_views(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """DIVERGENT_VIEWS: a pulse statement (open or closed) whose answers, pooled across
    units, number at least 3 and include both a 1–2 and a 4–5 on the 1–5 scale.

    >>> from cascade.coherence.model import Answer, Unit
    >>> snap = Snapshot("w", units=(Unit("a", "A"), Unit("b", "B")), statements=(
    ...     Statement("p", "I understand it", None,
    ...               (Answer("a", 1), Answer("b", 5), Answer("b", 4))),))
    >>> [(f.code, f.nodes, f.units) for f in divergent_views(snap, Index(snap), Settings())]
    [('DIVERGENT_VIEWS', (), ('a', 'b'))]
    """
    def split(values: list[int]) -> bool:
        return len(values) >= settings.pulse_min_answers and values[0] <= 2 and values[-1] >= 4

    for node, units, items in pooled(snap, ctx, split):
        values = items[0][1]
        names = listing(ctx.unit_name(u) for u in units)
        yield finding(
            "DIVERGENT_VIEWS", "medium", [node], units,
            f"Answers to {_topic(ctx, node, items)} range from {values[0]} to {values[-1]} "
            f"across {len(values)} answers: views differ.",
            f"Bring {names} together to hear why views differ; "
            "the range says more than the average.")


def low_understanding(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """LOW_UNDERSTANDING: a pulse statement whose answers, pooled, number at least 3 with
    a median of 2 or lower.

    >>> from cascade.coherence.model import Answer, Unit
    >>> snap = Snapshot("w", units=(Unit("a", "A"),), statements=(
    ...     Statement("p", "I understand it", None,
    ...               (Answer("a", 1), Answer("a", 2), Answer("a", 4))),))
    >>> [(f.code, f.nodes, f.units) for f in low_understanding(snap, Index(snap), Settings())]
    [('LOW_UNDERSTANDING', (), ('a',))]
    """
    def low(values: list[int]) -> bool:
        return len(values) >= settings.pulse_min_answers \
            and statistics.median(values) <= settings.low_understanding_median

    for node, units, items in pooled(snap, ctx, low):
        values = items[0][1]
        names = listing(ctx.unit_name(u) for u in units)
        what = quoted(ctx.title(node)) if node is not None else "these priorities"
        yield finding(
            "LOW_UNDERSTANDING", "medium", [node], units,
            f"The middle answer to {_topic(ctx, node, items)} is "
            f"{statistics.median(values):g} out of 5, across {len(values)} answers.",
            f"Ask {names} what would make {what} clearer for their work.")

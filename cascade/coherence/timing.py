"""The second catalogue's rules about time between nodes: periods that do not nest, and
dependencies the other unit has not agreed to.

Periods come from `cascade.horizons` (the one reading of a horizon's text); a horizon with
no period takes no part. A `depends_on` link without a recorded agreement is `committed`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from cascade.coherence.graph import Index, utc
from cascade.coherence.model import Dependency, Finding, Settings, Snapshot
from cascade.coherence.wording import finding, quoted
from cascade.horizons import period


def horizon_mismatch(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """HORIZON_MISMATCH: a live node and its live parent both have a period, and the node's
    period starts before or ends after the parent's.

    >>> from cascade.coherence.model import Node, Unit
    >>> snap = Snapshot("w", units=(Unit("a", "A"), Unit("t", "T", "a")), nodes=(
    ...     Node("x", "X", "a", horizon="2027-H1"), Node("y", "Y", "t", "x", horizon="2027-Q3")))
    >>> [(f.code, f.nodes, f.units) for f in horizon_mismatch(snap, Index(snap), Settings())]
    [('HORIZON_MISMATCH', ('y', 'x'), ('t', 'a'))]
    """
    periods = {}
    for node in ctx.live_nodes:
        if node.parent not in ctx.live:
            continue
        parent = ctx.nodes[node.parent]
        mine = periods.setdefault(node.horizon, period(node.horizon))
        theirs = periods.setdefault(parent.horizon, period(parent.horizon))
        if mine is None or theirs is None or mine.within(theirs):
            continue
        yield finding(
            "HORIZON_MISMATCH", "medium", [node.key, parent.key], [node.unit, parent.unit],
            f"{quoted(node.title)} is meant for {node.horizon.strip()}, which reaches outside "
            f"{quoted(parent.title)}'s horizon {parent.horizon.strip()}.",
            f"Check with {ctx.unit_name(node.unit)} and {ctx.unit_name(parent.unit)} whether "
            "the timing is intended, or whether one of the horizons needs to change.")


def _overdue(agreement: Dependency, ctx: Index, settings: Settings) -> bool:
    """Still waiting more than `feedback_days` after the request was made (an unknown time
    counts as long ago)."""
    if agreement.created_at is None:
        return True
    return ctx.as_of_end - utc(agreement.created_at) > timedelta(days=settings.feedback_days)


def unconfirmed_dependency(snap: Snapshot, ctx: Index,
                           settings: Settings) -> Iterator[Finding]:
    """UNCONFIRMED_DEPENDENCY: a `depends_on` link between live nodes of different units, to
    a node that is neither `retired` nor `draft`, still `requested` or `countered` more than
    `feedback_days` after it was made; or `declined` while the depending node is `agreed`.

    >>> from cascade.coherence.model import Node, Unit
    >>> from datetime import date
    >>> snap = Snapshot("w", units=(Unit("a", "A"), Unit("b", "B")), nodes=(
    ...     Node("x", "X", "a", status="agreed", depends_on=("y",)),
    ...     Node("y", "Y", "b", status="agreed")), dependencies=(Dependency("x", "y", "declined"),))
    >>> [(f.code, f.severity, f.nodes, f.units)
    ...  for f in unconfirmed_dependency(snap, Index(snap, date(2026, 11, 1)), Settings())]
    [('UNCONFIRMED_DEPENDENCY', 'high', ('x', 'y'), ('a', 'b'))]
    """
    if ctx.as_of_end is None:
        raise ValueError("UNCONFIRMED_DEPENDENCY needs an index built with an as-of date")
    for node in ctx.live_nodes:
        for key in sorted(set(node.depends_on)):
            target = ctx.nodes.get(key)
            agreement = ctx.agreements.get((node.key, key))
            if target is None or key not in ctx.live or target.status == "draft" \
                    or target.unit == node.unit or agreement is None:
                continue
            mine, theirs = ctx.unit_name(node.unit), ctx.unit_name(target.unit)
            if agreement.state == "declined" and node.status == "agreed":
                severity = "high"
                message = (f"{theirs} declined to deliver {quoted(target.title)}, which "
                           f"{quoted(node.title)} of {mine} is agreed and still depends on.")
            elif agreement.state in ("requested", "countered") and _overdue(agreement, ctx,
                                                                             settings):
                severity = "medium"
                since = (f" since {utc(agreement.created_at).date().isoformat()}"
                         if agreement.created_at else "")
                message = (
                    f"{quoted(node.title)} of {mine} depends on {quoted(target.title)} of "
                    + (f"{theirs}, which has not committed to it{since}."
                       if agreement.state == "requested" else
                       f"{theirs}, which offered a later date ({agreement.needed_by or 'later'})"
                       f" that {mine} has not accepted or withdrawn{since}."))
            else:
                continue
            yield finding(
                "UNCONFIRMED_DEPENDENCY", severity, [node.key, key], [node.unit, target.unit],
                message,
                f"Bring {mine} and {theirs} together to agree what can be delivered and when, "
                f"or how {quoted(node.title)} can go ahead without it.")

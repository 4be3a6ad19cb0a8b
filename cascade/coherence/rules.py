"""The incoherence rules of the product brief, one function per stable code.

Every rule reads the snapshot through a prebuilt `Index`, so each is one linear pass,
and yields findings naming nodes and units by key, subject first. Retired nodes and
archived units take no part unless the rule says otherwise (see `Index`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import networkx as nx

from cascade.coherence.definitions import in_grace, overdue, stale
from cascade.coherence.graph import Index, dependency_graph, utc
from cascade.coherence.measures import (
    blind,
    confidence_contradiction,
    neglected,
    stale_measure,
)
from cascade.coherence.model import Finding, Node, Note, Settings, Snapshot
from cascade.coherence.pulses import divergent_views, low_understanding
from cascade.coherence.timing import horizon_mismatch, unconfirmed_dependency
from cascade.coherence.wording import finding, listing, possessive, quoted

Rule = Callable[[Snapshot, Index, Settings], Iterator[Finding]]


def settled(node: Node, ctx: Index, settings: Settings) -> bool:
    """Agreed long enough ago (`translation_grace_days`) for UNCOVERED and ONE_WAY to ask
    for its translations and the notes on them."""
    return not in_grace(node.agreed_at, ctx.as_of_end, settings.translation_grace_days)


def uncovered(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """UNCOVERED: an `agreed` node whose unit has sub-units, and that has no child node,
    agreed more than `translation_grace_days` ago (see `settled`).

    >>> from cascade.coherence.model import Node, Unit
    >>> snap = Snapshot("w", units=(Unit("acme", "Acme"), Unit("pay", "Payments", "acme")),
    ...                 nodes=(Node("v", "Faster checkout", "acme", status="agreed"),))
    >>> [(f.code, f.nodes, f.units) for f in uncovered(snap, Index(snap), Settings())]
    [('UNCOVERED', ('v',), ('acme',))]
    """
    for node in ctx.live_nodes:
        if node.status == "agreed" and ctx.sub_units.get(node.unit) \
                and not ctx.children.get(node.key) and settled(node, ctx, settings):
            unit = ctx.unit_name(node.unit)
            yield finding(
                "UNCOVERED", "high", [node.key], [node.unit],
                f"{quoted(node.title)} is agreed but no unit below {unit} has translated it yet.",
                f"Ask {possessive(unit)} teams what this objective means for them, "
                "and what would help them put it in their own words.")


def stale_translation(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """STALE_TRANSLATION: a non-retired node whose `parent_revision_seen` is lower than its
    (non-retired) parent's `revision`. A node that never recorded a revision is current.

    >>> from cascade.coherence.model import Node, Unit
    >>> snap = Snapshot("w", units=(Unit("acme", "Acme"), Unit("pay", "Payments", "acme")),
    ...     nodes=(Node("v", "Vision", "acme", revision=3),
    ...            Node("p", "Pay", "pay", parent="v", parent_revision_seen=2)))
    >>> [(f.code, f.nodes, f.units) for f in stale_translation(snap, Index(snap), Settings())]
    [('STALE_TRANSLATION', ('p', 'v'), ('pay', 'acme'))]
    """
    for node in ctx.live_nodes:
        if node.parent not in ctx.nodes:
            continue
        parent = ctx.nodes[node.parent]
        seen = node.parent_revision_seen
        if stale(seen, parent.revision, node_live=True, parent_live=parent.key in ctx.live):
            yield finding(
                "STALE_TRANSLATION", "medium", [node.key, parent.key], [node.unit, parent.unit],
                f"{quoted(node.title)} was last confirmed against revision {seen} of "
                f"{quoted(parent.title)}, which is now at revision {parent.revision}.",
                f"Invite {ctx.unit_name(node.unit)} to look at what changed in "
                f"{quoted(parent.title)} and to confirm or revise their translation.")


def orphaned(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """ORPHANED: a non-retired node whose parent is `retired`.

    >>> from cascade.coherence.model import Node, Unit
    >>> snap = Snapshot("w", units=(Unit("acme", "Acme"),), nodes=(
    ...     Node("old", "Old", "acme", status="retired"), Node("k", "Kid", "acme", parent="old")))
    >>> [(f.code, f.nodes, f.units) for f in orphaned(snap, Index(snap), Settings())]
    [('ORPHANED', ('k', 'old'), ('acme',))]
    """
    for node in ctx.live_nodes:
        parent = ctx.parent_of(node)
        if parent is not None and parent.status == "retired":
            yield finding(
                "ORPHANED", "high", [node.key, parent.key], [node.unit],
                f"{quoted(node.title)} still builds on {quoted(parent.title)}, "
                "which has been retired.",
                f"Talk with {ctx.unit_name(node.unit)} about whether {quoted(node.title)} "
                "still matters, and which current strategy it now serves.")


def unaligned(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """UNALIGNED: a non-retired node with no parent at all, owned by a unit that has a
    parent unit (a team's strategy that connects to nothing above it).

    >>> from cascade.coherence.model import Node, Unit
    >>> snap = Snapshot("w", units=(Unit("acme", "Acme"), Unit("pay", "Payments", "acme")),
    ...                 nodes=(Node("p", "Pay", "pay"),))
    >>> [(f.code, f.nodes, f.units) for f in unaligned(snap, Index(snap), Settings())]
    [('UNALIGNED', ('p',), ('pay',))]
    """
    for node in ctx.live_nodes:
        above = ctx.unit_parent.get(node.unit)
        if node.parent is None and above is not None:
            unit = ctx.unit_name(node.unit)
            yield finding(
                "UNALIGNED", "high", [node.key], [node.unit],
                f"{quoted(node.title)} of {unit} does not connect to any strategy above it.",
                f"Explore with {unit} and {ctx.unit_name(above)} which part of the wider "
                "strategy this serves, or whether something is missing above it.")


def off_structure(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """OFF_STRUCTURE: a non-retired node whose unit is neither its (non-retired) parent's
    unit nor anywhere below it in the unit tree.

    >>> from cascade.coherence.model import Node, Unit
    >>> snap = Snapshot("w", units=(Unit("a", "A"), Unit("b", "B")),
    ...                 nodes=(Node("x", "X", "a"), Node("y", "Y", "b", parent="x")))
    >>> [(f.code, f.nodes, f.units) for f in off_structure(snap, Index(snap), Settings())]
    [('OFF_STRUCTURE', ('y', 'x'), ('b', 'a'))]
    """
    for node in ctx.live_nodes:
        if node.parent not in ctx.live:
            continue
        parent = ctx.nodes[node.parent]
        if node.unit != parent.unit and not ctx.unit_within(node.unit, parent.unit):
            unit, other = ctx.unit_name(node.unit), ctx.unit_name(parent.unit)
            yield finding(
                "OFF_STRUCTURE", "medium", [node.key, parent.key], [node.unit, parent.unit],
                f"{quoted(node.title)} of {unit} translates {quoted(parent.title)} of {other}, "
                f"though {unit} is not part of {other}.",
                f"Check with {unit} and {other} whether this collaboration is intended, and "
                "whether it would read better as a contributes-to link or a change of structure.")


def unanswered_feedback(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """UNANSWERED_FEEDBACK: a note with stance `concern` or `blocker`, status `open`, no
    response (missing or blank), created more than 14 days before the as-of date.

    Notes on one node from one unit make one finding (high if any is a blocker), so an
    acknowledgement covers the gap rather than a single note.

    >>> from datetime import date, datetime
    >>> from cascade.coherence.model import Node, Note, Unit
    >>> snap = Snapshot("w", units=(Unit("a", "A"),), nodes=(Node("x", "X", "a"),),
    ...     notes=(Note("1", "x", "feasibility", "blocker", "a", "open", datetime(2026, 10, 1)),))
    >>> [(f.code, f.severity, f.nodes, f.units)
    ...  for f in unanswered_feedback(snap, Index(snap, date(2026, 11, 1)), Settings())]
    [('UNANSWERED_FEEDBACK', 'high', ('x',), ('a',))]
    """
    if ctx.as_of_end is None:
        raise ValueError("UNANSWERED_FEEDBACK needs an index built with an as-of date")
    cutoff = ctx.as_of_end - timedelta(days=settings.feedback_days)
    groups: dict[tuple[str, str | None], list[Note]] = {}
    for note in ctx.notes:
        if note.node in ctx.live and overdue(note.stance, note.status, note.response,
                                             note.created_at, cutoff):
            unit = note.unit if note.unit in ctx.active_units else None
            groups.setdefault((note.node, unit), []).append(note)
    for (key, unit), notes in sorted(groups.items(), key=lambda g: (g[0][0], g[0][1] or "")):
        node = ctx.nodes[key]
        blocker = any(n.stance == "blocker" for n in notes)
        since = min(utc(n.created_at) for n in notes).date().isoformat()
        what = f"A {notes[0].stance}" if len(notes) == 1 else f"{len(notes)} concerns or blockers"
        source = f" from {ctx.unit_name(unit)}" if unit is not None else ""
        verb = "has" if len(notes) == 1 else "have"
        yield finding(
            "UNANSWERED_FEEDBACK", "high" if blocker else "medium", [key], [unit],
            f"{what} on {quoted(node.title)}{source} {verb} been open without a response "
            f"since {since}.",
            f"Invite the owners of {quoted(node.title)} in {ctx.unit_name(node.unit)} to "
            "respond, even if only to say the note has been heard.")


def one_way(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """ONE_WAY: an `agreed` node with at least one child owned by another unit, and no note
    on it from any of those translating units, agreed more than `translation_grace_days`
    ago (see `settled`). Translations and units are listed by key.

    >>> from cascade.coherence.model import Node, Unit
    >>> snap = Snapshot("w", units=(Unit("a", "A"), Unit("t", "T", "a")), nodes=(
    ...     Node("x", "X", "a", status="agreed"), Node("y", "Y", "t", parent="x")))
    >>> [(f.code, f.nodes, f.units) for f in one_way(snap, Index(snap), Settings())]
    [('ONE_WAY', ('x', 'y'), ('a', 't'))]
    """
    for node in ctx.live_nodes:
        if node.status != "agreed" or not settled(node, ctx, settings):
            continue
        translations = sorted(c for c in ctx.children.get(node.key, ())
                              if ctx.nodes[c].unit != node.unit)
        translating = sorted({ctx.nodes[c].unit for c in translations})
        heard = {n.unit for n in ctx.notes_by_node.get(node.key, ())}
        if translations and heard.isdisjoint(translating):
            names = listing(ctx.unit_name(u) for u in translating)
            yield finding(
                "ONE_WAY", "low", [node.key, *translations], [node.unit, *translating],
                f"{quoted(node.title)} has been translated by {names}, "
                "but no notes have come back from them yet.",
                f"Ask {names} how translating {quoted(node.title)} went: what is clear, "
                "what is hard, and what they would change.")


def dependency_cycle(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """DEPENDENCY_CYCLE: nodes that depend on each other in a circle through `depends_on`
    (one finding per strongly connected group of two or more non-retired nodes).

    >>> from cascade.coherence.model import Node, Unit
    >>> snap = Snapshot("w", units=(Unit("a", "A"), Unit("b", "B")), nodes=(
    ...     Node("x", "X", "a", depends_on=("y",)), Node("y", "Y", "b", depends_on=("x",))))
    >>> [(f.code, f.nodes, f.units) for f in dependency_cycle(snap, Index(snap), Settings())]
    [('DEPENDENCY_CYCLE', ('x', 'y'), ('a', 'b'))]
    """
    groups = [sorted(g) for g in nx.strongly_connected_components(dependency_graph(ctx))
              if len(g) > 1]
    for keys in sorted(groups):
        units = sorted({ctx.nodes[k].unit for k in keys})
        yield finding(
            "DEPENDENCY_CYCLE", "high", keys, units,
            f"{listing(quoted(ctx.title(k)) for k in keys)} depend on each other in a circle.",
            f"Bring {listing(ctx.unit_name(u) for u in units)} together to find where the "
            "circle can be opened: what could be delivered first?")


def broken_dependency(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """BROKEN_DEPENDENCY: a non-retired node that depends on a `retired` or `draft` node
    (one finding per such link).

    >>> from cascade.coherence.model import Node, Unit
    >>> snap = Snapshot("w", units=(Unit("a", "A"),), nodes=(
    ...     Node("x", "X", "a", status="agreed", depends_on=("y",)), Node("y", "Y", "a")))
    >>> [(f.code, f.nodes, f.units) for f in broken_dependency(snap, Index(snap), Settings())]
    [('BROKEN_DEPENDENCY', ('x', 'y'), ('a',))]
    """
    for node in ctx.live_nodes:
        for key in sorted(set(node.depends_on)):
            target = ctx.nodes.get(key)
            if target is None or target.status not in ("retired", "draft"):
                continue
            state = "has been retired" if target.status == "retired" else "is still a draft"
            yield finding(
                "BROKEN_DEPENDENCY", "medium", [node.key, key], [node.unit],
                f"{quoted(node.title)} depends on {quoted(target.title)}, which {state}.",
                f"Ask {ctx.unit_name(node.unit)} and the owners of {quoted(target.title)} "
                "whether the dependency still holds and who will deliver it.")


def overload(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """OVERLOAD: a unit that owns more than 7 non-retired nodes that have no children.

    >>> from cascade.coherence.model import Node, Unit
    >>> snap = Snapshot("w", units=(Unit("a", "A"),),
    ...                 nodes=tuple(Node(f"n{i}", "N", "a") for i in range(8)))
    >>> [(f.code, len(f.nodes), f.units) for f in overload(snap, Index(snap), Settings())]
    [('OVERLOAD', 8, ('a',))]
    """
    for unit in sorted(ctx.active_units):
        leaves = sorted(k for k in ctx.nodes_by_unit.get(unit, ()) if not ctx.children.get(k))
        if len(leaves) > settings.overload_leaves:
            name = ctx.unit_name(unit)
            yield finding(
                "OVERLOAD", "low", leaves, [unit],
                f"{name} carries {len(leaves)} strategy elements with nothing below them, "
                f"more than the {settings.overload_leaves} a unit can usually hold in focus.",
                f"Explore with {name} which of these to focus on first, "
                "and which could wait or be let go.")


def unengaged_unit(snap: Snapshot, ctx: Index, settings: Settings) -> Iterator[Finding]:
    """UNENGAGED_UNIT: a unit that owns no non-retired node while its parent unit owns an
    `agreed` node.

    >>> from cascade.coherence.model import Node, Unit
    >>> snap = Snapshot("w", units=(Unit("a", "A"), Unit("t", "T", "a")),
    ...                 nodes=(Node("x", "X", "a", status="agreed"),))
    >>> [(f.code, f.nodes, f.units) for f in unengaged_unit(snap, Index(snap), Settings())]
    [('UNENGAGED_UNIT', (), ('t', 'a'))]
    """
    agreed = {n.unit for n in ctx.live_nodes if n.status == "agreed"}
    for unit in sorted(ctx.active_units):
        parent = ctx.unit_parent[unit]
        if parent in agreed and not ctx.nodes_by_unit.get(unit):
            name, above = ctx.unit_name(unit), ctx.unit_name(parent)
            yield finding(
                "UNENGAGED_UNIT", "low", [], [unit, parent],
                f"{name} has no strategy of its own yet, while {above} has agreed strategy.",
                f"Ask {name} how {possessive(above)} strategy relates to their work, "
                "and offer help with a first translation.")


RULES: tuple[Rule, ...] = (
    uncovered, stale_translation, orphaned, unaligned, off_structure, unanswered_feedback,
    one_way, dependency_cycle, broken_dependency, divergent_views, low_understanding,
    overload, unengaged_unit,
    # the second catalogue: measures, horizons and dependency agreements
    blind, stale_measure, neglected, confidence_contradiction, horizon_mismatch,
    unconfirmed_dependency,
)

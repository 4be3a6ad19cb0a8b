"""Indexes and graphs over a Snapshot, built once so that every rule stays linear.

Rules keep asking the same questions (a node's children, whether one unit sits below
another, which notes came in before the as-of date); answering them from maps built in
one pass keeps an analysis linear in the size of the workspace instead of quadratic.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

import networkx as nx

from cascade import trees
from cascade.coherence.model import Dependency, Measure, Node, Note, Snapshot, Unit


def as_of_end(as_of: date) -> datetime:
    """The end of the as-of day in UTC, as an exclusive bound, so one date gives one answer.

    >>> as_of_end(date(2026, 11, 1)).isoformat()
    '2026-11-02T00:00:00+00:00'
    """
    return datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=UTC)


def utc(moment: datetime) -> datetime:
    """Naive timestamps are taken as UTC, so aware and naive values never get compared."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def dependency_graph(index: Index) -> nx.DiGraph:
    """`depends_on` edges among live nodes only: retired nodes take no part in cycles."""
    graph = nx.DiGraph()
    graph.add_nodes_from(index.live)
    for key in index.live:
        graph.add_edges_from((key, t) for t in index.nodes[key].depends_on if t in index.live)
    return graph


class Lookups:
    """Nodes and units by key and the active unit tree: what rules and drawings both ask.

    Unit parents skip archived units, so archiving a middle unit lifts its sub-units up.
    """

    def __init__(self, snap: Snapshot) -> None:
        self.units: dict[str, Unit] = {u.key: u for u in snap.units}
        self.nodes: dict[str, Node] = {n.key: n for n in snap.nodes}
        self.active_units = {k for k, u in self.units.items() if not u.archived}
        declared = {k: (u.parent if u.parent in self.units else None)
                    for k, u in self.units.items()}
        self.unit_parent = {k: self._active_parent(k, declared) for k in self.active_units}
        # the agreement recorded for a (depending node, node depended on) link
        self.agreements: dict[tuple[str, str], Dependency] = {
            (d.node, d.on): d for d in snap.dependencies}

    def _active_parent(self, key: str, declared: dict[str, str | None]) -> str | None:
        """The nearest non-archived ancestor unit."""
        return next((u for u in trees.ancestors(key, declared) if u in self.active_units), None)

    def unit_within(self, unit: str, ancestor: str) -> bool:
        """Whether `unit` is `ancestor` or anywhere below it, in O(depth) of the unit tree."""
        return trees.within(unit, ancestor, self.unit_parent)


class Index(Lookups):
    """Lookups a rule needs, computed in one pass over the snapshot.

    A node is *live* when it is not retired and its unit exists and is not archived: an
    archived unit takes no part, and neither does the strategy it used to own. Unit
    parents skip archived units, so archiving a middle unit lifts its sub-units up.
    """

    def __init__(self, snap: Snapshot, as_of: date | None = None) -> None:
        super().__init__(snap)
        self.as_of_end = as_of_end(as_of) if as_of is not None else None
        self.sub_units: dict[str, list[str]] = defaultdict(list)
        for key, parent in self.unit_parent.items():
            if parent is not None:
                self.sub_units[parent].append(key)
        self.live = {k for k, n in self.nodes.items()
                     if n.status != "retired" and n.unit in self.active_units}
        self.live_nodes: list[Node] = [self.nodes[k] for k in sorted(self.live)]
        self.children: dict[str, list[str]] = defaultdict(list)
        self.nodes_by_unit: dict[str, list[str]] = defaultdict(list)
        for key in self.live:
            node = self.nodes[key]
            self.nodes_by_unit[node.unit].append(key)
            if node.parent is not None:
                self.children[node.parent].append(key)
        self._snap = snap
        self.derived: dict[object, object] = {}  # what rules work out once and share

    @cached_property
    def notes(self) -> list[Note]:
        """Notes that existed by the end of the as-of day (all of them without a date);
        built on first use, since only the feedback rules read notes."""
        end = self.as_of_end
        if end is None:
            return list(self._snap.notes)
        naive_end = end.replace(tzinfo=None)  # naive timestamps are UTC
        return [n for n in self._snap.notes
                if n.created_at < (naive_end if n.created_at.tzinfo is None else end)]

    @cached_property
    def notes_by_node(self) -> dict[str, list[Note]]:
        grouped: dict[str, list[Note]] = defaultdict(list)
        for note in self.notes:
            grouped[note.node].append(note)
        return grouped

    @cached_property
    def measures_by_node(self) -> dict[str, list[Measure]]:
        """Live measures on live nodes, by node, in key order: the only ones that count."""
        grouped: dict[str, list[Measure]] = defaultdict(list)
        for measure in sorted(self._snap.measures, key=lambda m: (m.node, m.key)):
            if measure.status == "live" and measure.node in self.live:
                grouped[measure.node].append(measure)
        return grouped

    @cached_property
    def measuring_units(self) -> dict[str, set[str]]:
        """For each unit, its live nodes that carry a live measure."""
        grouped: dict[str, set[str]] = defaultdict(set)
        for key in self.measures_by_node:
            grouped[self.nodes[key].unit].add(key)
        return grouped

    def parent_of(self, node: Node) -> Node | None:
        """The node's parent, or None when it has none (or names an unknown key)."""
        return self.nodes.get(node.parent) if node.parent is not None else None

    def title(self, key: str) -> str:
        """A node's title for messages; the key stands in for an unknown node."""
        node = self.nodes.get(key)
        return node.title if node is not None else key

    def unit_name(self, key: str | None) -> str:
        """A unit's name for messages; the key (or "a unit") stands in for an unknown one."""
        unit = self.units.get(key) if key is not None else None
        return unit.name if unit is not None else (key or "a unit")

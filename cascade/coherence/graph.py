"""Indexes and graphs over a Snapshot, built once so that every rule stays linear.

Rules keep asking the same questions (a node's children, whether one unit sits below
another, which notes came in before the as-of date); answering them from maps built in
one pass keeps an analysis linear in the size of the workspace instead of quadratic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

import networkx as nx

from cascade.coherence.model import Node, Note, Snapshot, Unit


def as_of_end(as_of: date) -> datetime:
    """The end of the as-of day in UTC, as an exclusive bound, so one date gives one answer.

    >>> as_of_end(date(2026, 11, 1)).isoformat()
    '2026-11-02T00:00:00+00:00'
    """
    return datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=UTC)


def utc(moment: datetime) -> datetime:
    """Naive timestamps are taken as UTC, so aware and naive values never get compared."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def strategy_graph(snap: Snapshot, *, live_only: bool = True) -> nx.DiGraph:
    """Nodes with `tree` edges parent -> child and `depends_on` edges node -> dependency.

    Node attributes copy the Node's title, unit and status, ready for drawing.

    >>> from cascade.coherence.model import Unit
    >>> snap = Snapshot("w", units=(Unit("u", "U"),), nodes=(
    ...     Node("a", "A", "u"), Node("b", "B", "u", parent="a", depends_on=("a",))))
    >>> sorted(strategy_graph(snap).edges(data="kind"))
    [('a', 'b', 'tree'), ('b', 'a', 'depends_on')]
    """
    index = Index(snap)
    keep = index.live if live_only else set(index.nodes)
    graph = nx.DiGraph()
    for key in sorted(keep):
        node = index.nodes[key]
        graph.add_node(key, title=node.title, unit=node.unit, status=node.status)
    for key in sorted(keep):
        node = index.nodes[key]
        if node.parent in keep:
            graph.add_edge(node.parent, key, kind="tree")
    for key in sorted(keep):
        for target in index.nodes[key].depends_on:
            if target in keep and not graph.has_edge(key, target):
                graph.add_edge(key, target, kind="depends_on")
    return graph


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
        self.unit_parent = {k: self._active_parent(k) for k in self.active_units}

    def _active_parent(self, key: str) -> str | None:
        """The nearest non-archived ancestor unit; a guard stops on malformed cycles."""
        seen = {key}
        parent = self.units[key].parent
        while parent in self.units and parent not in seen:
            if parent in self.active_units:
                return parent
            seen.add(parent)
            parent = self.units[parent].parent
        return None

    def unit_within(self, unit: str, ancestor: str) -> bool:
        """Whether `unit` is `ancestor` or anywhere below it, in O(depth) of the unit tree."""
        seen: set[str] = set()
        current: str | None = unit
        while current is not None and current not in seen:
            if current == ancestor:
                return True
            seen.add(current)
            current = self.unit_parent.get(current)
        return False


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


class Forest:
    """The node tree (all nodes, retired included) numbered in depth-first order.

    A subtree is then the contiguous range `order[tin[k]:tout[k]]`, so subtree membership
    is O(1) and all subtrees can be scored in one sweep. Ancestor jumps (binary lifting)
    give lowest common ancestors in O(log n).
    """

    def __init__(self, nodes: Iterable[Node]) -> None:
        self.parent = {n.key: n.parent for n in nodes}
        kids: dict[str, list[str]] = defaultdict(list)
        for key, parent in self.parent.items():
            if parent in self.parent:
                kids[parent].append(key)
        self.order: list[str] = []
        self.tin: dict[str, int] = {}
        self.tout: dict[str, int] = {}
        roots = sorted(k for k, p in self.parent.items() if p not in self.parent)
        self._walk(roots, kids)
        # Parent cycles (impossible after import validation) become pseudo-roots.
        for key in sorted(self.parent):
            if key not in self.tin:
                self._walk([key], kids)
        self._up: list[list[int]] | None = None

    def _walk(self, roots: list[str], kids: dict[str, list[str]]) -> None:
        stack: list[tuple[str, bool]] = [(r, False) for r in reversed(roots)]
        while stack:
            key, done = stack.pop()
            if done:
                self.tout[key] = len(self.order)
                continue
            if key in self.tin:
                continue
            self.tin[key] = len(self.order)
            self.order.append(key)
            stack.append((key, True))
            stack.extend((c, False) for c in sorted(kids[key], reverse=True))

    def subtree(self, root: str) -> list[str]:
        """Keys of `root` and everything below it, in depth-first order."""
        if root not in self.tin:
            return []
        return self.order[self.tin[root]:self.tout[root]]

    def is_ancestor(self, upper: int, lower: int) -> bool:
        """Both arguments are depth-first positions; a node is its own ancestor."""
        return self.tin[self.order[upper]] <= lower < self.tout[self.order[upper]]

    def tree_parent(self, pos: int) -> int:
        """Position of the parent in the walked tree, or -1 for a (pseudo-)root."""
        parent = self.parent[self.order[pos]]
        if parent is None or parent not in self.tin or self.tin[parent] > pos:
            return -1
        return self.tin[parent] if pos < self.tout[parent] else -1

    def lca(self, a: int, b: int) -> int:
        """Lowest common ancestor of two positions, or -1 when they lie in different trees."""
        if self._up is None:
            self._up = self._jumps()
        if self.is_ancestor(a, b):
            return a
        if self.is_ancestor(b, a):
            return b
        for level in reversed(self._up):
            step = level[a]
            if step >= 0 and not self.is_ancestor(step, b):
                a = step
        top = self._up[0][a]
        return top if top >= 0 and self.is_ancestor(top, b) else -1

    def _jumps(self) -> list[list[int]]:
        first = [self.tree_parent(i) for i in range(len(self.order))]
        levels = [first]
        while any(x >= 0 for x in levels[-1]) and len(levels) < 64:
            prev = levels[-1]
            levels.append([prev[x] if x >= 0 else -1 for x in prev])
        return levels

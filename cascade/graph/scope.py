"""Which nodes a view is about: the filters applied to the analysed strategy tree.

Nodes in archived units take no part (as in the engine). Retired nodes stay, drawn grey,
because an orphaned translation only makes sense next to its retired parent. Filters on
unit, status or finding code keep the ancestors of what matches as faded *context*, so a
match is never shown cut off from the strategy it serves.

The drawable tree (`Tree`: depth-first order, children, positions) depends only on the
workspace version, so it is worked out once per analysis and shared by all its views; a
view's own work is at most a pass over its keys with plain dicts and lists. Keys come out
in depth-first order, so a subtree is a slice of `keys` (ending where the next sibling up
the path starts) and folding one (`cascade.graph.collapse`) never walks it again.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter

from cascade import horizons
from cascade.coherence.definitions import live, stale
from cascade.coherence.graph import Lookups
from cascade.coherence.model import Finding, Node, Snapshot
from cascade.graph.options import GraphOptions

_NODES = attrgetter("nodes")


class Levels(dict):
    """Depth in the strategy tree by node key, worked out when first asked for: a big view
    draws a few hundred of its nodes, so most depths are never needed."""

    def __init__(self, parent: dict[str, str | None]) -> None:
        super().__init__()
        self.parent = parent

    def __missing__(self, key: str) -> int:
        path, current = [], key
        while current is not None and not dict.__contains__(self, current):
            path.append(current)
            current = self.parent[current]
        depth = -1 if current is None else dict.__getitem__(self, current)
        for step in reversed(path):
            depth += 1
            self[step] = depth
        return depth


@dataclass
class Tree:
    """Every node in a non-archived unit, depth-first from the tops (siblings by key)."""

    order: list[str]
    parent: dict[str, str | None]  # None for a top
    kids: dict[str, list[str]]  # sorted; only nodes with children have an entry
    tops: list[str]
    level: Levels
    nodes: dict[str, Node]  # the analysis's nodes by key

    @cached_property
    def position(self) -> dict[str, int]:
        """Each key's place in `order`."""
        return dict(zip(self.order, range(len(self.order)), strict=True))

    @cached_property
    def linked(self) -> list[str]:
        """Keys of the nodes with links to others, in tree order."""
        nodes = self.nodes
        return [k for k in self.order if nodes[k].depends_on or nodes[k].contributes_to]

    def near_top(self, depth: int, most: int) -> list[str]:
        """Keys at most `depth` levels below a top, in tree order, at most `most` of them."""
        out: list[str] = []
        stack = [(key, 0) for key in reversed(self.tops)]
        while stack and len(out) < most:
            key, below = stack.pop()
            out.append(key)
            if below < depth:
                stack.extend((kid, below + 1) for kid in reversed(self.kids.get(key, ())))
        return out


@dataclass
class Scope:
    index: Lookups
    tree: Tree  # the whole drawable strategy tree the view was taken from
    keys: list[str]  # nodes in the view, depth-first: parents before children, siblings by key
    context: set[str]  # shown only as ancestors of matches
    parent: dict[str, str | None]  # the parent within the view (None: a top of the view)
    children: dict[str, list[str]]  # only nodes with children in the view have an entry
    all_findings: list[Finding]  # the analysis's, of which `findings` are the view's
    by_node: dict[str, list[Finding]]  # per key of the view (unfiltered: the analysis's own)
    empty_units: list[str] = field(default_factory=list)  # units-only findings, no nodes
    unit_only: list[Finding] = field(default_factory=list)  # findings about units alone
    unit_findings: dict[str, list[Finding]] = field(default_factory=dict)  # about units alone
    position: dict[str, int] = field(default_factory=dict)  # key -> its place in `keys`
    acknowledgements: bool = True  # whether any finding is acknowledged (False: none is)
    tops: list[str] = field(default_factory=list)  # keys without a parent in the view, in order
    changed: frozenset[str] = frozenset()  # nodes outlined as changed since a comparison day

    @cached_property
    def findings(self) -> list[Finding]:
        """Findings naming a node of the view, then those about its units alone (made on
        first use: the page lists them while dot lays the picture out)."""
        in_view = self.parent.keys()
        return [f for f in self.all_findings if not in_view.isdisjoint(f.nodes)] + \
            self.unit_only

    @property
    def level(self) -> Levels:
        """Depth in the whole strategy tree, for the node's shape."""
        return self.tree.level

    def is_stale(self, key: str) -> bool:
        """The engine's definition (`coherence.definitions.stale`), for the edge into this node."""
        index = self.index
        node = index.nodes[key]
        parent = index.nodes.get(node.parent) if node.parent else None
        return parent is not None and stale(
            node.parent_revision_seen, parent.revision,
            node_live=live(node.status, node.unit in index.active_units),
            parent_live=live(parent.status, parent.unit in index.active_units))

    def subtree(self, key: str) -> list[str]:
        """The key and everything below it in the view, depth-first (a slice of `keys`)."""
        return self.keys[self.position[key]:self._end(key)]

    def _end(self, key: str) -> int:
        """Where the key's subtree ends in `keys`: at the next sibling of the key or of its
        nearest ancestor that has one. Siblings lie in `keys` order, so the next one is a
        bisection away; only the subtrees asked for cost anything."""
        parent, children, position = self.parent, self.children, self.position
        current = key
        while True:
            up = parent[current]
            siblings = children[up] if up is not None else self.tops
            after = bisect.bisect_right(siblings, position[current], key=position.__getitem__)
            if after < len(siblings):
                return position[siblings[after]]
            if up is None:
                return len(self.keys)
            current = up


def select(snap: Snapshot, findings: list[Finding], options: GraphOptions,
           by_node: dict[str, list[Finding]] | None = None, index: Lookups | None = None,
           tree: Tree | None = None) -> Scope:
    """Apply the options' filters; the result is a forest, ordered for stable drawings.
    `by_node` (findings per node key, as `Analysis.by_node` has them), `index` (the
    analysis's lookups over `snap`) and `tree` (`drawable_tree(index)`) save doing that
    work again."""
    index = index or Lookups(snap)
    tree = tree or drawable_tree(index)
    if by_node is None:
        by_node = {}
        for found in findings:
            for key in found.nodes:
                by_node.setdefault(key, []).append(found)
    if options.filtered:
        keys, parent, children, context = _filtered(index, tree, by_node, options)
        tops = [k for k in keys if parent[k] is None]
    else:
        keys, parent, children, context, tops = tree.order, tree.parent, tree.kids, set(), \
            tree.tops
    in_view = parent  # a dict over the view's keys
    position = tree.position if keys is tree.order else \
        dict(zip(keys, range(len(keys)), strict=True))
    if keys is tree.order:  # no filter: asked only about keys of the view, as it is
        shown_by_node = by_node
    elif len(by_node) <= len(keys):
        shown_by_node = {k: v for k, v in by_node.items() if k in in_view}
    else:
        shown_by_node = {k: by_node[k] for k in keys if k in by_node}
    empty = _unit_findings(index, findings, options)
    about_units: dict[str, list[Finding]] = {}
    for unit, found in empty:
        about_units.setdefault(unit, []).append(found)
    return Scope(index=index, tree=tree, keys=keys, context=context, parent=parent,
                 children=children, all_findings=findings, by_node=shown_by_node,
                 empty_units=sorted(about_units), unit_only=[f for _, f in empty],
                 unit_findings=about_units, position=position, tops=tops,
                 acknowledgements=bool(snap.acknowledged), changed=frozenset(options.changed))


def drawable_tree(index: Lookups) -> Tree:
    """The drawable tree: its depth-first order, parents, sorted children and tops."""
    nodes, active = index.nodes, index.active_units
    if len(active) == len(index.units):  # no archived unit: every node is drawn
        drawn, inside = sorted(nodes), nodes.keys()
    else:
        drawn = sorted([k for k, n in nodes.items() if n.unit in active])
        inside = set(drawn)
    tree_parent: dict[str, str | None] = {}
    kids: dict[str, list[str]] = {}
    tops: list[str] = []
    for key in drawn:  # keys in order, so each child list is sorted
        parent = nodes[key].parent
        if parent in inside:
            tree_parent[key] = parent
            if parent in kids:
                kids[parent].append(key)
            else:
                kids[parent] = [key]
        else:
            tree_parent[key] = None
            tops.append(key)
    order: list[str] = []
    append, below_of = order.append, kids.get
    stack = tops[::-1]
    pop, push = stack.pop, stack.extend
    while stack:  # depth-first without per-node tuples
        key = pop()
        append(key)
        below = below_of(key)
        if below:
            push(below[::-1])
    if len(order) < len(drawn):  # a parent cycle, impossible after validation: drawn as tops
        reached = set(order)
        for key in drawn:
            if key not in reached:
                tree_parent[key] = None
                order.append(key)
                tops.append(key)
        kids = {}
        for key in order:
            parent = tree_parent[key]
            if parent is not None:
                kids.setdefault(parent, []).append(key)
    return Tree(order=order, parent=tree_parent, kids=kids, tops=tops,
                level=Levels(tree_parent), nodes=nodes)


def _filtered(index: Lookups, tree: Tree, by_node: dict[str, list[Finding]],
              options: GraphOptions):
    """The view's keys, parents, children and context when some filter is on."""
    order, level = tree.order, tree.level
    if options.root is None:
        keys = order
    elif options.root in tree.parent:
        start = order.index(options.root)
        end = start + 1
        top = level[options.root]
        while end < len(order) and level[order[end]] > top:  # the subtree is contiguous
            end += 1
        keys = order[start:end]
    else:
        keys = []
    if options.depth is not None:
        top = level[options.root] if options.root in tree.parent else 0
        keys = [k for k in keys if level[k] - top <= options.depth]
    shown, context = _shown(index, keys, tree.parent, by_node, options)
    if shown is not None:
        keys = [k for k in keys if k in shown]
    in_view = set(keys)
    parent = {k: (p if p in in_view else None) for k in keys for p in (tree.parent[k],)}
    children: dict[str, list[str]] = {}
    for key in keys:
        up = parent[key]
        if up is not None:
            children.setdefault(up, []).append(key)
    return keys, parent, children, context


def _shown(index: Lookups, keys: list[str], tree_parent: dict[str, str | None],
           by_node: dict[str, list[Finding]],
           options: GraphOptions) -> tuple[set[str] | None, set[str]]:
    """What matches the unit, status, code and horizon filters, plus the ancestors as context.
    None when those filters are off (everything in `keys` is shown)."""
    if options.unit is None and options.status is None and options.code is None \
            and options.horizon is None:
        return None, set()
    matches = _matching(index, keys, by_node, options)
    wanted, shown, context = set(keys), set(matches), set()
    for key in matches:
        parent = tree_parent[key]
        while parent in wanted and parent not in shown:
            shown.add(parent)
            context.add(parent)
            parent = tree_parent[parent]
    return shown, context


def _matching(index: Lookups, keys: list[str], by_node: dict[str, list[Finding]],
              options: GraphOptions) -> list[str]:
    out = keys
    nodes = index.nodes
    if options.unit is not None:
        inside = {u for u in index.active_units if index.unit_within(u, options.unit)}
        out = [k for k in out if nodes[k].unit in inside]
    if options.status is not None:
        out = [k for k in out if nodes[k].status == options.status]
    if options.code is not None:
        out = [k for k in out if any(f.code == options.code for f in by_node.get(k, ()))]
    if options.horizon is not None:
        out = [k for k in out if horizons.matches(nodes[k].horizon, options.horizon)]
    return out


def _unit_findings(index: Lookups, findings: list[Finding],
                   options: GraphOptions) -> list[tuple[str, Finding]]:
    """Findings about units alone (a unit with no strategy) belong in a whole-tree view."""
    if options.root is not None or options.status is not None:
        return []
    out = []
    for found in itertools.filterfalse(_NODES, findings):  # most findings name nodes
        if options.code and found.code != options.code:
            continue
        unit = found.units[0] if found.units else None
        if unit in index.active_units and (
                options.unit is None or index.unit_within(unit, options.unit)):
            out.append((unit, found))
    return out

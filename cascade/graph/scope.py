"""Which nodes a view is about: the filters applied to the analysed strategy tree.

Nodes in archived units take no part (as in the engine). Retired nodes stay, drawn grey,
because an orphaned translation only makes sense next to its retired parent. Filters on
unit, status or finding code keep the ancestors of what matches as faded *context*, so a
match is never shown cut off from the strategy it serves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from cascade.coherence.graph import Index
from cascade.coherence.model import Finding, Snapshot
from cascade.graph.options import GraphOptions


@dataclass
class Scope:
    index: Index
    keys: list[str]  # nodes in the view, parents before children, siblings by key
    context: set[str]  # shown only as ancestors of matches
    parent: dict[str, str | None]  # the parent within the view (None: a top of the view)
    children: dict[str, list[str]]
    level: dict[str, int]  # depth in the whole strategy tree, for the node's shape
    findings: list[Finding]  # findings naming a node of the view, or one of its units
    by_node: dict[str, list[Finding]]
    empty_units: list[str] = field(default_factory=list)  # units-only findings, no nodes
    unit_findings: dict[str, list[Finding]] = field(default_factory=dict)  # about units alone


def select(snap: Snapshot, findings: list[Finding], options: GraphOptions) -> Scope:
    """Apply the options' filters; the result is a forest, ordered for stable drawings."""
    index = Index(snap)
    tree_parent, kids, level = _tree(index)
    if options.root is None:
        keys = list(level)  # every drawn node, depth-first from the tops
    else:
        keys = _walk([options.root], kids) if options.root in level else []
    if options.depth is not None:
        top = level[options.root] if options.root in level else 0
        keys = [k for k in keys if level[k] - top <= options.depth]
    by_node: dict[str, list[Finding]] = defaultdict(list)
    for found in findings:
        for key in found.nodes:
            by_node[key].append(found)
    shown, context = _shown(index, keys, tree_parent, by_node, options)
    if shown is not None:
        keys = [k for k in keys if k in shown]
    in_view = set(keys)
    parent = {k: (p if p in in_view else None) for k in keys for p in (tree_parent[k],)}
    children: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        if parent[key] is not None:
            children[parent[key]].append(key)
    named = [f for f in findings if not in_view.isdisjoint(f.nodes)]
    empty = _unit_findings(index, findings, options)
    about_units: dict[str, list[Finding]] = defaultdict(list)
    for unit, found in empty:
        about_units[unit].append(found)
    return Scope(index=index, keys=keys, context=context, parent=parent, children=children,
                 level=level, findings=named + [f for _, f in empty],
                 by_node={k: v for k, v in by_node.items() if k in in_view},
                 empty_units=sorted(about_units), unit_findings=dict(about_units))


def _tree(index: Index) -> tuple[dict[str, str | None], dict[str, list[str]], dict[str, int]]:
    """Parent, children (sorted) and depth of every node in a non-archived unit; the depth
    map's order is depth-first from the tops, the order drawings use."""
    drawn = sorted(k for k, n in index.nodes.items() if n.unit in index.active_units)
    drawn_set = set(drawn)
    tree_parent: dict[str, str | None] = {}
    kids: dict[str, list[str]] = defaultdict(list)
    for key in drawn:
        parent = index.nodes[key].parent
        tree_parent[key] = parent if parent in drawn_set else None
        if parent in drawn_set:
            kids[parent].append(key)
    level: dict[str, int] = {}
    stack = [(k, 0) for k in reversed(drawn) if tree_parent[k] is None]
    while stack:
        key, depth = stack.pop()
        if key in level:
            continue
        level[key] = depth
        stack.extend((c, depth + 1) for c in reversed(kids.get(key, ())))
    for key in drawn:  # a parent cycle, impossible after validation: drawn as tops
        if key not in level:
            level[key] = 0
            tree_parent[key] = None
    return tree_parent, kids, level


def _walk(starts: list[str], kids: dict[str, list[str]]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    stack = list(reversed(starts))
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        out.append(key)
        stack.extend(reversed(kids.get(key, ())))
    return out


def _shown(index: Index, keys: list[str], tree_parent: dict[str, str | None],
           by_node: dict[str, list[Finding]],
           options: GraphOptions) -> tuple[set[str] | None, set[str]]:
    """What matches the unit, status and code filters, plus the ancestors as context.
    None when those filters are off (everything in `keys` is shown)."""
    if options.unit is None and options.status is None and options.code is None:
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


def _matching(index: Index, keys: list[str], by_node: dict[str, list[Finding]],
              options: GraphOptions) -> list[str]:
    out = keys
    if options.unit is not None:
        out = [k for k in out if index.unit_within(index.nodes[k].unit, options.unit)]
    if options.status is not None:
        out = [k for k in out if index.nodes[k].status == options.status]
    if options.code is not None:
        out = [k for k in out if any(f.code == options.code for f in by_node.get(k, ()))]
    return out


def _unit_findings(index: Index, findings: list[Finding],
                   options: GraphOptions) -> list[tuple[str, Finding]]:
    """Findings about units alone (a unit with no strategy) belong in a whole-tree view."""
    if options.root is not None or options.status is not None:
        return []
    out = []
    for found in findings:
        if found.nodes or (options.code and found.code != options.code):
            continue
        unit = found.units[0] if found.units else None
        if unit in index.active_units and (
                options.unit is None or index.unit_within(unit, options.unit)):
            out.append((unit, found))
    return out

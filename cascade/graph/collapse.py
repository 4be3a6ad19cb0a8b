"""Keep big views readable: beyond the node budget, subtrees fold into summary nodes.

Levels open top-down, breadth first, while the visible nodes plus summaries fit the budget;
a node whose children do not fit keeps them folded in one summary ("+42 nodes · 3
findings") that opens on click. Nodes the viewer expanded open first, whatever the budget.
Dot's time grows with the square of what is drawn, so this is what keeps a 20,000-node
workspace at the cost of a few hundred nodes.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import NamedTuple

from cascade import trees
from cascade.coherence.model import SEVERITIES, Finding
from cascade.graph.scope import Scope

_SEVERITY_RANK = {severity: i for i, severity in enumerate(SEVERITIES)}
_SEVERITY, _ACKNOWLEDGED = attrgetter("severity"), attrgetter("acknowledged")


class Tally(NamedTuple):
    """A folded group's findings: per code [findings, open ones, rank of the worst open
    severity, an example (the first open one, else the first)], how many are open, and
    the worst open severity (None when none is open)."""

    by_code: dict[str, list]
    open: int
    severity: str | None


@dataclass
class Summary:
    """A folded group: the subtree below `anchor`, or tops that did not fit, by unit."""

    ident: str
    unit: str
    hidden: list[str]
    named: list[Finding]  # the findings of each hidden node, one after the other
    anchor: str | None = None  # opening it expands this node
    unit_filter: str | None = None  # or, for tops that did not fit, filters to this unit
    acknowledgements: bool = True  # whether the workspace has any acknowledged finding

    @cached_property
    def findings(self) -> list[Finding]:
        """The group's findings, each once (by identity: one finding object per gap,
        however many of the nodes it names), in first-seen order."""
        return list(dict(zip(map(id, self.named), self.named, strict=True)).values())

    @cached_property
    def tally(self) -> Tally:
        """The group's findings counted in one pass, for the tooltip."""
        rank = _SEVERITY_RANK
        by_code: dict[str, list] = {}
        count, best = 0, len(rank)
        for finding in self.findings:
            entry = by_code.get(finding.code)
            if entry is None:
                entry = by_code[finding.code] = [0, 0, len(rank), finding]
            entry[0] += 1
            if not finding.acknowledged:
                level = rank[finding.severity]
                if not entry[1]:
                    entry[3] = finding
                entry[1] += 1
                count += 1
                if level < entry[2]:
                    entry[2] = level
                if level < best:
                    best = level
        return Tally(by_code, count, SEVERITIES[best] if best < len(rank) else None)

    @cached_property
    def open_and_worst(self) -> tuple[int, str | None]:
        """How many open findings the group holds and the worst open severity: what its
        drawing shows. Without acknowledged findings these are counted by iterators alone
        (a big view hides most of the workspace in groups, and dot waits for this), the
        findings and tally are made for the tooltip while dot runs."""
        named = self.named
        if not named:
            return 0, None
        if self.acknowledgements and any(map(_ACKNOWLEDGED, named)):
            return self.tally.open, self.tally.severity
        present = set(map(_SEVERITY, named))
        return len(set(map(id, named))), next(s for s in SEVERITIES if s in present)

    @property
    def label(self) -> str:
        """"+42 nodes · 3 findings": what the group hides, and how many open findings."""
        hidden, count = len(self.hidden), self.open_and_worst[0]
        text = f"+{hidden:,} node{'s' if hidden != 1 else ''}"
        return text + (f" · {count} finding{'s' if count != 1 else ''}" if count else "")


@dataclass
class Plan:
    visible: list[str]
    summaries: list[Summary] = field(default_factory=list)
    parent: dict[str, str | None] = field(default_factory=dict)  # the view's parents
    anchored: dict[str, str] = field(default_factory=dict)  # folded node -> its summary
    overflowing: dict[str, str] = field(default_factory=dict)  # undrawn top -> its summary

    def __post_init__(self) -> None:
        self.ids = {key: f"n{i}" for i, key in enumerate(self.visible)}  # key -> element id
        self._groups: dict[str, str | None] = {}

    def element(self, key: str) -> str | None:
        """The id of the drawn element standing for `key`: its node's, or the summary's it
        is folded into (None when it is not in the view)."""
        return self.ids.get(key) or self._group(key)

    def _group(self, key: str) -> str | None:
        """A hidden key's summary: the one anchored at its nearest drawn ancestor, or the
        one holding its undrawn top. Worked out on demand (few keys are asked about) and
        remembered along the way up."""
        path, current, found = [], key, None
        while current in self.parent:
            if current in self._groups:
                found = self._groups[current]
                break
            path.append(current)
            up = self.parent[current]
            if up is None:
                found = self.overflowing.get(current)
                break
            if up in self.ids:
                found = self.anchored.get(up)
                break
            current = up
        self._groups.update(dict.fromkeys(path, found))
        return found


def collapse(scope: Scope, budget: int, expand: tuple[str, ...] = ()) -> Plan:
    """Choose what is drawn: everything when it fits, else open levels within the budget."""
    if len(scope.keys) <= budget:
        return Plan(visible=list(scope.keys), parent=scope.parent)
    children = scope.children
    tops, overflow = _fit_tops(scope, scope.tops, budget)
    is_open = set()
    queue = deque(tops)
    used = len(tops) + sum(1 for k in tops if k in children) + len(overflow)
    for key in _forced(scope, expand, tops):
        if used > budget * 4:
            break  # asked for far more than can be drawn in reasonable time
        used += _cost(scope, key)
        is_open.add(key)
    while queue:
        key = queue.popleft()
        kids = children.get(key)
        if not kids:
            continue
        if key not in is_open:
            cost = _cost(scope, key)
            if used + cost <= budget:
                used += cost
                is_open.add(key)
        if key in is_open:
            queue.extend(kids)
    return _plan(scope, tops, is_open, overflow)


def _cost(scope: Scope, key: str) -> int:
    """Opening a node shows its children (and their summaries) but drops its own summary."""
    kids = scope.children.get(key, ())
    return len(kids) + sum(1 for c in kids if c in scope.children) - 1


def _forced(scope: Scope, expand: tuple[str, ...], tops: list[str]) -> list[str]:
    """Expanded nodes and their ancestors in the view (opening a node shows its path too)
    below the tops that are drawn, breadth first: by depth in the view, then left to right."""
    depth: dict[str, int] = {}
    top_of: dict[str, str] = {}
    for key in expand:
        path = []
        current = key if key in scope.parent else None
        while current is not None and current not in depth:
            path.append(current)
            current = scope.parent[current]
        base = depth[current] + 1 if current is not None else 0
        top = top_of[current] if current is not None else (path[-1] if path else None)
        for offset, node in enumerate(reversed(path)):
            depth[node] = base + offset
            top_of[node] = top
    drawn = set(tops)
    return sorted((k for k in depth if top_of[k] in drawn),
                  key=lambda k: (depth[k], scope.position[k]))


def _fit_tops(scope: Scope, tops: list[str], budget: int) -> tuple[list[str], dict]:
    """When the tops alone crowd the budget, keep those with findings first and group the
    rest by unit (by a higher unit when there are too many units), one summary each."""
    cost = {k: 1 + bool(scope.children.get(k)) for k in tops}
    if sum(cost.values()) <= budget // 2:
        return tops, {}
    kept, used = set(), 0
    for key in sorted(tops, key=lambda k: (k not in scope.by_node, k)):
        if used + cost[key] > budget // 2:
            break
        kept.add(key)
        used += cost[key]
    rest = [k for k in tops if k not in kept]
    chains = {k: _unit_chain(scope, scope.index.nodes[k].unit) for k in rest}
    for depth in range(max(len(c) for c in chains.values()) - 1, -1, -1):
        groups: dict[str, list[str]] = {}
        for key, chain in chains.items():
            groups.setdefault(chain[min(depth, len(chain) - 1)], []).append(key)
        if len(groups) <= max(1, budget // 4):
            break
    return [k for k in tops if k in kept], groups


def _unit_chain(scope: Scope, unit: str) -> list[str]:
    """The unit's ancestors from the top unit down to the unit itself."""
    return [*reversed(trees.ancestors(unit, scope.index.unit_parent)), unit]


def _plan(scope: Scope, tops: list[str], is_open: set[str],
          overflow: dict[str, list[str]]) -> Plan:
    visible: list[str] = []
    summaries: list[Summary] = []
    anchored: dict[str, str] = {}
    overflowing: dict[str, str] = {}
    queue = deque(tops)
    children = scope.children
    while queue:
        key = queue.popleft()
        visible.append(key)
        kids = children.get(key)
        if not kids:
            continue
        if key in is_open:
            queue.extend(kids)
        else:
            anchored[key] = ident = f"s{len(summaries)}"
            summaries.append(_summary(scope, ident, scope.subtree(key)[1:],
                                      unit=scope.index.nodes[key].unit, anchor=key))
    for unit, keys in sorted(overflow.items()):
        ident = f"s{len(summaries)}"
        overflowing.update(dict.fromkeys(keys, ident))
        summaries.append(_summary(scope, ident, [k for top in keys for k in scope.subtree(top)],
                                  unit=unit, unit_filter=unit))
    return Plan(visible=sorted(visible, key=scope.position.__getitem__), summaries=summaries,
                parent=scope.parent, anchored=anchored, overflowing=overflowing)


def _summary(scope: Scope, ident: str, hidden: list[str], **where) -> Summary:
    """A group of hidden nodes with their findings, gathered by iterators alone."""
    named = list(itertools.chain.from_iterable(filter(None, map(scope.by_node.get, hidden))))
    return Summary(ident=ident, hidden=hidden, named=named,
                   acknowledgements=scope.acknowledgements, **where)

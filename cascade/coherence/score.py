"""The coherence score: 0–100 for the workspace or any subtree, from its open findings.

    score = floor(100 * size / (size + penalty))

`penalty` is the sum of the severity weights (`Settings.weights`: high 5, medium 3,
low 1) of the unacknowledged findings in scope; `size` is the number of live nodes in
scope plus one. Why this shape: `penalty / size` is the density of open incoherence per
element of strategy, and the score is `100 / (1 + density)`. So two copies of a
workspace side by side score the same as one (big organisations are not punished for
being big, nor small ones let off); the score halves when there is one weight point per
node; it falls smoothly and never below 0; and with `floor`, any open finding keeps it
below 100 while acknowledging a finding can only raise it. The `+ 1` stands for the
scope itself: an empty scope scores 100, and one node with one finding is not at 0.

A subtree (a node and everything below it, retired nodes included) holds the findings
that name any of its nodes, plus units-only findings naming a unit that owns a live node
of the subtree. The workspace holds every finding.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from cascade import trees
from cascade.coherence.graph import Index
from cascade.coherence.model import DEFAULT_SETTINGS, Finding, Settings, Snapshot


def weight(finding: Finding, settings: Settings = DEFAULT_SETTINGS) -> int:
    """What an open finding costs; an acknowledged one ("known, intentional") costs nothing."""
    return 0 if finding.acknowledged else dict(settings.weights).get(finding.severity, 0)


def formula(size: int, penalty: int) -> int:
    """The score for `size` live nodes (+1 for the scope) and a total `penalty`.

    >>> formula(0, 0), formula(9, 0), formula(9, 5), formula(99, 5), formula(0, 5)
    (100, 100, 66, 95, 16)
    """
    return math.floor(100 * (size + 1) / (size + 1 + penalty))


def formula_tenths(size: int, penalty: int) -> float:
    """The same score to one decimal, floored, for pages: acknowledging one finding in a
    large workspace visibly moves it even when the whole number stays put.

    >>> formula_tenths(9, 5), formula_tenths(99, 5), formula_tenths(99, 4), formula_tenths(0, 0)
    (66.6, 95.2, 96.1, 100.0)
    """
    return math.floor(1000 * (size + 1) / (size + 1 + penalty)) / 10


def subtree_keys(snap: Snapshot, root: str) -> list[str]:
    """`root` and every node below it through `parent`, in depth-first order, in O(n).

    >>> from cascade.coherence.model import Node
    >>> snap = Snapshot("w", nodes=(Node("a", "A", "u"), Node("b", "B", "u", parent="a"),
    ...                             Node("c", "C", "u")))
    >>> subtree_keys(snap, "a")
    ['a', 'b']
    """
    parent = {n.key: n.parent for n in snap.nodes}
    if root not in parent:
        return []
    kids = trees.children_of(parent)
    return trees.subtree(root, {key: sorted(found) for key, found in kids.items()})


def in_subtree(snap: Snapshot, findings: Iterable[Finding], root: str,
               index: Index | None = None) -> list[Finding]:
    """The findings a subtree holds: those naming any of its nodes, plus units-only
    findings naming a unit that owns a live node of it (the score's scope).

    >>> from cascade.coherence.model import Node, Unit
    >>> snap = Snapshot("w", units=(Unit("u", "U"),),
    ...                 nodes=(Node("a", "A", "u"), Node("b", "B", "u", parent="a")))
    >>> found = [Finding("X", "low", ("b",), (), "", ""), Finding("Y", "low", (), ("u",), "", ""),
    ...          Finding("Z", "low", ("c",), ("u",), "", "")]
    >>> [f.code for f in in_subtree(snap, found, "a")]
    ['X', 'Y']
    """
    index = index or Index(snap)
    keys = set(subtree_keys(snap, root))
    owners = {index.nodes[k].unit for k in keys & index.live}
    return [f for f in findings
            if (keys.intersection(f.nodes) if f.nodes else owners.intersection(f.units))]


def score(snap: Snapshot, findings: Iterable[Finding], settings: Settings = DEFAULT_SETTINGS,
          root: str | None = None, index: Index | None = None, *, tenths: bool = False):
    """The workspace score, or the score of the subtree under node `root` (`index`: the
    snapshot's Index when the caller has one); a whole number, or with `tenths` the same
    score to one decimal (`formula_tenths`), as pages show it."""
    index = index or Index(snap)
    shape = formula_tenths if tenths else formula
    if root is None:
        return shape(len(index.live), sum(weight(f, settings) for f in findings))
    live = set(subtree_keys(snap, root)) & index.live
    penalty = sum(weight(f, settings) for f in in_subtree(snap, findings, root, index))
    return shape(len(live), penalty)

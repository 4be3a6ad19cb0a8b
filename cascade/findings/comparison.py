"""What changed between two days: findings, nodes, translations, scores and pulses.

Pure: it reads two analyses (today's, or a recorded day's, see `history.state_on`) and
lists the differences, so a coach can show a room what moved since the last session. The
pulses compared are the answers as the engine read them (`findings.snapshot`: released in
steps, each unit only from the threshold), so a comparison never shows one answer either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cascade.coherence import Analysis
from cascade.coherence.definitions import stale
from cascade.coherence.model import Finding
from cascade.coherence.score import score
from cascade.pulses.stats import Distribution, distribution

TOP_LEVELS = 2  # subtree scores for the roots and the nodes right below them


@dataclass(frozen=True)
class NodeChange:
    key: str
    title: str
    unit: str
    detail: str = ""


@dataclass(frozen=True)
class ScoreChange:
    key: str | None  # None: the whole workspace
    title: str
    before: int | None  # None: the subtree did not exist then
    after: int | None

    @property
    def shift(self) -> int | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class PulseShift:
    pulse: str
    text: str
    node: str | None
    unit: str
    before: Distribution
    after: Distribution


@dataclass
class Comparison:
    before: Analysis
    after: Analysis
    opened: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    acknowledged: list[Finding] = field(default_factory=list)
    withdrawn: list[Finding] = field(default_factory=list)  # acknowledged then, counts now
    added: list[NodeChange] = field(default_factory=list)
    revised: list[NodeChange] = field(default_factory=list)
    retired: list[NodeChange] = field(default_factory=list)
    gone_stale: list[NodeChange] = field(default_factory=list)
    reconfirmed: list[NodeChange] = field(default_factory=list)
    scores: list[ScoreChange] = field(default_factory=list)
    pulses: list[PulseShift] = field(default_factory=list)

    @property
    def changed_nodes(self) -> set[str]:
        """Nodes the graph outlines as changed: added, revised, retired, stale or confirmed."""
        return {c.key for group in (self.added, self.revised, self.retired, self.gone_stale,
                                    self.reconfirmed) for c in group}

    @property
    def empty(self) -> bool:
        return not (self.opened or self.resolved or self.acknowledged or self.withdrawn
                    or self.changed_nodes
                    or any(s.shift for s in self.scores) or self.pulses)


def compare(before: Analysis, after: Analysis) -> Comparison:
    """Everything that differs from `before` to `after`, each list in a stable order."""
    result = Comparison(before, after)
    then = {f.fingerprint: f for f in before.findings}
    now = {f.fingerprint: f for f in after.findings}
    result.opened = [f for k, f in now.items() if k not in then]
    result.resolved = [f for k, f in then.items() if k not in now]
    result.acknowledged = [f for k, f in now.items()
                           if f.acknowledged and not (k in then and then[k].acknowledged)]
    result.withdrawn = [f for k, f in now.items()
                        if not f.acknowledged and k in then and then[k].acknowledged]
    _nodes(result)
    result.scores = _scores(before, after)
    result.pulses = _pulses(before, after)
    return result


def _nodes(result: Comparison) -> None:
    old, new = result.before.index, result.after.index
    for key in sorted(new.nodes):
        node, was = new.nodes[key], old.nodes.get(key)
        change = NodeChange(key, node.title, new.unit_name(node.unit))
        if was is None:
            result.added.append(change)
            continue
        if node.status == "retired" and was.status != "retired":
            result.retired.append(change)
        elif node.revision > was.revision:
            result.revised.append(NodeChange(key, node.title, change.unit,
                                             f"revision {was.revision} → {node.revision}"))
        stale_then, stale_now = _stale(old, was), _stale(new, node)
        if stale_now and not stale_then:
            result.gone_stale.append(change)
        elif stale_then and not stale_now and key in new.live:
            result.reconfirmed.append(change)


def _stale(index, node) -> bool:
    parent = index.nodes.get(node.parent) if node.parent else None
    return parent is not None and stale(
        node.parent_revision_seen, parent.revision, node_live=node.key in index.live,
        parent_live=parent.key in index.live)


def _tops(analysis: Analysis) -> list[str]:
    nodes = analysis.index.nodes
    roots = [k for k, n in nodes.items() if n.parent is None and k in analysis.index.live]
    below = [k for k, n in nodes.items() if n.parent in roots and k in analysis.index.live]
    return sorted(roots) + sorted(below) if TOP_LEVELS > 1 else sorted(roots)


def _scores(before: Analysis, after: Analysis) -> list[ScoreChange]:
    changes = [ScoreChange(None, "The whole workspace", before.score, after.score)]
    keys = list(dict.fromkeys(_tops(before) + _tops(after)))
    for key in keys:
        title = (after.index.nodes.get(key) or before.index.nodes[key]).title
        changes.append(ScoreChange(key, title, _subtree_score(before, key),
                                   _subtree_score(after, key)))
    return changes


def _subtree_score(analysis: Analysis, key: str) -> int | None:
    if key not in analysis.index.live:
        return None
    return score(analysis.snapshot, analysis.findings, analysis.settings, root=key,
                 index=analysis.index)


def _pulses(before: Analysis, after: Analysis) -> list[PulseShift]:
    def groups(a: Analysis) -> dict[tuple, Distribution]:
        found: dict[tuple, list[int]] = {}
        for s in a.snapshot.statements:
            for answer in s.answers:
                found.setdefault((s.pulse, s.text, s.node, answer.unit), []).append(answer.value)
        return {k: distribution(v) for k, v in found.items()}

    then, now = groups(before), groups(after)
    empty = distribution(())
    names = {**{k: u.name for k, u in before.index.units.items()},
             **{k: u.name for k, u in after.index.units.items()}}
    return [PulseShift(pulse, text, node, names.get(unit, unit), then.get(key, empty),
                       now.get(key, empty))
            for key in sorted(set(then) | set(now), key=lambda k: tuple(str(p) for p in k))
            for pulse, text, node, unit in [key]
            if then.get(key, empty) != now.get(key, empty)]

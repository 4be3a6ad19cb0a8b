"""What a session is about: a subtree, a unit (and the units below it) or the whole
workspace, and the findings, units and nodes that fall in it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from cascade import trees
from cascade.coherence import Analysis, in_subtree, score
from cascade.coherence.model import Finding
from cascade.coherence.score import subtree_keys
from cascade.findings.comparison import Comparison
from cascade.graph import GraphOptions


@dataclass(frozen=True)
class Scope:
    node: str | None = None  # a subtree's root key
    unit: str | None = None  # a unit's key

    def label(self, analysis: Analysis) -> str:
        index = analysis.index
        if self.node and self.node in index.nodes:
            return f"“{index.nodes[self.node].title}” and below"
        if self.unit and self.unit in index.units:
            return f"{index.units[self.unit].name} and its teams"
        return "The whole workspace"

    def graph_options(self, budget: int) -> GraphOptions:
        return GraphOptions(root=self.node, unit=None if self.node else self.unit, budget=budget)

    def units(self, analysis: Analysis) -> set[str]:
        """The active units in scope: the unit and those below it; a subtree's owners."""
        index = analysis.index
        if self.node:
            return {index.nodes[k].unit for k in self.nodes(analysis) if k in index.nodes}
        if self.unit:
            return {u for u in index.active_units
                    if u == self.unit or trees.below(u, self.unit, index.unit_parent)}
        return set(index.active_units)

    def nodes(self, analysis: Analysis) -> set[str]:
        if self.node:
            return set(subtree_keys(analysis.snapshot, self.node))
        units = self.units(analysis)
        return {k for k, n in analysis.index.nodes.items() if n.unit in units}

    def findings(self, analysis: Analysis) -> list[Finding]:
        """The analysis's findings in scope, in the engine's order."""
        if self.node:
            return in_subtree(analysis.snapshot, analysis.findings, self.node, analysis.index)
        if self.unit:
            units = self.units(analysis)
            return [f for f in analysis.findings if units.intersection(f.units)]
        return list(analysis.findings)

    def score(self, analysis: Analysis) -> int:
        return score(analysis.snapshot, analysis.findings, analysis.settings, root=self.node,
                     index=analysis.index) if self.node else analysis.score

    def narrow(self, diff: Comparison) -> Comparison:
        """The changes that concern this scope: findings in it on either day, its nodes,
        the scores of its subtrees, its units' pulse shifts. The whole workspace keeps all."""
        if not (self.node or self.unit):
            return diff
        before, after = diff.before, diff.after
        nodes = self.nodes(before) | self.nodes(after)
        names = {after.index.units[u].name for u in self.units(after) if u in after.index.units}
        then = {f.fingerprint for f in self.findings(before)}
        now = {f.fingerprint for f in self.findings(after)}

        def keep(items):
            return [c for c in items if c.key in nodes]
        return dataclasses.replace(
            diff, opened=[f for f in diff.opened if f.fingerprint in now],
            resolved=[f for f in diff.resolved if f.fingerprint in then],
            acknowledged=[f for f in diff.acknowledged if f.fingerprint in now],
            withdrawn=[f for f in diff.withdrawn if f.fingerprint in now],
            added=keep(diff.added), revised=keep(diff.revised), retired=keep(diff.retired),
            gone_stale=keep(diff.gone_stale), reconfirmed=keep(diff.reconfirmed),
            scores=[s for s in diff.scores if s.key is None or s.key in nodes],
            pulses=[p for p in diff.pulses if p.unit in names])

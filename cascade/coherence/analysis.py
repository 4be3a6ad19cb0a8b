"""One analysis: every rule run once over a snapshot as of a date, with its score.

The index the rules read is built here from the same date, so a caller cannot pair findings
with lookups made for another day; pages and drawings reuse what it holds.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

from cascade.coherence.graph import Index
from cascade.coherence.model import DEFAULT_SETTINGS, SEVERITIES, Finding, Settings, Snapshot
from cascade.coherence.rules import RULES
from cascade.coherence.score import score


def sort_key(found: Finding) -> tuple:
    """Severity (high first), then code, nodes, units, and words as a last tie-break."""
    return (SEVERITIES.index(found.severity), found.code, found.nodes, found.units,
            found.message, found.suggestion)


def run_rules(snapshot: Snapshot, index: Index, settings: Settings) -> list[Finding]:
    """Every rule's findings, acknowledged ones marked, in `sort_key` order."""
    found = [f for rule in RULES for f in rule(snapshot, index, settings)]
    found = [dataclasses.replace(f, acknowledged=f.fingerprint in snapshot.acknowledged)
             for f in found]
    return sorted(found, key=sort_key)


@dataclass
class Analysis:
    """What the engine concludes about one snapshot as of one date."""

    snapshot: Snapshot
    as_of: date
    settings: Settings
    index: Index  # the rules' lookups over the snapshot, for drawings to reuse
    findings: list[Finding]
    score: int
    by_node: dict[str, list[Finding]] = field(default_factory=dict)
    by_unit: dict[str, list[Finding]] = field(default_factory=dict)
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    """What other modules work out from this analysis once and keep with it (the graph's
    tree), so every view of one workspace version shares it."""

    @classmethod
    def of(cls, snapshot: Snapshot, as_of: date,
           settings: Settings = DEFAULT_SETTINGS) -> Analysis:
        """Analyse `snapshot` as of the end of `as_of` (UTC).

        >>> from cascade.coherence.model import Node, Unit
        >>> snap = Snapshot("w", units=(Unit("a", "A"), Unit("t", "T", "a")),
        ...                 nodes=(Node("x", "X", "t"),))
        >>> done = Analysis.of(snap, date(2026, 11, 1))
        >>> [f.code for f in done.findings], done.score, list(done.by_node)
        (['UNALIGNED'], 28, ['x'])
        """
        index = Index(snapshot, as_of)
        found = run_rules(snapshot, index, settings)
        result = cls(snapshot=snapshot, as_of=as_of, settings=settings, index=index,
                     findings=found, score=score(snapshot, found, settings, index=index))
        for finding in found:
            for key in finding.nodes:
                result.by_node.setdefault(key, []).append(finding)
            for key in finding.units:
                result.by_unit.setdefault(key, []).append(finding)
        return result

    @property
    def score_tenths(self) -> float:
        """The workspace score to one decimal, as pages show it (`score.formula_tenths`);
        worked out once per analysis (a pass over every node: 30 ms at 20,000)."""
        found = self.derived.get("score_tenths")
        if found is None:
            found = self.derived["score_tenths"] = score(
                self.snapshot, self.findings, self.settings, index=self.index, tenths=True)
        return found

    @property
    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if not f.acknowledged]

    def report(self) -> dict:
        """The findings JSON of the product brief: workspace, as_of, score and findings."""
        return {"workspace": self.snapshot.workspace, "as_of": self.as_of.isoformat(),
                "score": self.score, "findings": [f.as_dict() for f in self.findings]}

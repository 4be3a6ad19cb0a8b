"""The coherence engine applied to a stored workspace: findings, score and per-node lookups.

Views and commands call `analyse_workspace` once per request and read what they need from
the result; the engine itself stays pure (see `cascade.coherence`). The graph's views, which
come in bursts (each filter, each expanded group), share one analysis per workspace
version through `kept_analysis`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask import current_app

from cascade import coherence
from cascade.allocation import paused_gc
from cascade.coherence.graph import Index
from cascade.coherence.model import Finding, Settings, Snapshot
from cascade.findings.snapshot import load_snapshot
from cascade.models import Workspace
from cascade.recent import Recent


@dataclass
class Analysis:
    snapshot: Snapshot
    as_of: date
    settings: Settings
    findings: list[Finding]
    score: int
    index: Index  # the engine's lookups over the snapshot, for drawings to reuse
    by_node: dict[str, list[Finding]] = field(default_factory=dict)
    by_unit: dict[str, list[Finding]] = field(default_factory=dict)
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    """What other modules work out from this analysis once and keep with it (the graph's
    tree), so every view of one workspace version shares it."""

    @property
    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if not f.acknowledged]

    def report(self) -> dict:
        """The findings JSON of the product brief."""
        return {"workspace": self.snapshot.workspace, "as_of": self.as_of.isoformat(),
                "score": self.score, "findings": [f.as_dict() for f in self.findings]}


def settings_for(ws: Workspace) -> Settings:
    """Thresholds: the product defaults, then app config, then the workspace's own settings."""
    config = current_app.config
    values = {"feedback_days": config["FEEDBACK_DAYS"],
              "pulse_min_answers": config["PULSE_MIN_ANSWERS"]}
    known = set(Settings.__dataclass_fields__) - {"weights"}
    values.update({k: v for k, v in (ws.settings or {}).items() if k in known})
    return Settings(**values)


def analyse_workspace(ws: Workspace, as_of: date | None = None,
                      snapshot: Snapshot | None = None) -> Analysis:
    """Analyse the workspace as of `as_of` (default: today, UTC), loading its snapshot
    unless the caller already built one from rows it holds."""
    as_of = as_of or datetime.now(UTC).date()
    settings = settings_for(ws)
    with paused_gc():
        snapshot = snapshot or load_snapshot(ws)
        index = coherence.Index(snapshot, as_of)
        found = coherence.analyse(snapshot, as_of, settings, index)
        score = coherence.score(snapshot, found, settings, index=index)
    result = Analysis(snapshot=snapshot, as_of=as_of, settings=settings, findings=found,
                      score=score, index=index)
    for finding in found:
        for key in finding.nodes:
            result.by_node.setdefault(key, []).append(finding)
        for key in finding.units:
            result.by_unit.setdefault(key, []).append(finding)
    return result


def kept_analysis(ws: Workspace, as_of: date, stamp: Sequence[str]) -> Analysis:
    """The workspace's analysis as of `as_of`, kept in this process for as long as the
    content stamp (`cascade.graph.cache.content_stamp`, which changes with any edit) stays
    the same: a 20,000-node workspace takes a quarter of a second to load and analyse, and
    each new graph view of it would otherwise pay that again. `ANALYSES_KEPT` bounds the
    memory (0 keeps none)."""
    size = int(current_app.config.get("ANALYSES_KEPT", 2))
    kept = current_app.extensions.get("cascade_analyses")
    if kept is None or kept.size != size:
        kept = current_app.extensions["cascade_analyses"] = Recent[Analysis](size)
    key = (ws.id, tuple(stamp), as_of, settings_for(ws))
    found = kept.get(key)
    if found is None:
        found = analyse_workspace(ws, as_of)
        if size > 0:
            kept.put(key, found)
    return found

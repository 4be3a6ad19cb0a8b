"""The coherence engine applied to a stored workspace: findings, score and per-node lookups.

Views and commands call `analyse_workspace` once per request and read what they need from
the result; the engine itself stays pure (see `cascade.coherence`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask import current_app

from cascade import coherence
from cascade.allocation import paused_gc
from cascade.coherence.graph import Index
from cascade.coherence.model import Finding, Settings, Snapshot
from cascade.models import Workspace
from cascade.snapshot import load_snapshot


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

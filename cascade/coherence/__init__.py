"""Cascade's coherence engine: a pure function from a Snapshot to findings and a score.

It imports only the standard library and networkx (no Flask, no database), never reads
the clock, and takes `as_of` as a parameter, so the same snapshot and date always give
the same findings in the same order.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from cascade.coherence.graph import Index, strategy_graph
from cascade.coherence.model import DEFAULT_SETTINGS, SEVERITIES, Finding, Settings, Snapshot
from cascade.coherence.rules import RULES
from cascade.coherence.score import (
    formula,
    in_subtree,
    score,
    scores_by_node,
    subtree_keys,
    weight,
)

__all__ = ["RULES", "Index", "analyse", "formula", "in_subtree", "report", "score",
           "scores_by_node", "sort_key", "strategy_graph", "subtree_keys", "weight"]


def sort_key(found: Finding) -> tuple:
    """Severity (high first), then code, nodes, units, and words as a last tie-break."""
    return (SEVERITIES.index(found.severity), found.code, found.nodes, found.units,
            found.message, found.suggestion)


def analyse(snapshot: Snapshot, as_of: date, settings: Settings = DEFAULT_SETTINGS,
            index: Index | None = None) -> list[Finding]:
    """Every rule's findings as of the end of `as_of` (UTC), acknowledged ones marked.
    `index`: the snapshot's `Index(snapshot, as_of)`, when the caller keeps it for later."""
    index = index or Index(snapshot, as_of)
    found = [f for rule in RULES for f in rule(snapshot, index, settings)]
    found = [dataclasses.replace(f, acknowledged=f.fingerprint in snapshot.acknowledged)
             for f in found]
    return sorted(found, key=sort_key)


def report(snapshot: Snapshot, as_of: date, settings: Settings = DEFAULT_SETTINGS) -> dict:
    """The findings JSON of the product brief: workspace, as_of, score and findings."""
    found = analyse(snapshot, as_of, settings)
    return {"workspace": snapshot.workspace, "as_of": as_of.isoformat(),
            "score": score(snapshot, found, settings),
            "findings": [f.as_dict() for f in found]}

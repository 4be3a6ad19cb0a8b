"""Cascade's coherence engine: a pure function from a Snapshot to findings and a score.

It imports only the standard library, networkx and Cascade's own stdlib-only vocabulary,
keys and tree walks (no Flask, no database), never reads the clock, and takes `as_of` as a
parameter, so the same snapshot and date always give the same findings in the same order.
"""

from __future__ import annotations

from datetime import date

from cascade.coherence.analysis import Analysis, run_rules, sort_key
from cascade.coherence.graph import Index
from cascade.coherence.model import DEFAULT_SETTINGS, Finding, Settings, Snapshot
from cascade.coherence.rules import RULES
from cascade.coherence.score import formula, in_subtree, score, subtree_keys, weight

__all__ = ["RULES", "Analysis", "Index", "analyse", "formula", "in_subtree", "run_rules",
           "score", "sort_key", "subtree_keys", "weight"]


def analyse(snapshot: Snapshot, as_of: date,
            settings: Settings = DEFAULT_SETTINGS) -> list[Finding]:
    """Every rule's findings as of the end of `as_of` (UTC), acknowledged ones marked."""
    return run_rules(snapshot, Index(snapshot, as_of), settings)

"""Plain, frozen data the coherence engine reads and returns.

The engine never sees the database: `cascade.snapshot` turns a workspace's rows into a
`Snapshot`, so rules stay pure, testable without an app, and reproducible as of a date.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from cascade.vocabulary import (  # noqa: F401  (the engine's vocabulary, re-exported)
    NODE_STATUSES,
    NOTE_KINDS,
    NOTE_STATUSES,
    SEVERITIES,
    STANCES,
)

NOTE_STANCES = STANCES


@dataclass(frozen=True)
class Unit:
    key: str
    name: str
    parent: str | None = None
    archived: bool = False


@dataclass(frozen=True)
class Node:
    key: str
    title: str
    unit: str
    parent: str | None = None
    status: str = "draft"
    revision: int = 1
    parent_revision_seen: int | None = None
    depends_on: tuple[str, ...] = ()
    contributes_to: tuple[str, ...] = ()
    agreed_at: datetime | None = None  # when last marked agreed; None: long ago (unknown)


@dataclass(frozen=True)
class Note:
    id: str
    node: str
    kind: str
    stance: str
    unit: str | None
    status: str
    created_at: datetime
    response: str | None = None


@dataclass(frozen=True)
class Answer:
    unit: str
    value: int


@dataclass(frozen=True)
class Statement:
    """One pulse statement with its answers; `node` is the node it asks about."""

    pulse: str
    text: str
    node: str | None
    answers: tuple[Answer, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    workspace: str
    units: tuple[Unit, ...] = ()
    nodes: tuple[Node, ...] = ()
    notes: tuple[Note, ...] = ()
    statements: tuple[Statement, ...] = ()
    acknowledged: frozenset[str] = frozenset()  # fingerprints of acknowledged findings


@dataclass(frozen=True)
class Settings:
    """Rule thresholds; the defaults are the product brief's."""

    feedback_days: int = 14
    translation_grace_days: int = 14  # UNCOVERED and ONE_WAY wait this long after agreement
    overload_leaves: int = 7
    pulse_min_answers: int = 3
    low_understanding_median: float = 2
    weights: tuple[tuple[str, int], ...] = (("high", 5), ("medium", 3), ("low", 1))


DEFAULT_SETTINGS = Settings()  # frozen, so safe to share as a default argument


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    nodes: tuple[str, ...]
    units: tuple[str, ...]
    message: str
    suggestion: str
    acknowledged: bool = field(default=False, compare=False)

    @property
    def fingerprint(self) -> str:
        """Stable identity across runs, so an acknowledgement sticks to the same gap."""
        raw = "|".join((self.code, ",".join(self.nodes), ",".join(self.units)))
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "nodes": list(self.nodes),
                "units": list(self.units), "message": self.message,
                "suggestion": self.suggestion, "acknowledged": self.acknowledged}

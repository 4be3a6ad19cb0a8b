"""Plain, frozen data the coherence engine reads and returns.

The engine never sees the database: `cascade.snapshot` turns a workspace's rows into a
`Snapshot`, so rules stay pure, testable without an app, and reproducible as of a date.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

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
    horizon: str | None = None


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
class CheckIn:
    """One reported value of a measure; `unit` is the author's unit."""

    value: float
    created_at: datetime
    confidence: int | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Measure:
    """How a node's progress is seen. `start`/`due` left out fall back to the node's
    horizon (`coherence.measures.span`); `check_ins` in any order."""

    key: str
    node: str
    name: str
    direction: str = "increase"
    baseline: float | None = None
    target: float | None = None
    band_low: float | None = None
    band_high: float | None = None
    start: date | None = None
    due: date | None = None
    cadence_days: int = 30
    status: str = "live"
    check_ins: tuple[CheckIn, ...] = ()


@dataclass(frozen=True)
class Dependency:
    """The agreement on one `depends_on` link (`node` depends on `on`). A link listed in
    `Node.depends_on` without a Dependency is `committed`; `created_at` None: long ago."""

    node: str
    on: str
    state: str = "committed"
    created_at: datetime | None = None
    needed_by: str | None = None


@dataclass(frozen=True)
class Snapshot:
    workspace: str
    units: tuple[Unit, ...] = ()
    nodes: tuple[Node, ...] = ()
    notes: tuple[Note, ...] = ()
    statements: tuple[Statement, ...] = ()
    measures: tuple[Measure, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    acknowledged: frozenset[str] = frozenset()  # fingerprints of acknowledged findings


@dataclass(frozen=True)
class Settings:
    """Rule thresholds; the defaults are the product brief's."""

    feedback_days: int = 14
    translation_grace_days: int = 14  # UNCOVERED and ONE_WAY wait this long after agreement
    overload_leaves: int = 7
    pulse_min_answers: int = 3
    low_understanding_median: float = 2
    pace_tolerance: float = 0.25
    measure_grace_days: int = 7
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
    detail: str = ""  # tells apart findings with the same names: a measure's key

    @property
    def fingerprint(self) -> str:
        """Stable identity across runs, so an acknowledgement sticks to the same gap."""
        raw = "|".join((self.code, ",".join(self.nodes), ",".join(self.units)))
        if self.detail:
            raw += f"|{self.detail}"
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "nodes": list(self.nodes),
                "units": list(self.units), "message": self.message,
                "suggestion": self.suggestion, "acknowledged": self.acknowledged}

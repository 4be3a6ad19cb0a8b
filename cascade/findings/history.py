"""The score history: one record per day of the score and the open findings per code."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from cascade.coherence.model import Finding
from cascade.db import db
from cascade.findings.listing import CODES
from cascade.models import ScoreRecord, Workspace


def open_counts(findings: list[Finding]) -> dict[str, int]:
    """Open (unacknowledged) findings per code, every code present so trends line up."""
    counts = dict.fromkeys(CODES, 0)
    for found in findings:
        if not found.acknowledged:
            counts[found.code] = counts.get(found.code, 0) + 1
    return counts


def score_history(ws: Workspace) -> list[ScoreRecord]:
    """The workspace's score records, oldest first."""
    return list(db.session.scalars(sa.select(ScoreRecord).where(
        ScoreRecord.workspace_id == ws.id).order_by(ScoreRecord.as_of, ScoreRecord.id)))


def month_ago(history: list[ScoreRecord], today: date) -> ScoreRecord | None:
    """The snapshot closest to 30 days before `today`, taken 21 to 45 days before it:
    "about a month ago", or nothing when no snapshot is that old and that recent."""
    window = [s for s in history if timedelta(days=21) <= today - s.as_of <= timedelta(days=45)]
    target = today - timedelta(days=30)
    return min(window, key=lambda s: (abs((s.as_of - target).days), -s.id), default=None)

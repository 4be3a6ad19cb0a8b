"""The score history: one record per day of the score, the open findings per code and the
workspace as the engine read it, so any recorded day can be shown again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from flask import current_app

from cascade.coherence import Analysis
from cascade.coherence.model import Finding
from cascade.db import db
from cascade.findings.analysis import analysis_of
from cascade.findings.archive import unpack_day
from cascade.findings.listing import CODES, acknowledgements
from cascade.models import Person, ScoreRecord, Workspace
from cascade.recent import Recent


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


class NoRecord(ValueError):
    """A day with no recorded snapshot of the workspace: it cannot be shown exactly."""


def recorded_days(ws: Workspace) -> list[date]:
    """The days that can be shown again exactly (a record with its snapshot), newest first."""
    return list(db.session.scalars(
        sa.select(ScoreRecord.as_of).distinct()
        .where(ScoreRecord.workspace_id == ws.id, ScoreRecord.snapshot.is_not(None))
        .order_by(ScoreRecord.as_of.desc())))


def previous_day(days: list[date], day: date) -> date | None:
    """The latest recorded day before `day` (`days` newest first): "since last time"."""
    return next((d for d in days if d < day), None)


def state_on(ws: Workspace, day: date, today: date) -> Analysis:
    """The workspace's analysis as it was on `day`: today's from the kept analysis (off the
    request path when nothing changed), an earlier day's from its score record, analysed
    once per process and kept; `NoRecord` when that day was never recorded."""
    if day >= today:
        return analysis_of(ws, today)
    record_id, data = db.session.execute(
        sa.select(ScoreRecord.id, ScoreRecord.snapshot)
        .where(ScoreRecord.workspace_id == ws.id, ScoreRecord.as_of == day,
               ScoreRecord.snapshot.is_not(None))
        .order_by(ScoreRecord.id.desc()).limit(1)).first() or (None, None)
    if data is None:
        raise NoRecord(f"No snapshot was recorded on {day.isoformat()}.")
    kept: Recent[Analysis] = current_app.extensions["cascade_analyses"]
    key = ("record", ws.id, record_id, day)
    found = kept.get(key)
    if found is None:
        snapshot, settings, acks = unpack_day(data)
        found = Analysis.of(snapshot, day, settings)
        found.derived[_RECORDED_ACKS] = acks
        if kept.size > 0:
            kept.put(key, found)
    return found


_RECORDED_ACKS = "recorded acknowledgements"


@dataclass(frozen=True)
class DayAcknowledgement:
    """An acknowledgement as a recorded day kept it, shown like today's rows."""

    fingerprint: str
    code: str
    comment: str
    created_at: datetime
    person: Person | None


def acknowledgements_on(ws: Workspace, analysis: Analysis) -> dict[str, object]:
    """The acknowledgements behind `analysis`, by fingerprint: for a recorded day, the ones
    its record kept (so they agree with that day's score: acknowledged by then, not yet
    withdrawn), with their authors read in one query; for today, the current ones."""
    kept = analysis.derived.get(_RECORDED_ACKS)
    if kept is None:
        return acknowledgements(ws)
    ids = {a.person_id for a in kept if a.person_id is not None}
    people = {p.id: p for p in db.session.scalars(
        sa.select(Person).where(Person.id.in_(ids)))} if ids else {}
    return {a.fingerprint: DayAcknowledgement(a.fingerprint, a.code, a.comment, a.created_at,
                                              people.get(a.person_id))
            for a in kept}


def with_live(records: list, analysis) -> list:
    """The score history with today's live score and open findings as its last point (in
    place of a snapshot taken today), so the trend ends where the page's figures are; no
    trend at all before the first snapshot."""
    if not records:
        return []
    live = SimpleNamespace(as_of=analysis.as_of, score=analysis.score,
                           counts=open_counts(analysis.findings))
    return [r for r in records if r.as_of < analysis.as_of] + [live]

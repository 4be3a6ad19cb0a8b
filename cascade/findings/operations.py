"""What coaches do with the engine's findings: acknowledge them ("known, intentional"),
withdraw an acknowledgement, and record the score for its history. Flush, never commit.

Acknowledgements are kept by fingerprint, so one sticks to the same gap across runs (and
comes back into force if the gap closes and reopens); withdrawing one deletes it. A day's
acknowledgements stay in that day's score record (`archive`), which is what a past day
shows; the audit log keeps every change.
"""

from __future__ import annotations

import sqlalchemy as sa

from cascade import audit
from cascade.coherence import Analysis
from cascade.coherence.model import Finding
from cascade.db import db
from cascade.findings.archive import Acknowledged, pack
from cascade.findings.history import open_counts
from cascade.findings.listing import UnknownFinding
from cascade.models import Acknowledgement, Person, ScoreRecord, Workspace
from cascade.notifications.events import emit
from cascade.vocabulary import EventKind


def acknowledge(ws: Workspace, found: Finding, comment: str, *,
                by: Person | None) -> Acknowledgement:
    """Mark a finding "known, intentional" with the coach's comment; a second
    acknowledgement of the same gap replaces the comment. Flushes, never commits."""
    ack = db.session.scalar(sa.select(Acknowledgement).where(
        Acknowledgement.workspace_id == ws.id, Acknowledgement.fingerprint == found.fingerprint))
    before = {"comment": ack.comment} if ack is not None else None
    person_id = by.id if by is not None else None  # read first: an expired `by` loads now
    if ack is None:
        ack = Acknowledgement(workspace_id=ws.id, fingerprint=found.fingerprint, code=found.code,
                              comment=comment.strip(), person_id=person_id)
        db.session.add(ack)
    ack.comment, ack.person_id = comment.strip(), person_id
    audit.record(by, ws.id, "finding.acknowledge", "finding", found.fingerprint, before=before,
                 after={"code": found.code, "nodes": list(found.nodes),
                        "units": list(found.units), "comment": ack.comment})
    emit(EventKind.FINDING_ACKNOWLEDGED, by, ws.id, code=found.code,
         fingerprint=found.fingerprint, nodes=list(found.nodes), units=list(found.units),
         message=found.message)
    db.session.flush()
    return ack


def withdraw(ws: Workspace, fingerprint: str, *, by: Person | None) -> Acknowledgement:
    """Remove an acknowledgement, so the finding counts against the score again."""
    ack = db.session.scalar(sa.select(Acknowledgement).where(
        Acknowledgement.workspace_id == ws.id, Acknowledgement.fingerprint == fingerprint))
    if ack is None:
        raise UnknownFinding(fingerprint)
    audit.record(by, ws.id, "finding.withdraw", "finding", fingerprint,
                 before={"code": ack.code, "comment": ack.comment})
    db.session.delete(ack)
    db.session.flush()
    return ack


def record_score(ws: Workspace, analysis: Analysis, *, by: Person | None) -> ScoreRecord:
    """Record the score and open findings per code as of the analysis date; a second
    snapshot on the same date replaces the first, so the trend has one point per day."""
    snap = db.session.scalar(sa.select(ScoreRecord).where(
        ScoreRecord.workspace_id == ws.id, ScoreRecord.as_of == analysis.as_of))
    if snap is None:
        snap = ScoreRecord(workspace_id=ws.id, as_of=analysis.as_of)
        db.session.add(snap)
    snap.score, snap.counts = analysis.score, open_counts(analysis.findings)
    snap.snapshot = pack(analysis.snapshot, analysis.settings, _acknowledged(ws))
    snap.taken_by_id = by.id if by is not None else None
    audit.record(by, ws.id, "snapshot.take", "snapshot", analysis.as_of.isoformat(),
                 after={"score": snap.score, "open": sum(snap.counts.values())})
    emit(EventKind.SCORE_SNAPSHOT, by, ws.id, score=snap.score,
         as_of=analysis.as_of.isoformat(), open=sum(snap.counts.values()))
    db.session.flush()
    return snap


def _acknowledged(ws: Workspace) -> list[Acknowledged]:
    """The workspace's acknowledgements as a record keeps them, in one query."""
    t = Acknowledgement.__table__
    return [Acknowledged(*row) for row in db.session.execute(
        sa.select(t.c.fingerprint, t.c.code, t.c.comment, t.c.person_id, t.c.created_at)
        .where(t.c.workspace_id == ws.id))]

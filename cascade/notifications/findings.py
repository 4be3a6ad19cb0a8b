"""Findings opened and resolved, found by comparing today's analysis of a workspace with
the findings open at the last comparison: one event each, for coaches and the leaders of
the units named. The first comparison of a workspace only takes note (no flood of
"opened" for what was always there)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from cascade.db import db
from cascade.findings.analysis import analysis_of
from cascade.models import KnownFinding, Unit, Workspace
from cascade.notifications.events import emit
from cascade.vocabulary import EventKind

SEEN = "*"


def compare(ws: Workspace, now: datetime) -> tuple[int, int]:
    """Emit `finding.opened` / `finding.resolved` since the last comparison and remember
    what is open now; returns (opened, resolved). Flushes; the caller commits."""
    open_now = {f.fingerprint: f for f in analysis_of(ws, now.date()).findings}
    known = {k.fingerprint: k for k in db.session.scalars(
        sa.select(KnownFinding).where(KnownFinding.workspace_id == ws.id))}
    first = SEEN not in known
    known.pop(SEEN, None)
    units = dict(db.session.execute(sa.select(Unit.key, Unit.id).where(
        Unit.workspace_id == ws.id)).all())
    opened = [f for fp, f in open_now.items() if fp not in known]
    resolved = [k for fp, k in known.items() if fp not in open_now]
    for found in opened:
        db.session.add(KnownFinding(workspace_id=ws.id, fingerprint=found.fingerprint,
                                    code=found.code, nodes=list(found.nodes),
                                    units=list(found.units), seen_at=now))
        if not first:
            _emit(EventKind.FINDING_OPENED, ws, units, found.code, found.fingerprint,
                  list(found.nodes), list(found.units), message=found.message,
                  severity=found.severity)
    for gone in resolved:
        _emit(EventKind.FINDING_RESOLVED, ws, units, gone.code, gone.fingerprint, gone.nodes,
              gone.units)
        db.session.delete(gone)
    if first:
        db.session.add(KnownFinding(workspace_id=ws.id, fingerprint=SEEN, code=SEEN,
                                    seen_at=now))
    db.session.flush()
    return (0 if first else len(opened)), len(resolved)


def _emit(kind, ws, units, code, fingerprint, nodes, unit_keys, **details) -> None:
    unit_id = next((units[k] for k in unit_keys if k in units), None)
    emit(kind, None, ws.id, unit=db.session.get(Unit, unit_id) if unit_id else None,
         code=code, fingerprint=fingerprint, nodes=nodes, units=unit_keys, **details)

"""Session use cases: set one up, reveal its pulse, capture what the room decides, end it.

Each takes loaded objects, clean data and who acts, enforces the rules, audits and flushes;
the view commits. Setting a session up records the day's score with the workspace as it is
(`findings.archive`), so the next session can show exactly what changed since this one.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa

from cascade import audit, keys
from cascade.db import db
from cascade.feedback.operations import leave_note
from cascade.findings import operations as findings_ops
from cascade.findings.analysis import analysis_of
from cascade.models import (
    FacilitatedSession,
    Node,
    Person,
    Pulse,
    SessionDecision,
    SessionStatus,
    SessionTemplate,
    Unit,
    Workspace,
)
from cascade.pulses import operations as pulse_ops
from cascade.pulses.reading import state
from cascade.refusals import Refusal
from cascade.sessions.scope import Scope

CODE_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud from a screen
CODE_LENGTH = 6


def create_session(ws: Workspace, *, by: Person | None, title: str, template: SessionTemplate,
                   node: Node | None, unit: Unit | None, fingerprints: Sequence[str],
                   pulse: Pulse | None, statement: str, anonymised: bool, step_minutes: int,
                   today: date) -> FacilitatedSession:
    """A session for a scope; `statement` asks the room a new question (a pulse open today,
    for the units in scope) instead of, or when there is no, chosen `pulse`."""
    title, statement = title.strip(), statement.strip()
    if not title:
        raise Refusal("title", "Give the session a title.")
    if template == SessionTemplate.CATCHBALL and node is None:
        raise Refusal("node", "Catchball is about one objective: choose it as the subtree.")
    if template == SessionTemplate.PULSE_DEBRIEF and pulse is None and not statement:
        raise Refusal("pulse", "A pulse debrief needs a pulse: choose one or ask a question.")
    analysis = analysis_of(ws, today)
    scope = Scope(node.key if node else None, unit.key if unit else None)
    if statement:
        pulse = _room_pulse(ws, by, title, node, scope.units(analysis), statement, today)
    session = FacilitatedSession(
        workspace_id=ws.id, key=_free_key(ws, title), code=_free_code(), title=title,
        template=template, scope_node_id=node.id if node else None,
        scope_unit_id=unit.id if unit else None, findings=list(dict.fromkeys(fingerprints)),
        pulse_id=pulse.id if pulse else None, anonymised=anonymised,
        step_minutes=step_minutes, created_by_id=by.id if by else None)
    db.session.add(session)
    db.session.flush()
    findings_ops.record_score(ws, analysis, by=by)
    audit.record(by, ws.id, "session.create", "session", session.key, after={
        "title": title, "template": str(template), "node": scope.node, "unit": scope.unit,
        "findings": session.findings, "pulse": pulse.key if pulse else None,
        "anonymised": anonymised, "step_minutes": step_minutes})
    return session


def _room_pulse(ws: Workspace, by: Person | None, title: str, node: Node | None,
                unit_keys: set[str], statement: str, today: date) -> Pulse:
    units = list(db.session.scalars(sa.select(Unit).where(
        Unit.workspace_id == ws.id, Unit.key.in_(unit_keys), Unit.archived.is_(False))))
    return pulse_ops.create_pulse(ws, by=by, title=f"{title}: in the room", node=node,
                                  texts=[statement], units=units, opens_on=today,
                                  closes_on=today)


def reveal(session: FacilitatedSession, *, by: Person | None, today: date,
           now: datetime) -> None:
    """Show the room's answers: the pulse closes, so every answer is shown at once (each
    unit still only from the threshold), and nobody answers after seeing them."""
    if session.pulse is None:
        raise Refusal("pulse", "This session has no pulse to reveal.")
    if session.revealed_at is not None:
        raise Refusal("pulse", "The answers are already revealed.")
    if state(session.pulse, today) != "closed":
        pulse_ops.close_pulse(session.pulse, today, by=by)
    session.revealed_at = now
    db.session.flush()
    audit.record(by, session.workspace_id, "session.reveal", "session", session.key,
                 after={"pulse": session.pulse.key})


def decide(session: FacilitatedSession, ws: Workspace, *, by: Person, text: str,
           node: Node | None = None, kind: str | None = None, stance: str | None = None,
           finding=None) -> SessionDecision:
    """Capture a decision on the spot: acknowledge a finding with these words, leave them as
    a note on a node, or keep them as they are; each is linked to the session."""
    text = text.strip()
    if not text:
        raise Refusal("text", "Write down what the room decided.")
    if session.status == SessionStatus.ENDED:
        raise Refusal("text", "This session has ended.")
    decision = SessionDecision(session=session, text=text, created_by_id=by.id)
    db.session.add(decision)
    if finding is not None:
        findings_ops.acknowledge(ws, finding, text, by=by)
        decision.fingerprint, decision.code = finding.fingerprint, finding.code
    elif node is not None:
        decision.note = leave_note(node, by, None, kind=kind or "coherence",
                                   stance=stance or "support", body=text)
    db.session.flush()
    audit.record(by, session.workspace_id, "session.decide", "session", session.key, after={
        "text": text, "finding": decision.fingerprint,
        "note": decision.note_id, "node": node.key if node else None})
    return decision


def end_session(session: FacilitatedSession, ws: Workspace, *, by: Person | None,
                now: datetime) -> None:
    """End it and record the day as the room left it (with what it decided), so that its
    report shows that state exactly however late it is printed."""
    if session.status == SessionStatus.ENDED:
        raise Refusal("session", "This session has already ended.")
    session.status, session.ended_at = SessionStatus.ENDED, now
    db.session.flush()
    findings_ops.record_score(ws, analysis_of(ws, now.date(), fresh=True), by=by)
    audit.record(by, session.workspace_id, "session.end", "session", session.key)


def _free_key(ws: Workspace, title: str) -> str:
    base = keys.slugify(title) or "session"
    taken = set(db.session.scalars(sa.select(FacilitatedSession.key).where(
        FacilitatedSession.workspace_id == ws.id, FacilitatedSession.key.like(f"{base}%"))))
    return keys.free_key(base, taken)


def _free_code() -> str:
    """A short, unguessable-enough code for the room's link (31^6 ≈ 900 million)."""
    while True:
        code = "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))
        if db.session.scalar(sa.select(FacilitatedSession.id).where(
                FacilitatedSession.code == code)) is None:
            return code

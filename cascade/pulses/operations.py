"""Pulse use cases: run one, answer it anonymously, close it.

Functions take loaded objects, clean data and who acts, enforce the rules, add to the session
and flush; the view commits. Nothing here records who gave which answer: `respondent` is a
keyed hash.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

import sqlalchemy as sa

from cascade import audit, keys
from cascade.db import db
from cascade.models import (
    Node,
    Person,
    Pulse,
    PulseAnswer,
    PulseStatement,
    PulseStatus,
    Role,
    Unit,
    Workspace,
)
from cascade.notifications.events import emit
from cascade.organisation.policy import Actor
from cascade.organisation.settings import pulse_min_answers
from cascade.pulses.reading import is_open, own_answers, respondent, state, top_level_priorities
from cascade.pulses.release import answer_changes, release_all, release_due
from cascade.refusals import Refusal
from cascade.vocabulary import EventKind

DEFAULT_STATEMENTS = (
    "I understand how this relates to my team's work",
    "I believe this is the right direction",
    "This is feasible for my team",
    "I know which teams we depend on for this",
)
MAX_STATEMENTS = 12


def create_pulse(ws: Workspace, *, by: Person | None, title: str, node: Node | None,
                 texts: Sequence[str], units: Sequence[Unit], opens_on: date,
                 closes_on: date) -> Pulse:
    """A pulse on one node, or on every top-level priority (one statement per text and
    priority, so each statement is about one node)."""
    texts = list(dict.fromkeys(t.strip() for t in texts if t.strip()))
    if not texts:
        raise Refusal("statements", "Give at least one statement.")
    if len(texts) > MAX_STATEMENTS:
        raise Refusal("statements", f"Keep it short: at most {MAX_STATEMENTS} statements.")
    if any(len(t) > 300 for t in texts):
        raise Refusal("statements", "Each statement must be at most 300 characters.")
    if not units:
        raise Refusal("units", "Choose at least one unit to ask.")
    if closes_on < opens_on:
        raise Refusal("closes_on", "The pulse must close on or after the day it opens.")
    subjects = [node] if node is not None else top_level_priorities(ws)
    if not subjects:
        raise Refusal("node", "This workspace has no top-level priorities yet.")
    pulse = Pulse(workspace_id=ws.id, key=_free_key(ws, title), title=title.strip(),
                  node=node, status=PulseStatus.OPEN, opens_on=opens_on, closes_on=closes_on,
                  units=list(units), created_by_id=by.id if by is not None else None)
    pulse.statements = [PulseStatement(position=i, text=text, node=subject)
                        for i, (subject, text) in enumerate(
                            (s, t) for s in subjects for t in texts)]
    db.session.add(pulse)
    db.session.flush()
    audit.record(by, ws.id, "pulse.create", "pulse", pulse.key, after={
        "title": pulse.title, "node": node.key if node else None,
        "units": [u.key for u in units], "statements": texts,
        "opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()})
    emit(EventKind.PULSE_OPENED, by, ws.id, node=node, pulse=pulse,
         units=[u.key for u in units], closes_on=closes_on.isoformat())
    return pulse


def close_pulse(pulse: Pulse, on: date, *, by: Person | None) -> None:
    """Close now: no more answers or changes; results stay."""
    if state(pulse, on) == "closed":
        raise Refusal("pulse", "This pulse is already closed.")
    before = {"status": str(pulse.status), "closes_on": _iso(pulse.closes_on)}
    pulse.status = PulseStatus.CLOSED
    pulse.closes_on = min(pulse.closes_on or on, on)
    if pulse.opens_on and pulse.opens_on > pulse.closes_on:
        pulse.opens_on = pulse.closes_on
    release_all(pulse)
    audit.record(by, pulse.workspace_id, "pulse.close", "pulse", pulse.key, before=before,
                 after={"status": "closed", "closes_on": _iso(pulse.closes_on)})
    emit(EventKind.PULSE_CLOSED, by, pulse.workspace_id, node=pulse.node, pulse=pulse,
         units=[u.key for u in pulse.units])


def answer_pulse(pulse: Pulse, person: Person, actor: Actor, unit: Unit,
                 answers: dict[int, tuple[int, str | None]], on: date) -> None:
    """Give or change one's answers; every statement needs a value from 1 to 5. The unit's
    results move only once enough of its answers have come in since they last moved."""
    if not is_open(pulse, on):
        raise Refusal("pulse", "This pulse is not open for answers.")
    if unit not in actor.answers_for(pulse):
        raise Refusal("unit", "You can answer only for a unit you belong to.")
    role = Role.LEADER if Role.LEADER in actor.roles.get(unit.id, set()) else Role.MEMBER
    mine = own_answers(pulse, person)
    if any(a.unit_id != unit.id for a in mine.values()):
        # Moving an answer to another unit would change both units' results by one answer.
        raise Refusal("unit", "Your answers stay with the unit you first answered for.")
    key = respondent(pulse.id, person.id)
    # Day only: the moment of an answer must not point at who gave it.
    day = datetime.combine(on, time(), tzinfo=UTC)
    for statement in pulse.statements:
        value, comment = answers.get(statement.id, (None, None))
        if value not in range(1, 6):
            raise Refusal(f"s{statement.id}", "Choose a value from 1 to 5.")
        comment = (comment or "").strip()[:2000] or None
        answer = mine.get(statement.id)
        if answer is None:
            answer = PulseAnswer(statement_id=statement.id, respondent=key, waiting=True)
            db.session.add(answer)
        elif answer_changes(answer, value, comment, role):
            answer.waiting = True
        answer.unit_id, answer.value, answer.role, answer.comment = unit.id, value, role, comment
        answer.answered_at = day
    db.session.flush()
    release_due(pulse, unit.id, pulse_min_answers(db.session.get(Workspace, pulse.workspace_id)))


def _free_key(ws: Workspace, title: str) -> str:
    base = keys.slugify(title) or "pulse"
    taken = set(db.session.scalars(sa.select(Pulse.key).where(
        Pulse.workspace_id == ws.id, Pulse.key.like(f"{base}%"))))
    return keys.free_key(base, taken)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None

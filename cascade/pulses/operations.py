"""Pulse use cases: run one, answer it anonymously, close it, and find the ones awaiting you.

Functions take loaded objects and clean data, enforce the rules, add to the session and flush;
the view commits. Nothing here records who gave which answer: `respondent` is a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased, selectinload

from cascade import audit
from cascade.db import db
from cascade.models import (
    Node,
    NodeStatus,
    Person,
    Pulse,
    PulseAnswer,
    PulseStatement,
    PulseStatus,
    Role,
    Unit,
    Workspace,
    pulse_unit,
)
from cascade.organisation.policy import Actor

DEFAULT_STATEMENTS = (
    "I understand how this relates to my team's work",
    "I believe this is the right direction",
    "This is feasible for my team",
    "I know which teams we depend on for this",
)
MAX_STATEMENTS = 12
RESERVED_KEYS = {"new", "panorama"}  # page names under /pulses/


class PulseError(ValueError):
    """A rule refused the change; `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def today() -> date:
    return datetime.now(UTC).date()


def min_answers() -> int:
    """The anonymity threshold: a unit's results appear only from this many answers on."""
    return max(1, int(current_app.config["PULSE_MIN_ANSWERS"]))


def top_level_priorities(ws: Workspace) -> list[Node]:
    """The organisation's priorities: non-retired children of the root node(s), i.e. nodes
    without a parent owned by a root unit (a unit without a parent)."""
    root = aliased(Node)
    root_unit = aliased(Unit)
    return list(db.session.scalars(
        sa.select(Node).join(root, Node.parent_id == root.id)
        .join(root_unit, root.unit_id == root_unit.id)
        .where(Node.workspace_id == ws.id, root.parent_id.is_(None),
               root_unit.parent_id.is_(None), Node.status != NodeStatus.RETIRED)
        .order_by(root.id, Node.id)))


def respondent(pulse_id: int, person_id: int) -> str:
    """A keyed hash: the person can find their answers again, the database alone cannot."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{pulse_id}:{person_id}".encode(), hashlib.sha256).hexdigest()


def state(pulse: Pulse, on: date) -> str:
    """draft, scheduled, open or closed, as of a day: a pulse also closes by its date."""
    if pulse.status == PulseStatus.DRAFT:
        return "draft"
    if pulse.status == PulseStatus.CLOSED or (pulse.closes_on and on > pulse.closes_on):
        return "closed"
    if pulse.opens_on and on < pulse.opens_on:
        return "scheduled"
    return "open"


def is_open(pulse: Pulse, on: date) -> bool:
    return state(pulse, on) == "open"


def create_pulse(ws: Workspace, *, title: str, node: Node | None, texts: Sequence[str],
                 units: Sequence[Unit], opens_on: date, closes_on: date) -> Pulse:
    """A pulse on one node, or on every top-level priority (one statement per text and
    priority, so each statement is about one node)."""
    texts = list(dict.fromkeys(t.strip() for t in texts if t.strip()))
    if not texts:
        raise PulseError("statements", "Give at least one statement.")
    if len(texts) > MAX_STATEMENTS:
        raise PulseError("statements", f"Keep it short: at most {MAX_STATEMENTS} statements.")
    if any(len(t) > 300 for t in texts):
        raise PulseError("statements", "Each statement must be at most 300 characters.")
    if not units:
        raise PulseError("units", "Choose at least one unit to ask.")
    if closes_on < opens_on:
        raise PulseError("closes_on", "The pulse must close on or after the day it opens.")
    subjects = [node] if node is not None else top_level_priorities(ws)
    if not subjects:
        raise PulseError("node", "This workspace has no top-level priorities yet.")
    pulse = Pulse(workspace_id=ws.id, key=_free_key(ws, title), title=title.strip(),
                  node=node, status=PulseStatus.OPEN, opens_on=opens_on, closes_on=closes_on,
                  units=list(units), created_by_id=_person_id())
    pulse.statements = [PulseStatement(position=i, text=text, node=subject)
                        for i, (subject, text) in enumerate(
                            (s, t) for s in subjects for t in texts)]
    db.session.add(pulse)
    db.session.flush()
    audit.record(ws.id, "pulse.create", "pulse", pulse.key, after={
        "title": pulse.title, "node": node.key if node else None,
        "units": [u.key for u in units], "statements": texts,
        "opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()})
    return pulse


def close_pulse(pulse: Pulse, on: date) -> None:
    """Close now: no more answers or changes; results stay."""
    if state(pulse, on) == "closed":
        raise PulseError("", "This pulse is already closed.")
    before = {"status": str(pulse.status), "closes_on": _iso(pulse.closes_on)}
    pulse.status = PulseStatus.CLOSED
    pulse.closes_on = min(pulse.closes_on or on, on)
    if pulse.opens_on and pulse.opens_on > pulse.closes_on:
        pulse.opens_on = pulse.closes_on
    db.session.flush()
    audit.record(pulse.workspace_id, "pulse.close", "pulse", pulse.key, before=before,
                 after={"status": "closed", "closes_on": _iso(pulse.closes_on)})


def answerable_units(actor: Actor, pulse: Pulse) -> list[Unit]:
    """The asked units the person belongs to (as leader or member): who they answer for."""
    return sorted((u for u in pulse.units if actor.belongs_to(u.id) and not u.archived),
                  key=lambda u: u.name)


def own_answers(pulse: Pulse, person: Person) -> dict[int, PulseAnswer]:
    """The person's own answers, found again through their keyed hash."""
    key = respondent(pulse.id, person.id)
    return {a.statement_id: a for a in db.session.scalars(
        sa.select(PulseAnswer).join(PulseStatement)
        .where(PulseStatement.pulse_id == pulse.id, PulseAnswer.respondent == key))}


def answer_pulse(pulse: Pulse, person: Person, actor: Actor, unit: Unit,
                 answers: dict[int, tuple[int, str | None]], on: date) -> None:
    """Give or change one's answers; every statement needs a value from 1 to 5."""
    if not is_open(pulse, on):
        raise PulseError("", "This pulse is not open for answers.")
    if unit not in answerable_units(actor, pulse):
        raise PulseError("unit", "You can answer only for a unit you belong to.")
    role = Role.LEADER if Role.LEADER in actor.roles.get(unit.id, set()) else Role.MEMBER
    mine = own_answers(pulse, person)
    key = respondent(pulse.id, person.id)
    # Day only: the moment of an answer must not point at who gave it.
    day = datetime.combine(on, time(), tzinfo=UTC)
    for statement in pulse.statements:
        value, comment = answers.get(statement.id, (None, None))
        if value not in range(1, 6):
            raise PulseError(f"s{statement.id}", "Choose a value from 1 to 5.")
        answer = mine.get(statement.id)
        if answer is None:
            answer = PulseAnswer(statement_id=statement.id, respondent=key)
            db.session.add(answer)
        answer.unit_id, answer.value, answer.role = unit.id, value, role
        answer.comment = (comment or "").strip()[:2000] or None
        answer.answered_at = day
    db.session.flush()


def pending_pulses(actor: Actor, person: Person, workspace: Workspace,
                   on: date | None = None) -> list[Pulse]:
    """Open pulses asking one of the person's units that they have not answered yet,
    soonest closing first; two queries whatever the number of pulses."""
    units = actor.units_with(Role.LEADER, Role.MEMBER)
    if not units:
        return []
    on = on or today()
    asked = sa.select(pulse_unit.c.pulse_id).where(pulse_unit.c.unit_id.in_(units))
    pulses = list(db.session.scalars(
        sa.select(Pulse).where(
            Pulse.workspace_id == workspace.id, Pulse.status == PulseStatus.OPEN,
            Pulse.id.in_(asked),
            sa.or_(Pulse.opens_on.is_(None), Pulse.opens_on <= on),
            sa.or_(Pulse.closes_on.is_(None), Pulse.closes_on >= on))
        .options(selectinload(Pulse.node))
        .order_by(Pulse.closes_on.asc().nulls_last(), Pulse.id)))
    if not pulses:
        return []
    hashes = [respondent(p.id, person.id) for p in pulses]
    answered = set(db.session.scalars(
        sa.select(PulseStatement.pulse_id).join(PulseAnswer)
        .where(PulseAnswer.respondent.in_(hashes))))
    return [p for p in pulses if p.id not in answered]


def _free_key(ws: Workspace, title: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "pulse"
    taken = set(db.session.scalars(sa.select(Pulse.key).where(
        Pulse.workspace_id == ws.id, Pulse.key.like(f"{base}%")))) | RESERVED_KEYS
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


def _person_id() -> int | None:
    from flask_login import current_user

    return current_user.id if current_user and current_user.is_authenticated else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None

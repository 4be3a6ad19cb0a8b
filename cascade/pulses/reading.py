"""Reading pulses: their state on a day, the keyed hash that keeps answers anonymous, a
person's own answers, and the open pulses still waiting for them."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased, selectinload

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


def own_answers(pulse: Pulse, person: Person) -> dict[int, PulseAnswer]:
    """The person's own answers, found again through their keyed hash."""
    key = respondent(pulse.id, person.id)
    return {a.statement_id: a for a in db.session.scalars(
        sa.select(PulseAnswer).join(PulseStatement)
        .where(PulseStatement.pulse_id == pulse.id, PulseAnswer.respondent == key))}


def pending_pulses(actor: Actor, person: Person, workspace: Workspace, on: date) -> list[Pulse]:
    """Open pulses asking one of the person's units that they have not answered yet,
    soonest closing first; two queries whatever the number of pulses."""
    units = actor.units_with(Role.LEADER, Role.MEMBER)
    if not units:
        return []
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

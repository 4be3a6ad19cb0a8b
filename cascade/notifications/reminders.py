"""Reminders on the rhythm an admin set for the workspace: what waits for each person —
parents to translate, stale translations to re-confirm, notes unanswered for
`feedback_days`, pulses to answer, check-ins due — in one mail, only when something waits,
and never to someone who acted in the workspace since the last reminder was due."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import render_template

from cascade.db import db
from cascade.feedback import waiting
from cascade.findings.snapshot import unit_rows
from cascade.mail import mail_configured
from cascade.models import AuditEntry, CheckIn, Measure, Node, Person, Workspace
from cascade.notifications import preferences, unsubscribe
from cascade.notifications.audience import people_of
from cascade.notifications.links import external
from cascade.notifications.mailing import queue_mail
from cascade.organisation.settings import settings_for
from cascade.pulses.reading import pending_pulses
from cascade.strategy.inbox import build_inbox
from cascade.vocabulary import MeasureStatus

REMINDED = 200  # items per section a reminder lists at most; the inbox link shows the rest


@dataclass
class Waiting:
    awaiting: list = field(default_factory=list)  # (unit row, entry) to translate
    stale: list = field(default_factory=list)
    overdue: list = field(default_factory=list)  # notes
    pulses: list = field(default_factory=list)
    check_ins: list = field(default_factory=list)  # measures

    @property
    def empty(self) -> bool:
        return not (self.awaiting or self.stale or self.overdue or self.pulses or self.check_ins)


def due_today(ws: Workspace, now: datetime) -> timedelta | None:
    """The period reminders cover when they are due today, else None."""
    rhythm = preferences.reminder_rhythm(ws)
    if rhythm["rhythm"] == "daily":
        return timedelta(days=1)
    if rhythm["rhythm"] == "weekly" and now.weekday() == rhythm["weekday"]:
        return timedelta(days=7)
    return None


def send_reminders(now: datetime, workspace_ids: list[int] | None = None) -> int:
    """Compose today's reminders for every workspace whose rhythm says today. Commits."""
    if not mail_configured():
        return 0
    query = sa.select(Workspace)
    if workspace_ids is not None:
        query = query.where(Workspace.id.in_(workspace_ids))
    made = 0
    for ws in db.session.scalars(query).all():
        period = due_today(ws, now)
        if period is not None:
            made += _workspace(ws, now, period)
    db.session.commit()
    return made


def _workspace(ws: Workspace, now: datetime, period: timedelta) -> int:
    people = people_of(ws.id)
    active = set(db.session.scalars(sa.select(AuditEntry.person_id).where(
        AuditEntry.workspace_id == ws.id, AuditEntry.created_at > now - period)))
    units = unit_rows(ws)
    cut = waiting.cutoff(now.date(), settings_for(ws).feedback_days)
    made = 0
    for person_id, actor in people.actors.items():
        if person_id in active or not preferences.wants_reminders(person_id, ws):
            continue
        person = db.session.get(Person, person_id)
        inbox = build_inbox(ws, units, actor, cut, size=REMINDED)
        found = Waiting(awaiting=inbox.awaiting.items, stale=inbox.stale.items,
                        overdue=inbox.overdue,
                        pulses=pending_pulses(actor, person, ws, now.date()),
                        check_ins=_check_ins_due(ws, {u.id for u in inbox.units}, now))
        if not found.empty:
            _queue(ws, person, found, now)
            made += 1
    return made


def _check_ins_due(ws: Workspace, units: set[int], now: datetime) -> list[Measure]:
    """Live measures on the person's units' live nodes whose last check-in (or start) is
    more than `cadence_days` ago."""
    if not units:
        return []
    last = sa.select(CheckIn.measure_id, sa.func.max(CheckIn.created_at).label("at")) \
        .group_by(CheckIn.measure_id).subquery()
    rows = db.session.execute(
        sa.select(Measure, last.c.at).join(Node, Node.id == Measure.node_id)
        .outerjoin(last, last.c.measure_id == Measure.id)
        .where(Measure.workspace_id == ws.id, Measure.status == MeasureStatus.LIVE,
               Node.unit_id.in_(units), Node.status != "retired")).all()
    due = []
    for measure, at in rows:
        since = at or measure.created_at
        if since < now - timedelta(days=measure.cadence_days):
            due.append(measure)
    return due


def _queue(ws: Workspace, person: Person, found: Waiting, now: datetime) -> None:
    leave = external("unsubscribe.confirm",
                     token=unsubscribe.token_for(person.id, ws.id, preferences.REMINDERS))
    context = {"ws": ws, "person": person, "w": found, "leave": leave,
               "inbox": external("inbox.show", workspace=ws.slug),
               "node_link": lambda key: external("nodes.show", workspace=ws.slug, key=key),
               "pulse_link": lambda key: external("pulses.show", workspace=ws.slug, key=key),
               "note_link": lambda i: external("notes.show", workspace=ws.slug, note_id=i)}
    queue_mail(f"reminder:{ws.id}:{person.id}:{now.date().isoformat()}", person, person.email,
               f"What waits for you in {ws.name}", render_template("mail/reminder.txt", **context),
               render_template("mail/reminder.html", **context), purpose="reminder",
               workspace_id=ws.id, unsubscribe_url=leave)

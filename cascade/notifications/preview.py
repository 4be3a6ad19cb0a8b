"""A sample digest an admin can look at in the browser before anyone receives one: their
own waiting digest items, else the workspace's recent events they may see, else a sample
made from the notes and stale translations the workspace holds now (the demo has no
history of events)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade.db import db
from cascade.models import Event, Node, Note, Notification, Person, Workspace
from cascade.notifications.audience import VIEW
from cascade.notifications.mailing import render_updates
from cascade.notifications.wording import told
from cascade.organisation.policy import Actor
from cascade.vocabulary import Channel, EventKind

SAMPLE = 12


def sample_digest(ws: Workspace, person: Person, actor: Actor,
                  now: datetime) -> tuple[str, str, int]:
    """(text, html, how many items) of the daily digest as `person` would get it."""
    events = _waiting(ws, person) or _recent(ws, actor, now)
    events += _from_state(ws)  # what happened and what is, once each
    items = list(dict.fromkeys(told(event, ws.slug) for event in events))[:SAMPLE]
    text, html, _ = render_updates(ws, person, items, Channel.DAILY, "digest.daily")
    return text, html, len(items)


def _waiting(ws: Workspace, person: Person) -> list[Event]:
    return [n.event for n in db.session.scalars(
        sa.select(Notification).where(Notification.workspace_id == ws.id,
                                      Notification.person_id == person.id,
                                      Notification.mail_id.is_(None),
                                      Notification.channel.in_([Channel.DAILY,
                                                                Channel.WEEKLY]))
        .options(joinedload(Notification.event)).order_by(Notification.id).limit(SAMPLE))]


def _recent(ws: Workspace, actor: Actor, now: datetime) -> list[Event]:
    found = db.session.scalars(sa.select(Event).where(
        Event.workspace_id == ws.id, Event.created_at > now - timedelta(days=14))
        .order_by(Event.id.desc()).limit(SAMPLE * 3)).all()
    seen, shown = set(), []
    for event in found:
        if event.kind in VIEW and actor.can(VIEW[event.kind], None) and not (
                event.kind == EventKind.SCORE_SNAPSHOT and event.kind in seen):
            shown.append(event)
            seen.add(event.kind)
    return shown[:SAMPLE // 2]  # the latest score once, and room for the sample below


def _from_state(ws: Workspace) -> list[Event]:
    """Unsaved events describing what the workspace holds now: its latest notes, then
    translations whose parent moved on."""
    notes = db.session.scalars(
        sa.select(Note).where(Note.workspace_id == ws.id)
        .options(joinedload(Note.node).joinedload(Node.unit), joinedload(Note.author))
        .order_by(Note.created_at.desc()).limit(SAMPLE)).all()
    events = [Event(kind=str(EventKind.NOTE_CREATED), subject={
        "actor": note.byline, "node": note.node.key, "title": note.node.title,
        "unit": note.node.unit.name, "stance": str(note.stance), "kind": str(note.kind)})
        for note in notes]
    parent = sa.orm.aliased(Node)
    candidates = db.session.scalars(  # seen < revision narrows; the definition decides
        sa.select(Node).join(parent, parent.id == Node.parent_id)
        .where(Node.workspace_id == ws.id, Node.parent_revision_seen < parent.revision)
        .options(joinedload(Node.unit), joinedload(Node.parent).joinedload(Node.unit))
        .limit(SAMPLE * 4)).all()
    stale = [node for node in candidates if node.is_stale][:SAMPLE]
    events += [Event(kind=str(EventKind.TRANSLATION_STALE), subject={
        "node": node.key, "title": node.title, "unit": node.unit.name,
        "parent_title": node.parent.title}) for node in stale]
    return events

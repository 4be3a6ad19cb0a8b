"""Changing how people hear of things: their own preferences, the workspace's defaults and
reminder rhythm (admins), and an unsubscribe link's one setting. Flush, never commit."""

from __future__ import annotations

import sqlalchemy as sa

from cascade import audit
from cascade.db import db
from cascade.models import NotificationPreference, Person, Workspace
from cascade.notifications import preferences
from cascade.notifications.preferences import DIGESTS, KINDS, REMINDERS, RHYTHMS
from cascade.refusals import Conflict, Refusal
from cascade.vocabulary import Channel


def set_preferences(person: Person, ws: Workspace, choices: dict[str, str],
                    reminders: bool | None = None) -> None:
    """Keep the person's channel for each kind given (and whether they get reminders)."""
    wanted = {kind: Channel(channel) for kind, channel in choices.items() if kind in KINDS}
    if reminders is not None:
        wanted[REMINDERS] = Channel.EMAIL if reminders else Channel.OFF
    rows = {row.kind: row for row in db.session.scalars(sa.select(NotificationPreference).where(
        NotificationPreference.person_id == person.id,
        NotificationPreference.workspace_id == ws.id))}
    changed = {}
    for kind, channel in wanted.items():
        row = rows.get(kind)
        if row is None:
            row = NotificationPreference(person_id=person.id, workspace_id=ws.id, kind=kind,
                                         channel=channel)
            db.session.add(row)
        elif row.channel == channel:
            continue
        row.channel = channel
        changed[kind] = str(channel)
    db.session.flush()
    if changed:
        audit.record(person, ws.id, "notifications.preferences", "person", person.email,
                     after=changed)


def set_defaults(ws: Workspace, loaded_version: int, choices: dict[str, str], *, rhythm: str,
                 weekday: int, by: Person | None) -> None:
    """The workspace's default channel per kind and its reminder rhythm."""
    if loaded_version != ws.version:
        raise Conflict()
    if rhythm not in RHYTHMS:
        raise Refusal("rhythm", "Choose off, daily or weekly.")
    if weekday not in range(7):
        raise Refusal("weekday", "Choose a day of the week.")
    before = {"notifications": {k: str(v) for k, v in preferences.workspace_defaults(ws).items()},
              "reminders": preferences.reminder_rhythm(ws)}
    after = {"notifications": {k: str(Channel(v)) for k, v in choices.items() if k in KINDS},
             "reminders": {"rhythm": rhythm, "weekday": weekday}}
    ws.settings = dict(ws.settings or {}) | after
    db.session.flush()
    audit.record(by, ws.id, "notifications.defaults", "workspace", ws.slug, before, after)


def unsubscribe(person: Person, ws: Workspace, setting: str) -> list[str]:
    """Turn off the one setting an unsubscribe link names; returns the kinds it changed.

    A kind goes off; reminders stop; leaving a digest moves what it held to the inbox."""
    if setting == REMINDERS:
        set_preferences(person, ws, {}, reminders=False)
        return [REMINDERS]
    if setting in DIGESTS:
        kinds = [kind for kind, channel in preferences.effective(person.id, ws).items()
                 if channel == DIGESTS[setting]]
        set_preferences(person, ws, dict.fromkeys(kinds, Channel.INBOX))
        return kinds
    set_preferences(person, ws, {setting: Channel.OFF})
    return [setting]

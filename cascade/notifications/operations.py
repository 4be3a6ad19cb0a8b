"""Changing how people hear of things: their own preferences, the workspace's defaults and
reminder rhythm (admins), and an unsubscribe link's one setting. Flush, never commit."""

from __future__ import annotations

import sqlalchemy as sa

from cascade import audit
from cascade.db import db
from cascade.models import Notification, NotificationPreference, Person, Workspace
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


def register_webhook(ws: Workspace, url: str, *, kinds: list[str], unit_id: int | None,
                     fmt: str, by: Person | None, request_host: str | None = None):
    """A new endpoint and its secret (the caller shows it once). Refuses URLs webhooks may
    not go to (`addresses`)."""
    from cascade.models import Webhook
    from cascade.notifications import addresses, webhooks

    try:
        addresses.check(url, request_host=request_host)
    except addresses.Refused as refused:
        raise Refusal("url", str(refused)) from refused
    if fmt not in webhooks.FORMATS:
        raise Refusal("format", "Choose Cascade JSON, Slack or Microsoft Teams.")
    hook = Webhook(workspace_id=ws.id, url=url.strip(), kinds=[k for k in kinds if k in KINDS],
                   unit_id=unit_id, format=fmt, secret=webhooks.new_secret(),
                   created_by_id=by.id if by is not None else None)
    db.session.add(hook)
    db.session.flush()
    audit.record(by, ws.id, "webhook.create", "webhook", hook.url,
                 after={"kinds": hook.kinds, "unit": unit_id, "format": fmt})
    return hook


def change_webhook(hook, action: str, *, by: Person | None, now=None) -> None:
    """Pause, resume, delete or send a test event to an endpoint."""
    from cascade import clock
    from cascade.notifications import webhooks

    if action == "pause":
        webhooks.pause(hook, "Paused by an admin.", by=by)
    elif action == "resume":
        webhooks.resume(hook)
    elif action == "test":
        webhooks.test_event(hook, by, now or clock.now())
    elif action == "delete":
        db.session.delete(hook)
    else:
        raise Refusal("action", "Unknown action.")
    db.session.flush()
    audit.record(by, hook.workspace_id, f"webhook.{action}", "webhook", hook.url)


def resend_delivery(delivery, *, by: Person | None, now=None) -> None:
    from cascade import clock
    from cascade.notifications import webhooks

    webhooks.resend(delivery, now or clock.now())
    db.session.flush()
    audit.record(by, delivery.webhook.workspace_id, "webhook.resend", "webhook",
                 delivery.webhook.url, after={"delivery": delivery.id})


def mark_all_seen(person: Person, ws: Workspace, now) -> int:
    """Mark every notification the person has in the workspace seen; returns how many."""
    result = db.session.execute(sa.update(Notification).where(
        Notification.person_id == person.id, Notification.workspace_id == ws.id,
        Notification.seen_at.is_(None)).values(seen_at=now))
    if result.rowcount:
        audit.record(person, ws.id, "notifications.seen", "person", person.email,
                     after={"seen": result.rowcount})
    return result.rowcount

"""E-mail from notifications: immediate mails batched over a few minutes, daily and weekly
digests grouped by unit and node, each composed once (its `key`) and sent by `sending`.

Composing checks again that each person may still see each event (roles change between
an event and its digest), and makes a mail only when there is something to say.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from sqlalchemy.orm import joinedload

from cascade.db import db
from cascade.mail import mail_configured
from cascade.models import Notification, OutgoingMail, Person, Workspace
from cascade.notifications import preferences, unsubscribe
from cascade.notifications.audience import VIEW, People, people_of
from cascade.notifications.links import external
from cascade.notifications.wording import Told, told
from cascade.vocabulary import Channel

OLDEST = timedelta(days=7)  # older notifications are left to the inbox, never mailed late
DIGEST_NAMES = {Channel.EMAIL: "email.now", Channel.DAILY: "digest.daily",
                Channel.WEEKLY: "digest.weekly"}


def queue_mail(key: str, person: Person | None, to: str, subject: str, text: str,
               html: str | None = None, *, purpose: str, workspace_id: int | None = None,
               unsubscribe_url: str | None = None) -> OutgoingMail:
    """The mail for `key`, made now unless it exists: composing twice sends once."""
    found = db.session.scalar(sa.select(OutgoingMail).where(OutgoingMail.key == key))
    if found is not None:
        return found
    mail = OutgoingMail(key=key, person_id=person.id if person else None, to_address=to,
                        subject=subject[:300], text=text, html=html, purpose=purpose,
                        workspace_id=workspace_id, unsubscribe_url=unsubscribe_url)
    db.session.add(mail)
    db.session.flush()
    return mail


def compose_immediate(now: datetime) -> int:
    """One mail per person and workspace for the `email` notifications waiting, once the
    oldest has waited MAIL_BATCH_MINUTES (so a burst of changes makes one mail). Commits."""
    wait = timedelta(minutes=float(current_app.config["MAIL_BATCH_MINUTES"]))
    return _compose(Channel.EMAIL, now, lambda oldest: oldest <= now - wait)


def compose_digest(channel: Channel, now: datetime) -> int:
    """The daily or weekly digest of each person who has something in it. Commits."""
    return _compose(channel, now, lambda oldest: True)


def _compose(channel: Channel, now: datetime, ready) -> int:
    if not mail_configured():
        return 0
    waiting = db.session.scalars(
        sa.select(Notification).where(Notification.channel == channel,
                                      Notification.mail_id.is_(None),
                                      Notification.created_at > now - OLDEST)
        .options(joinedload(Notification.event)).order_by(Notification.id)).all()
    groups: dict[tuple[int, int], list[Notification]] = defaultdict(list)
    for notification in waiting:
        groups[(notification.workspace_id, notification.person_id)].append(notification)
    made, people = 0, {}
    for (workspace_id, person_id), found in groups.items():
        if not ready(min(n.created_at for n in found)):
            continue
        if workspace_id not in people:
            people[workspace_id] = people_of(workspace_id)
        ws = db.session.get(Workspace, workspace_id)
        person = db.session.get(Person, person_id)
        visible = [n for n in found if _may_see(people[workspace_id], person_id, n)]
        mail = _mail_for(channel, ws, person, visible, now) if visible else None
        for notification in found:
            if notification in visible:
                notification.mail_id = mail.id
            else:  # no longer theirs to see: not in a mail, not in the inbox
                notification.channel = Channel.OFF
        made += mail is not None
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # another worker composed these first
        db.session.rollback()
        return 0
    return made


def _may_see(people: People, person_id: int, notification: Notification) -> bool:
    actor = people.actors.get(person_id)
    action = VIEW.get(notification.event.kind)
    return actor is not None and action is not None and actor.can(action, None)


def _mail_for(channel: Channel, ws: Workspace, person: Person, found: list[Notification],
              now: datetime) -> OutgoingMail:
    items = [told(n.event, ws.slug) for n in found]
    setting = DIGEST_NAMES[channel]
    if channel == Channel.EMAIL:
        key = f"now:{ws.id}:{person.id}:{found[0].id}"
        subject = items[0].headline if len(items) == 1 else \
            f"{len(items)} updates in {ws.name}"
        kinds = list(dict.fromkeys(n.event.kind for n in found))
        if len(kinds) == 1:
            setting = kinds[0]
    else:
        key = f"{channel}:{ws.id}:{person.id}:{now.date().isoformat()}"
        subject = f"Your {channel} Cascade digest for {ws.name}: {len(items)} " \
                  f"update{'s' if len(items) != 1 else ''}"
    text, html, leave = render_updates(ws, person, items, channel, setting)
    return queue_mail(key, person, person.email, subject, text, html, purpose=str(channel),
                      workspace_id=ws.id, unsubscribe_url=leave)


def grouped(items: list[Told]) -> list[tuple[str, list[tuple[str, list[Told]]]]]:
    """[(unit, [(node, [items])])], units and nodes in the order they first appear."""
    units: dict[str, dict[str, list[Told]]] = {}
    for item in items:
        units.setdefault(item.unit or "Workspace", {}).setdefault(item.node, []).append(item)
    return [(unit, list(nodes.items())) for unit, nodes in units.items()]


def render_updates(ws: Workspace, person: Person, items: list[Told], channel: Channel,
                   setting: str) -> tuple[str, str, str]:
    """Plain text and HTML of an updates mail or digest, and its unsubscribe link."""
    leave = external("unsubscribe.confirm",
                     token=unsubscribe.token_for(person.id, ws.id, setting))
    context = {"ws": ws, "person": person, "groups": grouped(items), "count": len(items),
               "channel": str(channel), "leave": leave,
               "leave_what": _leave_label(setting),
               "settings": external("notifications.preferences_page", workspace=ws.slug)}
    return (render_template("mail/updates.txt", **context),
            render_template("mail/updates.html", **context), leave)


def _leave_label(setting: str) -> str:
    if setting in preferences.KINDS:
        return f"e-mail when “{preferences.label(setting).lower()}”"
    return {"email.now": "immediate e-mails", "digest.daily": "the daily digest",
            "digest.weekly": "the weekly digest"}.get(setting, "these e-mails")

"""How each person hears of each kind of event: their own choice, else the workspace's
default (which an admin sets), else the product's. Also the workspace's reminder rhythm.

Every sender asks `channels_for`, so a choice made on the preferences page or through an
unsubscribe link holds for every message that follows.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from cascade.db import db
from cascade.models import NotificationPreference, Workspace
from cascade.vocabulary import CHANNELS, Channel, EventKind

# What each kind is called on the pages and in the mails, and the product's default channel.
KINDS: dict[str, tuple[str, Channel]] = {
    EventKind.NOTE_CREATED: ("A note is left on a node of your unit", Channel.EMAIL),
    EventKind.NOTE_ANSWERED: ("Your note is answered", Channel.EMAIL),
    EventKind.NOTE_REPLY: ("A reply in a conversation you are part of", Channel.EMAIL),
    EventKind.TRANSLATION_STALE: ("Your translation turned stale", Channel.EMAIL),
    EventKind.NODE_CREATED: ("A node is translated from yours", Channel.DAILY),
    EventKind.NODE_REVISED: ("A node of your unit is revised", Channel.DAILY),
    EventKind.NODE_STATUS: ("A node of your unit, or one to translate, changes status",
                            Channel.DAILY),
    EventKind.PULSE_OPENED: ("A pulse asks your unit", Channel.EMAIL),
    EventKind.PULSE_CLOSED: ("A pulse you were asked or ran closes", Channel.DAILY),
    EventKind.FINDING_OPENED: ("A finding opens", Channel.WEEKLY),
    EventKind.FINDING_RESOLVED: ("A finding is resolved", Channel.WEEKLY),
    EventKind.FINDING_ACKNOWLEDGED: ("A finding is acknowledged", Channel.WEEKLY),
    EventKind.SCORE_SNAPSHOT: ("The coherence score is recorded", Channel.WEEKLY),
    EventKind.DEPENDENCY_REQUESTED: ("Another unit asks yours to deliver a node",
                                     Channel.EMAIL),
    EventKind.DEPENDENCY_ANSWERED: ("A dependency request is answered", Channel.EMAIL),
    EventKind.CHECKIN_DUE: ("A check-in of a measure on your unit's node is due", Channel.DAILY),
    EventKind.WEBHOOK_PAUSED: ("A webhook is paused after failing (admins)", Channel.EMAIL),
}
CHANNEL_LABELS = {Channel.INBOX: "Inbox only", Channel.EMAIL: "E-mail now",
                  Channel.DAILY: "Daily digest", Channel.WEEKLY: "Weekly digest",
                  Channel.OFF: "Off"}
REMINDERS = "reminders"  # a person's own on/off for the workspace's reminders
# leaving one of these channels (an unsubscribe link) moves what it carried to the inbox
DIGESTS = {"digest.daily": Channel.DAILY, "digest.weekly": Channel.WEEKLY,
           "email.now": Channel.EMAIL}
RHYTHMS = ("off", "daily", "weekly")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_REMINDERS = {"rhythm": "weekly", "weekday": 0}


def label(kind: str) -> str:
    return KINDS[kind][0] if kind in KINDS else kind


def workspace_defaults(ws: Workspace) -> dict[str, Channel]:
    """The channel each kind goes to for people who did not choose: the admin's, else ours."""
    chosen = (ws.settings or {}).get("notifications", {})
    return {kind: Channel(chosen[kind]) if chosen.get(kind) in CHANNELS else default
            for kind, (_, default) in KINDS.items()}


def reminder_rhythm(ws: Workspace) -> dict:
    """{"rhythm": off | daily | weekly, "weekday": 0..6} as the admin set it."""
    found = (ws.settings or {}).get("reminders", {})
    rhythm = found.get("rhythm") if found.get("rhythm") in RHYTHMS else "weekly"
    weekday = found.get("weekday") if found.get("weekday") in range(7) else 0
    return {"rhythm": rhythm, "weekday": weekday}


def own_choices(person_id: int, ws: Workspace) -> dict[str, str]:
    """What the person chose themselves, by kind (and `reminders`)."""
    return dict(db.session.execute(sa.select(
        NotificationPreference.kind, NotificationPreference.channel).where(
        NotificationPreference.person_id == person_id,
        NotificationPreference.workspace_id == ws.id)).all())


def effective(person_id: int, ws: Workspace) -> dict[str, Channel]:
    """The channel every kind goes to for this person."""
    own = own_choices(person_id, ws)
    return {kind: Channel(own.get(kind, default))
            for kind, default in workspace_defaults(ws).items()}


def channels_for(ws: Workspace, kind: str, person_ids: Iterable[int]) -> dict[int, Channel]:
    """The channel `kind` goes to for each of these people, in one query."""
    ids = list(person_ids)
    default = workspace_defaults(ws).get(kind, Channel.INBOX)
    own = dict(db.session.execute(sa.select(
        NotificationPreference.person_id, NotificationPreference.channel).where(
        NotificationPreference.workspace_id == ws.id, NotificationPreference.kind == kind,
        NotificationPreference.person_id.in_(ids))).all()) if ids else {}
    return {pid: Channel(own.get(pid, default)) for pid in ids}


def wants_reminders(person_id: int, ws: Workspace) -> bool:
    return own_choices(person_id, ws).get(REMINDERS, Channel.EMAIL) != Channel.OFF

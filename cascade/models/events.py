"""The outbox: one row per change people may be told about, written in the transaction
that makes the change, and read later by the jobs that deliver it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cascade.db import choice, db, utcnow
from cascade.models.workspace import Person
from cascade.vocabulary import Channel


class Event(db.Model):
    """Something that happened in a workspace: its kind, who did it, and what it is about.

    `subject` keeps the names as they stood (title, unit, who), so a message says what
    happened even when the node is renamed before the digest goes out. It never holds a
    note's body or a pulse's answers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id", ondelete="SET NULL"))
    node_id: Mapped[int | None] = mapped_column(sa.ForeignKey("node.id", ondelete="SET NULL"))
    note_id: Mapped[int | None] = mapped_column(sa.ForeignKey("note.id", ondelete="SET NULL"))
    pulse_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pulse.id", ondelete="SET NULL"))
    subject: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # when the dispatcher worked out who hears of it (None: not yet)
    dispatched_at: Mapped[datetime | None] = mapped_column(index=True)

    actor: Mapped[Person | None] = relationship()

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.kind}>"


class NotificationPreference(db.Model):
    """How one person hears of one kind of event in one workspace; without a row, the
    workspace's default applies (`notifications.preferences`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # looked up through the (person_id, workspace_id, kind) unique index, which starts with it
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    channel: Mapped[Channel] = mapped_column(choice(Channel, "channel"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (sa.UniqueConstraint("person_id", "workspace_id", "kind"),)


class Notification(db.Model):
    """One person to be told of one event, by the channel their preferences chose; once in a
    mail, `mail_id` says which. One row per event and person, so no one hears twice."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    # looked up through ix_notification_pending, which starts with it
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    channel: Mapped[Channel] = mapped_column(choice(Channel, "channel"))
    mail_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outgoing_mail.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # when the person marked it seen on their notifications page (None: not yet)
    seen_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()

    __table_args__ = (sa.UniqueConstraint("event_id", "person_id"),
                      sa.Index("ix_notification_pending", "person_id", "channel", "mail_id"))


class OutgoingMail(db.Model):
    """A message on its way through SMTP: composed by a job, sent by another, retried with
    backoff. `key` names what it is for (one immediate batch, one digest of one day, one
    reset link), so composing twice never makes a second message."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    workspace_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"),
                                                  index=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    purpose: Mapped[str] = mapped_column(sa.String(20))
    subject: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text)
    html: Mapped[str | None] = mapped_column(sa.Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    sent_at: Mapped[datetime | None] = mapped_column(index=True)


class KnownFinding(db.Model):
    """A finding open at the last comparison of a workspace's analyses, so the next one can
    tell which opened and which were resolved in between (`notifications.findings`). A row
    with the fingerprint "*" marks a workspace already compared once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(sa.String(32))
    code: Mapped[str] = mapped_column(sa.String(40))
    nodes: Mapped[list] = mapped_column(sa.JSON, default=list)
    units: Mapped[list] = mapped_column(sa.JSON, default=list)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("workspace_id", "fingerprint"),)

"""Webhooks: endpoints an admin registers, and each delivery of an event to one of them,
kept 30 days with its status and the receiver's answer."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cascade.db import db, utcnow
from cascade.models.events import Event
from cascade.models.workspace import Unit


class Webhook(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    url: Mapped[str] = mapped_column(sa.String(2000))
    kinds: Mapped[list] = mapped_column(sa.JSON, default=list)  # empty: every kind
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id", ondelete="SET NULL"))
    format: Mapped[str] = mapped_column(sa.String(10), default="cascade")  # slack, teams
    # the signing key: shown once when made, needed to sign every delivery
    secret: Mapped[str] = mapped_column(sa.String(80))
    active: Mapped[bool] = mapped_column(default=True)
    paused_reason: Mapped[str | None] = mapped_column(sa.String(300))
    failures_in_row: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit | None] = relationship()


class WebhookDelivery(db.Model):
    """One event for one endpoint: pending until the receiver answers 2xx (delivered) or
    the attempts run out (failed). The id travels as X-Cascade-Delivery, so a receiver
    can recognise a retry of what it already has."""

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(sa.ForeignKey("webhook.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    response_status: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(sa.String(2000))
    error: Mapped[str | None] = mapped_column(sa.String(500))
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    webhook: Mapped[Webhook] = relationship()
    event: Mapped[Event] = relationship()

    __table_args__ = (sa.UniqueConstraint("webhook_id", "event_id"),)

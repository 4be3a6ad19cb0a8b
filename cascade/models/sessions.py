"""Facilitated sessions: a coach shows one part of the organisation to the room, one step
at a time, and records what the room decides."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cascade.db import choice, db, utcnow
from cascade.models.feedback import Note
from cascade.models.pulses import Pulse
from cascade.models.strategy import Node
from cascade.models.workspace import Person, Unit
from cascade.vocabulary import SessionStatus, SessionTemplate


class FacilitatedSession(db.Model):
    """A session for a scope (a subtree, a unit, or the whole workspace); `code` is the
    short link people in the room open on their phones."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    key: Mapped[str] = mapped_column(sa.String(80))
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    template: Mapped[SessionTemplate] = mapped_column(choice(SessionTemplate, "session_template"))
    scope_node_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("node.id", ondelete="SET NULL"))
    scope_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("unit.id", ondelete="SET NULL"))
    findings: Mapped[list] = mapped_column(sa.JSON, default=list)  # chosen fingerprints
    pulse_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pulse.id", ondelete="SET NULL"))
    anonymised: Mapped[bool] = mapped_column(default=True)
    step_minutes: Mapped[int] = mapped_column(default=10)
    status: Mapped[SessionStatus] = mapped_column(choice(SessionStatus, "session_status"),
                                                  default=SessionStatus.OPEN)
    revealed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    scope_node: Mapped[Node | None] = relationship()
    scope_unit: Mapped[Unit | None] = relationship()
    pulse: Mapped[Pulse | None] = relationship()
    created_by: Mapped[Person | None] = relationship()
    decisions: Mapped[list[SessionDecision]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True,
        order_by="SessionDecision.id")

    __table_args__ = (sa.UniqueConstraint("workspace_id", "key"),)
    __mapper_args__ = {"version_id_col": version}


class SessionDecision(db.Model):
    """What the room decided, captured on the spot: a note left on a node, an
    acknowledged finding, or the words alone."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("facilitated_session.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    note_id: Mapped[int | None] = mapped_column(sa.ForeignKey("note.id", ondelete="SET NULL"))
    fingerprint: Mapped[str | None] = mapped_column(sa.String(32))
    code: Mapped[str | None] = mapped_column(sa.String(40))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[FacilitatedSession] = relationship(back_populates="decisions")
    note: Mapped[Note | None] = relationship()

"""Alignment pulses: statements answered 1–5 per unit, anonymously."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cascade.db import choice, db, utcnow
from cascade.models.strategy import Node
from cascade.models.workspace import Unit
from cascade.vocabulary import PulseStatus, Role

pulse_unit = sa.Table(
    "pulse_unit", db.metadata,
    sa.Column("pulse_id", sa.ForeignKey("pulse.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
)


class Pulse(db.Model):
    """A survey on one node, or on the top-level priorities when `node` is empty."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    key: Mapped[str] = mapped_column(sa.String(80))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    node_id: Mapped[int | None] = mapped_column(sa.ForeignKey("node.id", ondelete="CASCADE"))
    status: Mapped[PulseStatus] = mapped_column(choice(PulseStatus, "pulse_status"),
                                                default=PulseStatus.OPEN)
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    node: Mapped[Node | None] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary=pulse_unit)
    statements: Mapped[list[PulseStatement]] = relationship(
        back_populates="pulse", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PulseStatement.position")

    __table_args__ = (sa.UniqueConstraint("workspace_id", "key"),)
    __mapper_args__ = {"version_id_col": version}


class PulseStatement(db.Model):
    """One statement about one node (a priorities pulse repeats it per priority)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    pulse_id: Mapped[int] = mapped_column(sa.ForeignKey("pulse.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.String(300))
    node_id: Mapped[int | None] = mapped_column(sa.ForeignKey("node.id", ondelete="CASCADE"))

    pulse: Mapped[Pulse] = relationship(back_populates="statements")
    node: Mapped[Node | None] = relationship()
    answers: Mapped[list[PulseAnswer]] = relationship(
        back_populates="statement", cascade="all, delete-orphan", passive_deletes=True)


class PulseAnswer(db.Model):
    """An anonymous answer: `respondent` is a keyed hash, so only its author can find it again.

    While the pulse is open, results are read from the `shown_*` copy, which a unit's answers
    get all together once enough of them are `waiting` (given or changed since the unit's
    results last moved): see `cascade.pulses.release`.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pulse_statement.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))
    value: Mapped[int]
    comment: Mapped[str | None] = mapped_column(sa.Text)
    role: Mapped[Role | None] = mapped_column(choice(Role, "role"))
    respondent: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    shown_value: Mapped[int | None]
    shown_comment: Mapped[str | None] = mapped_column(sa.Text)
    shown_role: Mapped[Role | None] = mapped_column(choice(Role, "shown_role"))
    waiting: Mapped[bool] = mapped_column(default=False)

    statement: Mapped[PulseStatement] = relationship(back_populates="answers")
    unit: Mapped[Unit] = relationship()

    __table_args__ = (
        sa.CheckConstraint("value BETWEEN 1 AND 5", name="value_1_to_5"),
        sa.UniqueConstraint("statement_id", "respondent"),
    )

"""How a node's progress is seen: measures and the check-ins that report them."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cascade.db import choice, db, utcnow
from cascade.models.strategy import Node
from cascade.models.workspace import Person, Unit
from cascade.vocabulary import Direction, MeasureStatus


class Measure(db.Model):
    """A name, a unit of measure, a direction and its numbers, dates and a cadence.

    `start` and `due` may be left empty: they then follow the node's horizon (see
    `coherence.pace.span`), so moving a node to another quarter moves its measures too.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    # looked up through the (node_id, key) unique index, which starts with it
    node_id: Mapped[int] = mapped_column(sa.ForeignKey("node.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(200))
    unit_of_measure: Mapped[str] = mapped_column(sa.String(40), default="")
    direction: Mapped[Direction] = mapped_column(choice(Direction, "measure_direction"),
                                                 default=Direction.INCREASE)
    baseline: Mapped[float | None] = mapped_column(sa.Float)
    target: Mapped[float | None] = mapped_column(sa.Float)
    band_low: Mapped[float | None] = mapped_column(sa.Float)
    band_high: Mapped[float | None] = mapped_column(sa.Float)
    start: Mapped[date | None] = mapped_column(sa.Date)
    due: Mapped[date | None] = mapped_column(sa.Date)
    cadence_days: Mapped[int] = mapped_column(default=30)
    status: Mapped[MeasureStatus] = mapped_column(choice(MeasureStatus, "measure_status"),
                                                  default=MeasureStatus.LIVE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    node: Mapped[Node] = relationship()
    check_ins: Mapped[list[CheckIn]] = relationship(
        back_populates="measure", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(CheckIn.created_at, CheckIn.id)")

    __table_args__ = (
        sa.UniqueConstraint("node_id", "key"),
        sa.CheckConstraint("cadence_days >= 1", name="cadence_positive"),
    )
    __mapper_args__ = {"version_id_col": version}


class CheckIn(db.Model):
    """One reported value, with an optional confidence 0–10, by a person for their unit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    measure_id: Mapped[int] = mapped_column(sa.ForeignKey("measure.id", ondelete="CASCADE"),
                                            index=True)
    value: Mapped[float] = mapped_column(sa.Float)
    confidence: Mapped[int | None]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    # an imported author who is no member here: a name, never an account (as for notes)
    author_name: Mapped[str | None] = mapped_column(sa.String(200))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    measure: Mapped[Measure] = relationship(back_populates="check_ins")
    author: Mapped[Person | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("confidence IS NULL OR (confidence >= 0 AND confidence <= 10)",
                           name="confidence_range"),
    )

"""What coaches keep of the engine's output: acknowledgements and the score history."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cascade.db import db, utcnow
from cascade.models.workspace import Person


class Acknowledgement(db.Model):
    """A coach's "known, intentional" on one finding, matched by its stable fingerprint."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    fingerprint: Mapped[str] = mapped_column(sa.String(32))
    code: Mapped[str] = mapped_column(sa.String(40))
    comment: Mapped[str] = mapped_column(sa.Text)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("workspace_id", "fingerprint"),)


class ScoreRecord(db.Model):
    """One point of the score history: the coherence score and the open findings per code
    as of one day, for the trend, and the workspace as the engine read it that day
    (`findings.archive`), so the day can be shown again exactly and compared."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    as_of: Mapped[date]
    score: Mapped[int]
    counts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    taken_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL"))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    snapshot: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)

    __table_args__ = (sa.CheckConstraint("score BETWEEN 0 AND 100", name="score_0_to_100"),)

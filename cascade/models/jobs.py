"""What the background queue leaves behind: jobs that failed on their last attempt."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cascade.db import db, utcnow
from cascade.models.workspace import Person


class JobFailure(db.Model):
    """A job that raised on every attempt; admins of its workspace see it and may retry it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(sa.String(200))
    arguments: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {"args": [], "kwargs": {}}
    workspace_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    error: Mapped[str] = mapped_column(sa.Text)
    traceback: Mapped[str] = mapped_column(sa.Text, default="")
    attempts: Mapped[int] = mapped_column(default=1)
    failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    retried_at: Mapped[datetime | None]
    retried_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL"))

    retried_by: Mapped[Person | None] = relationship()

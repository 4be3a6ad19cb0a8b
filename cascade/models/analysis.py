"""The engine's output kept in the database: one analysis per workspace version and day."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cascade.db import db, utcnow


class StoredAnalysis(db.Model):
    """The analysis of one `Workspace.data_version` as of one day, shared by every worker
    and host. A row is claimed (`computing`) before the engine runs, so one version is
    analysed once; `payload` is the finished analysis (`findings.stored`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"))
    data_version: Mapped[int]
    as_of: Mapped[date]
    settings_key: Mapped[str] = mapped_column(sa.String(64))  # the thresholds it ran with
    state: Mapped[str] = mapped_column(sa.String(10), default="computing")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    computed_at: Mapped[datetime | None]
    seconds: Mapped[float | None]
    payload: Mapped[bytes | None] = mapped_column(sa.LargeBinary)

    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "data_version", "as_of", "settings_key"),
        sa.CheckConstraint("state IN ('computing', 'done')", name="known_state"),
    )


class StoredNodeFindings(db.Model):
    """The findings of one node in one stored analysis, so that a node page reads its own
    few instead of loading the whole analysis (`findings.stored.node_findings`)."""

    analysis_id: Mapped[int] = mapped_column(
        sa.ForeignKey("stored_analysis.id", ondelete="CASCADE"), primary_key=True)
    node_key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    payload: Mapped[bytes] = mapped_column(sa.LargeBinary)

"""Personal API tokens: one person, one workspace, a few scopes; only a hash is stored."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cascade.db import db, utcnow
from cascade.models.workspace import Person, Workspace


class ApiToken(db.Model):
    """A bearer token shown once at creation; `token_hash` is its SHA-256, `prefix` the first
    characters, so people recognise their tokens in lists without the secret being kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(20))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scopes: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL"))

    workspace: Mapped[Workspace] = relationship()
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    revoked_by: Mapped[Person | None] = relationship(foreign_keys=[revoked_by_id])

    def usable(self, now: datetime) -> bool:
        """Not revoked, not expired, and its owner's account still active."""
        return (self.revoked_at is None and self.person.active
                and (self.expires_at is None or self.expires_at > now))

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

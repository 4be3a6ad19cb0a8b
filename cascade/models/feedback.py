"""The bottom-up flow: notes on nodes, their edit history, answers and replies."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cascade.db import choice, db, utcnow
from cascade.models.strategy import Node
from cascade.models.workspace import Person, Unit
from cascade.vocabulary import NoteKind, NoteStatus, Stance


class Note(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # looked up through ix_note_workspace_status, which starts with it
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"))
    node_id: Mapped[int] = mapped_column(sa.ForeignKey("node.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"),
                                                  index=True)
    # who wrote it when that person is no member here (an imported note): a name, never an
    # account, so a file cannot put words under someone's account
    author_name: Mapped[str | None] = mapped_column(sa.String(200))
    # the form's one-time key: a second submission of the same form finds this note
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id", ondelete="SET NULL"))
    kind: Mapped[NoteKind] = mapped_column(choice(NoteKind, "note_kind"))
    stance: Mapped[Stance] = mapped_column(choice(Stance, "stance"))
    body: Mapped[str] = mapped_column(sa.Text)
    hypothesis: Mapped[str | None] = mapped_column(sa.Text)
    measure: Mapped[str | None] = mapped_column(sa.Text)
    learned: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[NoteStatus] = mapped_column(choice(NoteStatus, "note_status"),
                                               default=NoteStatus.OPEN)
    response: Mapped[str | None] = mapped_column(sa.Text)
    responded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL"))
    responded_at: Mapped[datetime | None]
    incorporated_revision: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    node: Mapped[Node] = relationship()
    author: Mapped[Person | None] = relationship(foreign_keys=[author_id])
    responded_by: Mapped[Person | None] = relationship(foreign_keys=[responded_by_id])
    unit: Mapped[Unit | None] = relationship()
    edits: Mapped[list[NoteEdit]] = relationship(back_populates="note",
                                                 cascade="all, delete-orphan",
                                                 passive_deletes=True, order_by="NoteEdit.id")
    replies: Mapped[list[Reply]] = relationship(back_populates="note",
                                                cascade="all, delete-orphan",
                                                passive_deletes=True, order_by="Reply.id")

    __table_args__ = (sa.Index("ix_note_workspace_status", "workspace_id", "status"),)
    __mapper_args__ = {"version_id_col": version}

    @property
    def byline(self) -> str:
        """Who wrote it, as pages show it: an account's name, an imported author's name
        (marked as not a member: it is text, not an account), or a former member."""
        if self.author is not None:
            return self.author.name
        if self.author_name:
            return f"{self.author_name} (not a member)"
        return "A former member"


class NoteEdit(db.Model):
    """A note's text as it stood before an edit; edits are kept, never overwritten."""

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(sa.ForeignKey("note.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    hypothesis: Mapped[str | None] = mapped_column(sa.Text)
    measure: Mapped[str | None] = mapped_column(sa.Text)
    editor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)

    note: Mapped[Note] = relationship(back_populates="edits")


class Reply(db.Model):
    """Plain conversation under a note."""

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(sa.ForeignKey("note.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    note: Mapped[Note] = relationship(back_populates="replies")
    author: Mapped[Person | None] = relationship()

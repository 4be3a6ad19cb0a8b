"""Answers between units about translations: a parent owner's review of a proposed
translation, a team's "not for us" on a parent, and what each person has marked in their
inbox."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cascade.db import db, utcnow
from cascade.models.strategy import Node
from cascade.models.workspace import Person, Unit


class TranslationReview(db.Model):
    """A parent owner sent a proposed translation back to draft, saying why; the team sees
    it in its inbox as the answer to its proposal."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    node_id: Mapped[int] = mapped_column(sa.ForeignKey("node.id", ondelete="CASCADE"),
                                         index=True)
    revision: Mapped[int]  # the translation's revision that was reviewed
    reason: Mapped[str] = mapped_column(sa.Text)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    node: Mapped[Node] = relationship()
    person: Mapped[Person | None] = relationship()


class Decline(db.Model):
    """A unit said a parent is not for it to translate, with a reason; the reason also went
    up to the parent's owners as a note (`note_id`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    node_id: Mapped[int] = mapped_column(sa.ForeignKey("node.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"),
                                         index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    note_id: Mapped[int | None] = mapped_column(sa.ForeignKey("note.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()

    # looked up through the (node_id, unit_id) unique index, which starts with node_id
    __table_args__ = (sa.UniqueConstraint("node_id", "unit_id"),)


class InboxMark(db.Model):
    """One inbox item a person has marked seen, so it leaves their count (`item` names it:
    `note:<id>` for an answer to their note, `review:<id>` for a translation sent back)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # looked up through the (person_id, item) unique index, which starts with person_id
    __table_args__ = (sa.UniqueConstraint("person_id", "item"),)

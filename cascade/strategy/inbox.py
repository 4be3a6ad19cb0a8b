"""A person's inbox: what the units they belong to are waiting on, and answers to their notes.

Sections are computed from the outline (no query per node) plus two note queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade.db import db
from cascade.feedback import waiting
from cascade.models import (
    Decline,
    InboxMark,
    Node,
    NodeStatus,
    Note,
    NoteStatus,
    TranslationReview,
    Workspace,
)
from cascade.organisation.policy import Actor
from cascade.strategy.outline import Entry, Strategy, UnitRow


@dataclass
class Inbox:
    units: list[UnitRow]
    awaiting: list[tuple[UnitRow, Entry]] = field(default_factory=list)
    stale: list[Entry] = field(default_factory=list)
    to_answer: list[Note] = field(default_factory=list)
    answers: list[Note] = field(default_factory=list)
    reviews: list[Entry] = field(default_factory=list)  # proposed translations to review
    sent_back: list[TranslationReview] = field(default_factory=list)  # unseen answers
    cut: datetime | None = None  # waiting notes created before it are overdue

    @property
    def total(self) -> int:
        """Everything that waits on this person: each section's count, summed; it reaches
        zero when every item is translated, declined, reviewed, answered or seen."""
        return (len(self.awaiting) + len(self.stale) + len(self.to_answer) + len(self.answers)
                + len(self.reviews) + len(self.sent_back))

    @property
    def overdue(self) -> list[Note]:
        return [n for n in self.to_answer if self.cut and waiting.is_overdue(n, self.cut)]

    @property
    def answer_items(self) -> str:
        """The answers shown, as the inbox marks name them, for "Mark all seen"."""
        return " ".join(f"note:{n.id}" for n in self.answers)

    @property
    def empty(self) -> bool:
        return self.total == 0


def build_inbox(ws: Workspace, strategy: Strategy, actor: Actor, cut: datetime,
                recent_answers: int = 20) -> Inbox:
    """Parents awaiting translation, stale translations, notes waiting for the units' answer
    (`feedback.waiting`: the overview counts the same), answers received; notes created
    before `cut` that still wait are overdue."""
    units = [u for u in strategy.unit_list() if actor.belongs_to(u.id) and not u.archived]
    inbox = Inbox(units=units, cut=cut)
    mine = {u.id for u in units}
    declined = declined_pairs(ws, mine)
    for unit in units:
        for entry in strategy.nodes.values():
            if (entry.unit_id == unit.parent_id and entry.status == NodeStatus.AGREED
                    and (entry.id, unit.id) not in declined
                    and not any(c.unit_id == unit.id for c in entry.live_children)):
                inbox.awaiting.append((unit, entry))
    inbox.reviews = [e for e in strategy.nodes.values()
                     if e.status == NodeStatus.PROPOSED and e.is_translation
                     and e.parent.unit_id in mine and actor.leads(e.unit_id)]
    seen = _seen(actor.person_id)
    inbox.stale = [e for e in strategy.nodes.values()
                   if e.unit_id in mine and e.status != NodeStatus.RETIRED and e.stale]
    if mine:
        inbox.to_answer = list(db.session.scalars(
            sa.select(Note).join(Node, Node.id == Note.node_id)
            .where(Node.unit_id.in_(mine), Note.workspace_id == ws.id, waiting.waiting_clause())
            .options(joinedload(Note.node), joinedload(Note.author), joinedload(Note.unit))
            .order_by(Note.created_at)))
        inbox.sent_back = list(db.session.scalars(
            sa.select(TranslationReview).join(Node, Node.id == TranslationReview.node_id)
            .where(TranslationReview.workspace_id == ws.id, Node.unit_id.in_(mine),
                   ~sa.exists().where(seen, InboxMark.item == sa.literal("review:")
                                      + sa.cast(TranslationReview.id, sa.String)))
            .options(joinedload(TranslationReview.node), joinedload(TranslationReview.person))
            .order_by(TranslationReview.id.desc())))
    inbox.answers = list(db.session.scalars(
        sa.select(Note).where(Note.author_id == actor.person_id,
                              Note.workspace_id == ws.id,
                              Note.status != NoteStatus.OPEN,
                              ~sa.exists().where(seen, InboxMark.item == sa.literal("note:")
                                                 + sa.cast(Note.id, sa.String)))
        .options(joinedload(Note.node), joinedload(Note.responded_by))
        .order_by(Note.responded_at.desc().nulls_last(), Note.id.desc()).limit(recent_answers)))
    return inbox


def _seen(person_id: int | None):
    """The condition for this person's inbox marks (items marked seen leave the inbox)."""
    return InboxMark.person_id == person_id


def declined_pairs(ws: Workspace, units: set[int]) -> set[tuple[int, int]]:
    """(parent node id, unit id) for each "not for us" of these units, in one query."""
    if not units:
        return set()
    return set(db.session.execute(sa.select(Decline.node_id, Decline.unit_id).where(
        Decline.workspace_id == ws.id, Decline.unit_id.in_(units))).all())

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
from cascade.models import Node, NodeStatus, Note, NoteStatus, Workspace
from cascade.organisation.policy import Actor
from cascade.strategy.outline import Entry, Strategy, UnitRow


@dataclass
class Inbox:
    units: list[UnitRow]
    awaiting: list[tuple[UnitRow, Entry]] = field(default_factory=list)
    stale: list[Entry] = field(default_factory=list)
    to_answer: list[Note] = field(default_factory=list)
    answers: list[Note] = field(default_factory=list)
    cut: datetime | None = None  # waiting notes created before it are overdue

    @property
    def overdue(self) -> list[Note]:
        return [n for n in self.to_answer if self.cut and waiting.is_overdue(n, self.cut)]

    @property
    def empty(self) -> bool:
        return not (self.awaiting or self.stale or self.to_answer or self.answers)


def build_inbox(ws: Workspace, strategy: Strategy, actor: Actor, cut: datetime,
                recent_answers: int = 20) -> Inbox:
    """Parents awaiting translation, stale translations, notes waiting for the units' answer
    (`feedback.waiting`: the overview counts the same), answers received; notes created
    before `cut` that still wait are overdue."""
    units = [u for u in strategy.unit_list() if actor.belongs_to(u.id) and not u.archived]
    inbox = Inbox(units=units, cut=cut)
    mine = {u.id for u in units}
    for unit in units:
        for entry in strategy.nodes.values():
            if (entry.unit_id == unit.parent_id and entry.status == NodeStatus.AGREED
                    and not any(c.unit_id == unit.id for c in entry.live_children)):
                inbox.awaiting.append((unit, entry))
    inbox.stale = [e for e in strategy.nodes.values()
                   if e.unit_id in mine and e.status != NodeStatus.RETIRED and e.stale]
    if mine:
        inbox.to_answer = list(db.session.scalars(
            sa.select(Note).join(Node, Node.id == Note.node_id)
            .where(Node.unit_id.in_(mine), Note.workspace_id == ws.id, waiting.waiting_clause())
            .options(joinedload(Note.node), joinedload(Note.author), joinedload(Note.unit))
            .order_by(Note.created_at)))
    inbox.answers = list(db.session.scalars(
        sa.select(Note).where(Note.author_id == actor.person_id,
                              Note.workspace_id == ws.id,
                              Note.status != NoteStatus.OPEN)
        .options(joinedload(Note.node), joinedload(Note.responded_by))
        .order_by(Note.responded_at.desc().nulls_last(), Note.id.desc()).limit(recent_answers)))
    return inbox

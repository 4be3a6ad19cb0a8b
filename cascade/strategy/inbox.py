"""A person's inbox: what the units they belong to are waiting on, and answers to their notes.

Each section is counted and read a page at a time by SQL (`paging.page_of`): one statement
holds every section's count, then one statement per section reads its page, so a leader of
a 2,000-team organisation runs the same few statements as anyone, and nothing loads every
node of the workspace to find the few that wait on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from cascade import trees
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
    Unit,
    Workspace,
)
from cascade.organisation.policy import Actor
from cascade.paging import Page, page_of
from cascade.strategy import agreements
from cascade.strategy.outline import UnitRow

SECTION = 20  # items per page of each section
SECTIONS = ("requests", "awaiting", "reviews", "sent_back", "stale", "to_answer", "answers")
NOTHING = Page([], 1, SECTION, 0)


@dataclass
class Inbox:
    units: list[UnitRow]
    requests: Page = NOTHING  # dependency requests to answer, then counters to settle
    awaiting: Page = NOTHING  # (UnitRow, parent Node) not yet translated for that unit
    stale: Page = NOTHING  # translations (Node) whose parent moved on
    to_answer: Page = NOTHING  # notes waiting for the units' answer
    answers: Page = NOTHING  # answers to the person's notes, unseen
    reviews: Page = NOTHING  # proposed translations (Node) to review
    sent_back: Page = NOTHING  # unseen answers to the person's translations
    notes: waiting.Counts = field(default_factory=lambda: waiting.Counts(0, 0))
    cut: datetime | None = None  # waiting notes created before it are overdue

    @property
    def total(self) -> int:
        """Everything that waits on this person: each section's count, summed; it reaches
        zero when every item is translated, declined, reviewed, answered or seen."""
        return sum(getattr(self, name).total for name in SECTIONS)

    @property
    def overdue(self) -> list[Note]:
        """The notes shown that are overdue."""
        return [n for n in self.to_answer.items if self.cut and waiting.is_overdue(n, self.cut)]

    @property
    def late(self) -> set[int]:
        return {n.id for n in self.overdue}

    @property
    def answer_items(self) -> str:
        """The answers shown, as the inbox marks name them, for "Mark all seen"."""
        return " ".join(f"note:{n.id}" for n in self.answers.items)

    @property
    def empty(self) -> bool:
        return self.total == 0


def own_units(unit_rows, actor: Actor) -> list[UnitRow]:
    """The active units the person leads or is a member of, in the tree's sibling order."""
    return sorted((UnitRow(*row) for row in unit_rows
                   if actor.belongs_to(row[0]) and not row[4]),
                  key=lambda u: trees.unit_order(u.name, u.archived))


def build_inbox(ws: Workspace, unit_rows, actor: Actor, cut: datetime,
                pages: dict[str, int | None] | None = None, size: int = SECTION) -> Inbox:
    """Dependency requests and counters, parents awaiting translation, translations to
    review, stale translations, notes
    waiting for the units' answer (`feedback.waiting`: the overview counts the same),
    answers received: page `pages[section]` of each (the first by default) of `size`
    items. `unit_rows` are `snapshot.unit_rows` (`g.unit_rows` on a page)."""
    pages = pages or {}
    units = own_units(unit_rows, actor)
    inbox = Inbox(units=units, cut=cut)
    mine = {u.id for u in units}
    led = {row[0] for row in unit_rows if not row[4] and actor.leads(row[0])} if mine \
        else set()
    lists = _sections(ws, actor.person_id, mine, led, len(unit_rows))
    counted = [name for name in SECTIONS if name != "to_answer"]
    notes = waiting.counts_select(ws, cut, mine).subquery()
    figures = db.session.execute(sa.select(
        notes.c.waiting, notes.c.overdue,
        *(sa.select(sa.func.count()).select_from(lists[name].order_by(None).subquery())
          .scalar_subquery() for name in counted))).one()
    inbox.notes = waiting.Counts(int(figures[0]), int(figures[1]))
    totals = dict(zip(counted, figures[2:], strict=True)) | {"to_answer": inbox.notes.waiting}
    for name in SECTIONS:
        setattr(inbox, name, page_of(lists[name].options(*_LOADED[name]), pages.get(name),
                                     size, total=totals[name], rows=name == "awaiting"))
    by_id = {u.id: u for u in units}
    inbox.awaiting = replace(inbox.awaiting, items=[(by_id[uid], node)
                                                    for uid, node in inbox.awaiting.items])
    return inbox


_PARENT = aliased(Node, name="awaiting_parent")  # the node a unit has yet to translate
_NODE = (joinedload(Node.unit), joinedload(Node.parent).joinedload(Node.unit))
_LOADED = {
    "awaiting": (joinedload(_PARENT.unit), joinedload(_PARENT.parent).joinedload(Node.unit)),
    "reviews": _NODE, "stale": _NODE,
    "to_answer": (joinedload(Note.node), joinedload(Note.author), joinedload(Note.unit)),
    "answers": (joinedload(Note.node), joinedload(Note.responded_by)),
    "sent_back": (joinedload(TranslationReview.node), joinedload(TranslationReview.person)),
    "requests": agreements.WAITING_LOADED,
}


def _sections(ws: Workspace, person_id: int | None, mine: set[int], led: set[int],
              units: int) -> dict[str, sa.Select]:
    """Each section's statement, ordered, ending in an id; empty when `mine` is. Who leads
    every one of the `units` (the top's leader) is asked about requests to any unit, not
    through a list of 2,000 ids."""
    seen = InboxMark.person_id == person_id
    everywhere = bool(led) and len(led) == units  # the top's leader leads every unit
    parent, child, parent_unit = aliased(Node), aliased(Node), aliased(Unit)
    return {
        # requests reach the people of the unit asked and the leaders above it, who answer
        "requests": agreements.waiting_select(ws.id, None if everywhere else mine | led),
        # agreed nodes of the unit above each of mine, with no live translation by that
        # unit and no "not for us" from it
        "awaiting": sa.select(Unit.id, _PARENT).select_from(Unit)
        .join(_PARENT, _PARENT.unit_id == Unit.parent_id)
        .where(Unit.id.in_(mine), _PARENT.workspace_id == ws.id,
               _PARENT.status == NodeStatus.AGREED,
               ~sa.exists().where(child.parent_id == _PARENT.id, child.unit_id == Unit.id,
                                  child.status != NodeStatus.RETIRED),
               ~sa.exists().where(Decline.node_id == _PARENT.id, Decline.unit_id == Unit.id))
        .order_by(sa.func.lower(Unit.name), Unit.id, _PARENT.id),
        # proposed translations of my units' nodes, made by units the person leads
        "reviews": sa.select(Node).join(parent, parent.id == Node.parent_id)
        .where(Node.workspace_id == ws.id, Node.status == NodeStatus.PROPOSED,
               parent.unit_id.in_(mine), parent.unit_id != Node.unit_id,
               sa.true() if everywhere else Node.unit_id.in_(led)).order_by(Node.id),
        # `definitions.stale` for my units' nodes (active units: live unless retired)
        "stale": sa.select(Node).join(parent, parent.id == Node.parent_id)
        .join(parent_unit, parent_unit.id == parent.unit_id)
        .where(Node.workspace_id == ws.id, Node.unit_id.in_(mine),
               Node.status != NodeStatus.RETIRED, parent.status != NodeStatus.RETIRED,
               parent_unit.archived.is_(False), Node.parent_revision_seen.is_not(None),
               Node.parent_revision_seen < parent.revision).order_by(Node.id),
        "to_answer": sa.select(Note)
        .where(waiting.on_nodes_of(mine), Note.workspace_id == ws.id, waiting.waiting_clause())
        .order_by(Note.created_at, Note.id),
        "answers": sa.select(Note).where(
            Note.author_id == person_id, Note.workspace_id == ws.id,
            Note.status != NoteStatus.OPEN,
            ~sa.exists().where(seen, InboxMark.item == sa.literal("note:")
                               + sa.cast(Note.id, sa.String)))
        .order_by(Note.responded_at.desc().nulls_last(), Note.id.desc()),
        "sent_back": sa.select(TranslationReview)
        .join(Node, Node.id == TranslationReview.node_id)
        .where(TranslationReview.workspace_id == ws.id, Node.unit_id.in_(mine),
               ~sa.exists().where(seen, InboxMark.item == sa.literal("review:")
                                  + sa.cast(TranslationReview.id, sa.String)))
        .order_by(TranslationReview.id.desc()),
    }

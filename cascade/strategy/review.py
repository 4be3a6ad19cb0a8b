"""Answers about translations: a parent owner agrees a proposed translation or sends it
back with a reason; a team says a parent is "not for us"; a person marks inbox items seen.
Flush, never commit (the view does)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from cascade import audit
from cascade.db import db
from cascade.feedback.operations import leave_note
from cascade.models import (
    Decline,
    InboxMark,
    Node,
    NodeStatus,
    NoteKind,
    Person,
    Stance,
    TranslationReview,
    Unit,
)
from cascade.refusals import Refusal
from cascade.strategy.operations import set_status

# The stances a "not for us" may take: a question to the parent's owners, or a concern.
DECLINE_STANCES = (Stance.QUESTION, Stance.CONCERN)


def is_translation(node: Node) -> bool:
    return node.parent is not None and node.parent.unit_id != node.unit_id


def send_back(node: Node, reason: str, *, by: Person, now: datetime) -> TranslationReview:
    """Back to draft, with the reviewer's reason recorded for the team's inbox."""
    if not is_translation(node) or node.status != NodeStatus.PROPOSED:
        raise Refusal("reason", "Only a proposed translation can be sent back.")
    if not reason.strip():
        raise Refusal("reason", "Say why, so the team knows what to change.")
    set_status(node, NodeStatus.DRAFT, by=by, now=now)
    review = TranslationReview(workspace_id=node.workspace_id, node_id=node.id,
                               revision=node.revision, reason=reason.strip(), person_id=by.id)
    db.session.add(review)
    db.session.flush()
    audit.record(by, node.workspace_id, "node.send_back", "node", node.key,
                 after={"reason": review.reason, "revision": node.revision})
    return review


def decline(parent: Node, unit: Unit, *, reason: str, stance: str, by: Person) -> Decline:
    """`unit` will not translate `parent`: it leaves the unit's inbox, and the reason goes up
    to the parent's owners as a coherence note with the stance the team chose."""
    if stance not in DECLINE_STANCES:
        raise Refusal("stance", "Choose question or concern.")
    if not reason.strip():
        raise Refusal("reason", "Say why this is not for your unit.")
    if db.session.scalar(sa.select(Decline.id).where(Decline.node_id == parent.id,
                                                     Decline.unit_id == unit.id)):
        raise Refusal("unit", f"{unit.name} has already said this is not for them.")
    note = leave_note(parent, by, unit, kind=NoteKind.COHERENCE, stance=stance,
                      body=f"Not for {unit.name}: {reason.strip()}")
    found = Decline(workspace_id=parent.workspace_id, node_id=parent.id, unit_id=unit.id,
                    reason=reason.strip(), note_id=note.id, person_id=by.id)
    db.session.add(found)
    db.session.flush()
    audit.record(by, parent.workspace_id, "node.decline", "node", parent.key,
                 after={"unit": unit.key, "reason": found.reason, "note": note.id})
    return found


def mark_seen(workspace_id: int, person: Person, items: Iterable[str]) -> int:
    """Mark inbox items seen for this person (already marked ones stay); returns how many
    were new."""
    wanted = set(items)
    if not wanted:
        return 0
    known = set(db.session.scalars(sa.select(InboxMark.item).where(
        InboxMark.person_id == person.id, InboxMark.item.in_(wanted))))
    for item in sorted(wanted - known):
        db.session.add(InboxMark(workspace_id=workspace_id, person_id=person.id, item=item))
    db.session.flush()
    return len(wanted - known)

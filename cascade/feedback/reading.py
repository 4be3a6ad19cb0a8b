"""Reading the bottom-up flow: notes grouped by kind, stance mixes and the open-notes list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade.db import db
from cascade.feedback import waiting
from cascade.models import Node, Note, Unit, Workspace
from cascade.vocabulary import NOTE_KINDS, STANCES, UNRESOLVED

SORTS = {
    "age": (Note.created_at.asc(), Note.id),
    "kind": (Note.kind, Note.created_at),
    "stance": (sa.case({s: i for i, s in enumerate(reversed(STANCES))}, value=Note.stance),
               Note.created_at),
    "unit": (Unit.name, Note.created_at),
}


@dataclass(frozen=True)
class Segment:
    stance: str
    count: int
    x: float
    width: float


@dataclass
class KindGroup:
    kind: str
    notes: list[Note]
    counts: dict[str, int]
    mix: list[Segment]

    @property
    def summary(self) -> str:
        """"2 support, 1 blocker": the range of stances, never a single average."""
        return ", ".join(f"{count} {stance}" for stance, count in self.counts.items() if count)


def stance_counts(stances) -> dict[str, int]:
    counts = dict.fromkeys(STANCES, 0)
    for stance in stances:
        counts[str(stance)] += 1
    return counts


def stance_mix(counts: dict[str, int], width: int = 120) -> list[Segment]:
    """A stacked bar of stances, as rectangles for an inline SVG (no style attributes needed)."""
    total = sum(counts.values())
    segments, x = [], 0.0
    for stance in STANCES:
        count = counts.get(stance, 0)
        if count:
            share = round(width * count / total, 2)
            segments.append(Segment(stance, count, round(x, 2), share))
            x += share
    return segments


def group_by_kind(notes: list[Note]) -> list[KindGroup]:
    """Notes in the kinds' fixed order, each group with its counts per stance."""
    groups = []
    for kind in NOTE_KINDS:
        mine = [n for n in notes if n.kind == kind]
        if mine:
            counts = stance_counts(n.stance for n in mine)
            groups.append(KindGroup(kind, mine, counts, stance_mix(counts)))
    return groups


def open_notes(ws: Workspace, *, kind: str = "", stance: str = "", unit: str = "",
               older_than: int | None = None, sort: str = "age", now: datetime,
               also_acknowledged: bool = False, owners: set[int] | None = None) -> list[Note]:
    """Notes waiting for an answer (`feedback.waiting`), or with `also_acknowledged` every
    unresolved one (open or acknowledged), on the nodes of the `owners` units (None: any),
    filtered and sorted, in one query."""
    which = Note.status.in_(UNRESOLVED) if also_acknowledged else waiting.waiting_clause()
    query = (sa.select(Note).join(Node, Node.id == Note.node_id)
             .outerjoin(Unit, Unit.id == Note.unit_id)
             .where(Note.workspace_id == ws.id, which)
             .options(joinedload(Note.node), joinedload(Note.unit), joinedload(Note.author)))
    if owners is not None:
        query = query.where(Node.unit_id.in_(owners))
    if kind in NOTE_KINDS:
        query = query.where(Note.kind == kind)
    if stance in STANCES:
        query = query.where(Note.stance == stance)
    if unit:
        query = query.where(Unit.key == unit)
    if older_than:
        cutoff = now - timedelta(days=older_than)
        query = query.where(Note.created_at < cutoff)
    return list(db.session.scalars(query.order_by(*SORTS.get(sort, SORTS["age"]))))

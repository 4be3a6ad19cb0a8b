"""Reading the bottom-up flow: notes grouped by kind, stance mixes and the Feedback page's
counts and pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade.db import db
from cascade.feedback import waiting
from cascade.models import Note, Unit, Workspace
from cascade.paging import PAGE_SIZE, Page, page_of
from cascade.vocabulary import NOTE_KINDS, STANCES, UNRESOLVED

# each order ends in the id, so notes that tie keep one order and paging never skips one
SORTS = {
    "age": (Note.created_at.asc(), Note.id),
    "kind": (Note.kind, Note.created_at, Note.id),
    "stance": (sa.case({s: i for i, s in enumerate(reversed(STANCES))}, value=Note.stance),
               Note.created_at, Note.id),
    "unit": (Unit.name, Note.created_at, Note.id),
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


@dataclass(frozen=True)
class FeedbackCounts:
    """The Feedback page's figures for every note its filters select, not just one page."""
    total: int
    waiting: int
    overdue: int
    kinds: dict[str, int]
    stances: dict[str, int]


@dataclass(frozen=True)
class FeedbackPage:
    counts: FeedbackCounts
    page: Page
    late: set[int]  # ids of the notes shown that are overdue


def _selection(ws: Workspace, *, kind: str = "", stance: str = "", unit: Unit | None = None,
               older_than: int | None = None, now: datetime,
               also_acknowledged: bool = False, owners: set[int] | None = None) -> list:
    """The WHERE clauses of the Feedback page's filters."""
    which = Note.status.in_(UNRESOLVED) if also_acknowledged else waiting.waiting_clause()
    clauses = [Note.workspace_id == ws.id, which]
    if owners is not None:
        clauses.append(waiting.on_nodes_of(owners))
    if kind in NOTE_KINDS:
        clauses.append(Note.kind == kind)
    if stance in STANCES:
        clauses.append(Note.stance == stance)
    if unit is not None:
        clauses.append(Note.unit_id == unit.id)
    if older_than:
        clauses.append(Note.created_at < now - timedelta(days=older_than))
    return clauses


def _notes(ids: list[int]) -> list[Note]:
    return list(db.session.scalars(sa.select(Note).where(Note.id.in_(ids)).options(
        joinedload(Note.node), joinedload(Note.unit), joinedload(Note.author))))


def feedback_page(ws: Workspace, *, cut: datetime, sort: str = "age", page: int | None = 1,
                  size: int = PAGE_SIZE, **filters) -> FeedbackPage:
    """Notes waiting for an answer (`feedback.waiting`), or with `also_acknowledged` every
    unresolved one, on the nodes of the `owners` units (None: any), filtered: their counts
    per kind and stance (waiting and overdue among them) by one aggregate, then one page in
    the chosen order, ties broken by id."""
    clauses = _selection(ws, **filters)
    overdue = sa.case((waiting.overdue_clause(cut), 1), else_=0)
    waits = sa.case((waiting.waiting_clause(), 1), else_=0)
    groups = db.session.execute(
        sa.select(Note.kind, Note.stance, sa.func.count(), sa.func.sum(waits),
                  sa.func.sum(overdue)).where(*clauses).group_by(Note.kind, Note.stance)).all()
    kinds, stances = dict.fromkeys(NOTE_KINDS, 0), dict.fromkeys(STANCES, 0)
    for k, s, n, _, _ in groups:
        kinds[str(k)] = kinds.get(str(k), 0) + n
        stances[str(s)] = stances.get(str(s), 0) + n
    counts = FeedbackCounts(total=sum(g[2] for g in groups),
                            waiting=sum(int(g[3] or 0) for g in groups),
                            overdue=sum(int(g[4] or 0) for g in groups),
                            kinds=kinds, stances=stances)
    order = SORTS.get(sort, SORTS["age"])
    ids = sa.select(Note.id).where(*clauses).order_by(*order)
    if sort == "unit":
        ids = ids.outerjoin(Unit, Unit.id == Note.unit_id)
    shown = page_of(ids, page, size, total=counts.total, load=_notes)
    return FeedbackPage(counts, shown, {n.id for n in shown.items if waiting.is_overdue(n, cut)})

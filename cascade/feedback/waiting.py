"""What "waiting for an answer" and "overdue" mean for notes, for every page that counts them.

The overview, the inbox and the Feedback page all ask this module, so their numbers agree:
a note *waits for an answer* while it is `open` with no response; it is *overdue* when it
is also a concern or blocker created more than `feedback_days` before the end of today,
exactly what UNANSWERED_FEEDBACK raises (`coherence.definitions.awaiting_answer` and
`overdue`, which the engine applies to its snapshot; the SQL here says the same). Counts are
per person (notes on the nodes of the units they belong to) or for the whole workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from cascade.coherence import definitions
from cascade.coherence.graph import as_of_end
from cascade.db import db
from cascade.models import Node, Note, NoteStatus, Workspace
from cascade.organisation.policy import Actor

BLANK = " \t\n\r\f\v"  # what str.strip() removes from a response that says nothing


def cutoff(today: date, feedback_days: int) -> datetime:
    """Notes created before this moment and still waiting are overdue (the engine's cut:
    the end of the as-of day less `feedback_days`)."""
    return as_of_end(today) - timedelta(days=feedback_days)


def waiting_clause():
    """SQL for `definitions.awaiting_answer`: open, and the response missing or blank."""
    return sa.and_(Note.status == NoteStatus.OPEN,
                   sa.or_(Note.response.is_(None), sa.func.trim(Note.response, BLANK) == ""))


def overdue_clause(cut: datetime):
    """SQL for `definitions.overdue`: a concern or blocker waiting since before `cut`."""
    return sa.and_(waiting_clause(), Note.stance.in_(definitions.PRESSING),
                   Note.created_at < cut)


def is_waiting(note: Note) -> bool:
    return definitions.awaiting_answer(str(note.status), note.response)


def is_overdue(note: Note, cut: datetime) -> bool:
    return definitions.overdue(str(note.stance), str(note.status), note.response,
                               note.created_at, cut)


def own_units(actor: Actor, archived: set[int] | frozenset[int] = frozenset()) -> set[int]:
    """The units whose notes a person answers: those they lead or are a member of, active."""
    return {u for u in actor.roles if actor.belongs_to(u) and u not in archived}


@dataclass(frozen=True)
class Counts:
    waiting: int
    overdue: int


def counts_select(ws: Workspace, cut: datetime, owners: set[int] | None = None) -> sa.Select:
    """The statement behind `counts` (columns `waiting`, `overdue`), for a page that reads
    these figures in one statement with its own."""
    query = (sa.select(sa.func.count().label("waiting"),
                       sa.func.coalesce(sa.func.sum(sa.case((overdue_clause(cut), 1),
                                                            else_=0)), 0).label("overdue"))
             .select_from(Note).where(Note.workspace_id == ws.id, waiting_clause()))
    if owners is not None:
        query = query.where(on_nodes_of(owners))
    return query


def on_nodes_of(owners: set[int]):
    """Notes on the nodes of these units: as a subquery of node ids, which lets SQLite
    start from the units' few nodes rather than every open note (4x faster at 20,000)."""
    return Note.node_id.in_(sa.select(Node.id).where(Node.unit_id.in_(owners)))


def counts(ws: Workspace, cut: datetime, owners: set[int] | None = None) -> Counts:
    """Notes waiting for an answer and how many of them are overdue, in one query: on the
    nodes of the `owners` units, or in the whole workspace when `owners` is None."""
    if owners is not None and not owners:
        return Counts(0, 0)
    waiting, late = db.session.execute(counts_select(ws, cut, owners)).one()
    return Counts(int(waiting), int(late))

"""Notes with their answers and replies."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import g
from pydantic import Field
from sqlalchemy.orm import joinedload, selectinload

from cascade.api import bp
from cascade.api import schemas as s
from cascade.api.pages import ListQuery, page
from cascade.api.spec import operation
from cascade.models import Node, Note, Person, Reply, Unit
from cascade.views.load import note_by_id
from cascade.vocabulary import NoteKind, NoteStatus, Stance

NotePage = s.page_of(s.Note)


class NoteQuery(ListQuery):
    node: s.Key | None = Field(None, description="Only notes on this node (its key).")
    status: NoteStatus | None = None
    kind: NoteKind | None = None
    stance: Stance | None = None


def note_out(note: Note, node_key: str, unit_key: str | None, responder: str | None,
             replies: Iterable[Reply]) -> s.Note:
    return s.Note(
        id=note.id, node=node_key, kind=str(note.kind), stance=str(note.stance), body=note.body,
        hypothesis=note.hypothesis, measure=note.measure, learned=note.learned,
        status=str(note.status), author=note.byline, unit=unit_key, response=note.response,
        responded_by=responder, responded_at=note.responded_at,
        incorporated_revision=note.incorporated_revision, created_at=note.created_at,
        updated_at=note.updated_at, version=note.version,
        replies=[s.ReplyOut(id=r.id, author=r.author.name if r.author else None, body=r.body,
                            created_at=r.created_at) for r in replies])


@operation(bp, "/w/<workspace>/notes", "GET", summary="Notes, with their answers and replies",
           scope="read", action="note.view", query=NoteQuery, response=NotePage,
           tags=("feedback",))
def notes(query: NoteQuery):
    responder = sa.orm.aliased(Person)
    statement = (sa.select(Note, Node.key, Unit.key, responder.name)
                 .join(Node, Node.id == Note.node_id)
                 .outerjoin(Unit, Unit.id == Note.unit_id)
                 .outerjoin(responder, responder.id == Note.responded_by_id)
                 .where(Note.workspace_id == g.workspace.id)
                 .options(joinedload(Note.author),
                          selectinload(Note.replies).joinedload(Reply.author)))
    for name in ("status", "kind", "stance"):
        if (value := getattr(query, name)) is not None:
            statement = statement.where(getattr(Note, name) == value)
    if query.node:
        statement = statement.where(Node.key == query.node)
    rows, following = page(statement, Note.id, query, Note.updated_at)
    return NotePage(items=[note_out(n, node, unit, who, n.replies)
                           for n, node, unit, who in rows], next=following)


@operation(bp, "/w/<workspace>/notes/<int(max=2147483647):note_id>", "GET", summary="One note",
           scope="read", action="note.view", load=note_by_id, response=s.Note,
           tags=("feedback",))
def note(found: Note):
    return note_detail(found)


def note_detail(found: Note) -> s.Note:
    return note_out(found, found.node.key, found.unit.key if found.unit else None,
                    found.responded_by.name if found.responded_by else None, found.replies)



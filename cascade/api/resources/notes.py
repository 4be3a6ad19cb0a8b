"""Notes with their answers and replies; leaving, editing, answering and replying."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import sqlalchemy as sa
from flask import g, request
from pydantic import Field
from sqlalchemy.orm import joinedload, selectinload

from cascade.api import bp
from cascade.api import schemas as s
from cascade.api.pages import ListQuery, page
from cascade.api.problems import ApiProblem
from cascade.api.spec import operation
from cascade.db import db
from cascade.feedback import operations as ops
from cascade.models import Node, Note, Person, Reply, Unit
from cascade.refusals import Refusal
from cascade.views.load import node_by_key, note_by_id
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


@operation(bp, "/w/<workspace>/notes/<int:note_id>", "GET", summary="One note",
           scope="read", action="note.view", load=note_by_id, response=s.Note,
           tags=("feedback",))
def note(found: Note):
    return note_detail(found)


def note_detail(found: Note) -> s.Note:
    return note_out(found, found.node.key, found.unit.key if found.unit else None,
                    found.responded_by.name if found.responded_by else None, found.replies)




# ---- writes: the note forms' operations, with their checks ----------------------------

def _speaking_for(unit_key: str | None) -> Unit:
    """The unit the author speaks for: one of their own; theirs when they have only one."""
    mine = list(db.session.scalars(sa.select(Unit).where(
        Unit.id.in_(g.actor.roles), Unit.workspace_id == g.workspace.id).order_by(Unit.name)))
    if unit_key is None and len(mine) == 1:
        return mine[0]
    found = next((u for u in mine if u.key == unit_key), None)
    if found is None:
        raise Refusal("unit", "Say which of your units you speak for: "
                              f"{', '.join(u.key for u in mine)}.")
    return found


def _submission_key() -> str | None:
    """An `Idempotency-Key` header makes a retried request find the note it made."""
    sent = request.headers.get("Idempotency-Key", "").strip()
    if not sent:
        return None
    if len(sent) > 200:
        raise ApiProblem(400, "Idempotency-Key is at most 200 characters.")
    return hashlib.sha256(f"api:{g.person.id}:{sent}".encode("utf-8", "replace")).hexdigest()


@operation(bp, "/w/<workspace>/nodes/<key>/notes", "POST", summary="Leave a note on a node",
           scope="write:notes", action="note.create", load=node_by_key, body=s.NoteCreate,
           response=s.Note, status=201, tags=("feedback",),
           description="Send an Idempotency-Key header to retry safely: the same key finds "
                       "the note made the first time.")
def create_note(found: Node, body: s.NoteCreate):
    key = _submission_key()
    if (earlier := ops.submitted_note(g.person, key)) is not None:
        return note_detail(earlier)
    unit = _speaking_for(body.unit)
    try:
        note = ops.leave_note(found, g.person, unit, kind=body.kind, stance=body.stance,
                              body=body.body, hypothesis=body.hypothesis, measure=body.measure,
                              submission_key=key)
        db.session.commit()
    except sa.exc.IntegrityError:  # the same key, sent twice at once: the other one made it
        db.session.rollback()
        if (note := ops.submitted_note(g.person, key)) is None:
            raise
    return note_detail(note_by_id(note.id))


@operation(bp, "/w/<workspace>/notes/<int:note_id>", "PATCH",
           summary="Edit your own unanswered note", scope="write:notes", action="note.edit",
           load=note_by_id, body=s.NotePatch, response=s.Note, conditional=True,
           tags=("feedback",))
def edit_note(found: Note, body: s.NotePatch):
    ops.edit_note(found, found.version, g.person, body=body.body, hypothesis=body.hypothesis,
                  measure=body.measure)
    db.session.commit()
    return note_detail(note_by_id(found.id))


@operation(bp, "/w/<workspace>/notes/<int:note_id>/answer", "POST",
           summary="Answer a note on a node you own", scope="write:notes",
           action="note.answer", load=note_by_id, body=s.NoteAnswer, response=s.Note,
           tags=("feedback",))
def answer_note(found: Note, body: s.NoteAnswer):
    ops.answer_note(found, g.person, status=body.status, response=body.response,
                    revision=body.revision)
    db.session.commit()
    return note_detail(note_by_id(found.id))


@operation(bp, "/w/<workspace>/notes/<int:note_id>/replies", "POST",
           summary="Reply under a note", scope="write:notes", action="note.reply",
           load=note_by_id, body=s.ReplyCreate, response=s.Note, status=201,
           tags=("feedback",))
def reply_to_note(found: Note, body: s.ReplyCreate):
    ops.reply(found, g.person, body.body)
    db.session.commit()
    return note_detail(note_by_id(found.id))

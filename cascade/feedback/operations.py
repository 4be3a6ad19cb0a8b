"""The bottom-up flow: leaving, editing and answering notes, and replying under them."""

from __future__ import annotations

import sqlalchemy as sa

from cascade import audit
from cascade.db import db, utcnow
from cascade.models import Node, Note, NoteEdit, NoteKind, NoteStatus, Person, Reply, Unit
from cascade.notifications.events import emit
from cascade.refusals import Conflict, Refusal
from cascade.vocabulary import EventKind

# open -> acknowledged -> incorporated | declined; owners may also answer an open note outright.
ANSWERS: dict[str, tuple[str, ...]] = {
    NoteStatus.OPEN: (NoteStatus.ACKNOWLEDGED, NoteStatus.INCORPORATED, NoteStatus.DECLINED),
    NoteStatus.ACKNOWLEDGED: (NoteStatus.INCORPORATED, NoteStatus.DECLINED),
}


def _experiment_fields(kind: str, hypothesis: str, measure: str) -> tuple[str | None, str | None]:
    if kind != NoteKind.EXPERIMENT:
        return None, None
    if not hypothesis.strip():
        raise Refusal("hypothesis", "An experiment note needs a hypothesis.")
    if not measure.strip():
        raise Refusal("measure", "Say how the experiment will be measured.")
    return hypothesis.strip(), measure.strip()


def leave_note(node: Node, author: Person, unit: Unit | None, *, kind: str, stance: str,
               body: str, hypothesis: str = "", measure: str = "",
               submission_key: str | None = None) -> Note:
    """A new open note, recording the unit its author speaks for. `submission_key` is the
    form's own key: the same form sent again finds this note (`submitted_note`)."""
    hypothesis_text, measure_text = _experiment_fields(kind, hypothesis, measure)
    note = Note(workspace_id=node.workspace_id, node=node, author=author, unit=unit,
                kind=kind, stance=stance, body=body.strip(), hypothesis=hypothesis_text,
                measure=measure_text, status=NoteStatus.OPEN, submission_key=submission_key)
    db.session.add(note)
    db.session.flush()
    audit.record(author, node.workspace_id, "note.create", "note", note.id,
                 after={"node": node.key, "kind": kind, "stance": stance,
                        "unit": unit.key if unit is not None else None})
    emit(EventKind.NOTE_CREATED, author, node.workspace_id, node=node, note=note,
         kind=str(kind), stance=str(stance),
         author_unit=unit.name if unit is not None else None)
    return note


def submitted_note(author: Person, submission_key: str | None) -> Note | None:
    """The note this author already made from the form with this key, if any."""
    if not submission_key:
        return None
    return db.session.scalar(sa.select(Note).where(Note.submission_key == submission_key,
                                                   Note.author_id == author.id))


def edit_note(note: Note, loaded_version: int, editor: Person, *, body: str,
              hypothesis: str = "", measure: str = "") -> bool:
    """Change an unanswered note, keeping the text it replaces; returns whether anything changed."""
    if loaded_version != note.version:
        raise Conflict()
    if note.status != NoteStatus.OPEN:
        raise Refusal("body", "This note has been answered and can no longer be edited.")
    hypothesis_text, measure_text = _experiment_fields(str(note.kind), hypothesis, measure)
    new = {"body": body.strip(), "hypothesis": hypothesis_text, "measure": measure_text}
    before, after = audit.changes(note, list(new), new)
    if not before:
        return False
    note.edits.append(NoteEdit(body=note.body, hypothesis=note.hypothesis, measure=note.measure,
                               editor_id=editor.id))
    note.body, note.hypothesis, note.measure = new["body"], hypothesis_text, measure_text
    db.session.flush()
    audit.record(editor, note.workspace_id, "note.edit", "note", note.id, before, after)
    return True


def record_learning(note: Note, learned: str, *, by: Person | None) -> None:
    """What an experiment taught, added when it is known (also after the note is answered)."""
    before = note.learned
    note.learned = learned.strip()
    db.session.flush()
    audit.record(by, note.workspace_id, "note.learned", "note", note.id,
                 {"learned": before}, {"learned": note.learned})


def answer_note(note: Note, person: Person, *, status: str, response: str,
                revision: int | None = None) -> None:
    """The owners' answer; incorporating or declining needs words, and incorporating may
    name the revision of the node that took the note in."""
    current = str(note.status)
    if status not in ANSWERS.get(current, ()):
        raise Refusal("status", f"An {current} note cannot become {status}.")
    if status in (NoteStatus.INCORPORATED, NoteStatus.DECLINED) and not response.strip():
        raise Refusal("response", "Say why: the author reads this answer in their inbox.")
    if revision and not (status == NoteStatus.INCORPORATED
                         and 1 <= revision <= note.node.revision):
        raise Refusal("revision", "Only an incorporated note points at a revision of its node.")
    note.status = NoteStatus(status)
    note.response = response.strip() or note.response
    note.incorporated_revision = revision or None
    note.responded_by = person
    note.responded_at = utcnow()
    db.session.flush()
    audit.record(person, note.workspace_id, "note.answer", "note", note.id, {"status": current},
                 {"status": status, "response": note.response, "revision": revision or None})
    emit(EventKind.NOTE_ANSWERED, person, note.workspace_id, node=note.node, note=note,
         before=current, status=status, stance=str(note.stance))


def reply(note: Note, author: Person, body: str) -> Reply:
    """Plain conversation under a note; it changes nothing about the note itself."""
    entry = Reply(note=note, author=author, body=body.strip())
    db.session.add(entry)
    db.session.flush()
    audit.record(author, note.workspace_id, "note.reply", "note", note.id,
                 after={"reply": entry.id})
    emit(EventKind.NOTE_REPLY, author, note.workspace_id, node=note.node, note=note,
         reply=entry.id)
    return entry

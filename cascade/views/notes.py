"""Notes on nodes: leaving, editing, answering and replying, and the workspace feedback page."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from cascade.access import allow, requires, workspace_blueprint
from cascade.db import db
from cascade.feedback import operations as ops
from cascade.feedback.reading import open_notes
from cascade.findings.analysis import settings_for
from cascade.forms.notes import (
    AnswerForm,
    EditNoteForm,
    FeedbackFilterForm,
    LearnedForm,
    NoteForm,
    ReplyForm,
)
from cascade.models import Node, Note, Reply, Unit
from cascade.refusals import Conflict, Refusal

bp = workspace_blueprint("notes", __name__)


def _note(note_id: int) -> Note:
    note = db.session.scalar(sa.select(Note).where(
        Note.id == note_id, Note.workspace_id == g.workspace.id).options(
        joinedload(Note.node), joinedload(Note.author), joinedload(Note.unit),
        selectinload(Note.replies).joinedload(Reply.author),
        selectinload(Note.edits)))
    if note is None:
        abort(404)
    return note


def _my_units() -> list[Unit]:
    return list(db.session.scalars(sa.select(Unit).where(
        Unit.id.in_(g.actor.roles), Unit.workspace_id == g.workspace.id).order_by(Unit.name)))


def _answer_form(note: Note) -> AnswerForm:
    form = AnswerForm()
    form.revision.choices = [SelectChoice(0, "No particular revision")] + [
        SelectChoice(r, f"Revision {r}") for r in range(note.node.revision, 0, -1)]
    return form


@bp.route("/nodes/<key>/notes", methods=["POST"])
@requires("note.create")
def create(key):
    node = db.session.scalar(sa.select(Node).where(Node.workspace_id == g.workspace.id,
                                                   Node.key == key))
    if node is None:
        abort(404)
    form = NoteForm()
    units = _my_units()
    form.unit.choices = [SelectChoice(u.id, u.name) for u in units]
    if form.validate_on_submit():
        unit = next(u for u in units if u.id == form.unit.data)
        note = ops.leave_note(node, current_user, unit, kind=form.kind.data,
                              stance=form.stance.data, body=form.body.data,
                              hypothesis=form.hypothesis.data or "",
                              measure=form.measure.data or "")
        db.session.commit()
        flash("Your note is on the node; its owners will answer it.", "success")
        return redirect(url_for("nodes.show", key=key, _anchor=f"note-{note.id}"))
    return render_template("notes/new.html", form=form, node=node)


@bp.route("/notes/<int:note_id>")
@requires("workspace.view")
def show(note_id):
    note = _note(note_id)
    learned = LearnedForm(learned=note.learned)
    return render_template("notes/show.html", note=note, answer=_answer_form(note),
                           reply=ReplyForm(), learned=learned)


@bp.route("/notes/<int:note_id>/edit", methods=["GET", "POST"])
@requires("workspace.view")
def edit(note_id):
    note = _note(note_id)
    allow("note.edit", note)
    form = EditNoteForm(obj=note)
    if form.validate_on_submit():
        try:
            ops.edit_note(note, form.version.data, current_user, body=form.body.data,
                          hypothesis=form.hypothesis.data or "", measure=form.measure.data or "")
            db.session.commit()
        except (Conflict, StaleDataError):
            db.session.rollback()
            current = _note(note_id)
            form.version.data, form.version.raw_data = current.version, [str(current.version)]
            return render_template("notes/conflict.html", form=form, note=current), 409
        except Refusal as error:
            error.show_on(form)
        else:
            flash("Note saved; the earlier text is kept in its history.", "success")
            return redirect(url_for("notes.show", note_id=note.id))
    return render_template("notes/edit.html", form=form, note=note)


@bp.route("/notes/<int:note_id>/answer", methods=["POST"])
@requires("workspace.view")
def answer(note_id):
    note = _note(note_id)
    allow("note.answer", note)
    form = _answer_form(note)
    if form.validate_on_submit():
        try:
            ops.answer_note(note, current_user, status=form.status.data,
                            response=form.response.data or "", revision=form.revision.data)
        except Refusal as error:
            error.show_on(form)
        else:
            db.session.commit()
            flash(f"Note {note.status}; its author will see your answer.", "success")
            return redirect(url_for("notes.show", note_id=note.id))
    return render_template("notes/show.html", note=note, answer=form, reply=ReplyForm(),
                           learned=LearnedForm(learned=note.learned))


@bp.route("/notes/<int:note_id>/learned", methods=["POST"])
@requires("workspace.view")
def learned(note_id):
    note = _note(note_id)
    allow("note.learn", note)
    form = LearnedForm()
    if form.validate_on_submit():
        ops.record_learning(note, form.learned.data)
        db.session.commit()
        flash("What you learned is recorded on the experiment.", "success")
    else:
        flash("Write what the experiment taught you.", "error")
    return redirect(url_for("notes.show", note_id=note.id))


@bp.route("/notes/<int:note_id>/replies", methods=["POST"])
@requires("note.reply")
def reply(note_id):
    note = _note(note_id)
    form = ReplyForm()
    if form.validate_on_submit():
        ops.reply(note, current_user, form.body.data)
        db.session.commit()
        flash("Reply posted.", "success")
    else:
        flash("A reply needs some words.", "error")
    target = request.form.get("back") == "node"
    return redirect(url_for("nodes.show", key=note.node.key, _anchor=f"note-{note.id}")
                    if target else url_for("notes.show", note_id=note.id))


@bp.route("/feedback")
@requires("workspace.view")
def feedback():
    form = FeedbackFilterForm(formdata=request.args)
    form.offer(db.session.scalars(sa.select(Unit).where(Unit.workspace_id == g.workspace.id)
                                  .order_by(Unit.name)))
    chosen = form.chosen()
    notes = open_notes(g.workspace, kind=chosen["kind"], stance=chosen["stance"],
                       unit=chosen["unit"], older_than=chosen["older"], sort=chosen["sort"])
    return render_template("notes/feedback.html", notes=notes, form=form, now=datetime.now(UTC),
                           threshold=settings_for(g.workspace).feedback_days)

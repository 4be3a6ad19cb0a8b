"""Notes on nodes: leaving, editing, answering and replying, and the workspace feedback page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.feedback import operations as ops
from cascade.feedback import waiting
from cascade.feedback.reading import feedback_page
from cascade.forms.notes import (
    AnswerForm,
    EditNoteForm,
    FeedbackFilterForm,
    LearnedForm,
    NoteForm,
    ReplyForm,
)
from cascade.models import Node, Note, Unit
from cascade.organisation.settings import settings_for
from cascade.refusals import Conflict, Refusal
from cascade.views.load import node_by_key, note_by_id

bp = workspace_blueprint("notes", __name__)


def _my_units() -> list[Unit]:
    return list(db.session.scalars(sa.select(Unit).where(
        Unit.id.in_(g.actor.roles), Unit.workspace_id == g.workspace.id).order_by(Unit.name)))


def _answer_form(note: Note) -> AnswerForm:
    form = AnswerForm()
    form.revision.choices = [SelectChoice(0, "No particular revision")] + [
        SelectChoice(r, f"Revision {r}") for r in range(note.node.revision, 0, -1)]
    return form


@bp.route("/nodes/<key>/notes", methods=["POST"])
@requires("note.create", load=node_by_key)
def create(node: Node):
    form = NoteForm()
    units = _my_units()
    form.unit.choices = [SelectChoice(u.id, u.name) for u in units]
    if form.validate_on_submit():
        if (earlier := ops.submitted_note(current_user, form.submission_key)) is not None:
            return _noted(earlier)  # the same form sent again: the note exists already
        unit = next(u for u in units if u.id == form.unit.data)
        try:
            note = ops.leave_note(node, current_user, unit, kind=form.kind.data,
                                  stance=form.stance.data, body=form.body.data,
                                  hypothesis=form.hypothesis.data or "",
                                  measure=form.measure.data or "",
                                  submission_key=form.submission_key)
            db.session.commit()
        except IntegrityError:  # the same form, sent twice at once: the other one made it
            db.session.rollback()
            if (earlier := ops.submitted_note(current_user, form.submission_key)) is None:
                raise
            return _noted(earlier)
        flash("Your note is on the node; its owners will answer it.", "success")
        return _noted(note)
    return render_template("notes/new.html", form=form, node=node)


def _noted(note: Note):
    return redirect(url_for("nodes.show", key=note.node.key, _anchor=f"note-{note.id}"))


@bp.route("/notes/<int:note_id>")
@requires("note.view", load=note_by_id)
def show(note: Note):
    learned = LearnedForm(learned=note.learned)
    return render_template("notes/show.html", note=note, answer=_answer_form(note),
                           reply=ReplyForm(), learned=learned)


@bp.route("/notes/<int:note_id>/edit", methods=["GET", "POST"])
@requires("note.edit", load=note_by_id)
def edit(note: Note):
    form = EditNoteForm(obj=note)
    if form.validate_on_submit():
        try:
            ops.edit_note(note, form.version.data, current_user, body=form.body.data,
                          hypothesis=form.hypothesis.data or "", measure=form.measure.data or "")
            db.session.commit()
        except (Conflict, StaleDataError):
            db.session.rollback()
            current = note_by_id(note.id)
            form.version.data, form.version.raw_data = current.version, [str(current.version)]
            return render_template("notes/conflict.html", form=form, note=current), 409
        except Refusal as error:
            error.show_on(form)
        else:
            flash("Note saved; the earlier text is kept in its history.", "success")
            return redirect(url_for("notes.show", note_id=note.id))
    return render_template("notes/edit.html", form=form, note=note)


@bp.route("/notes/<int:note_id>/answer", methods=["POST"])
@requires("note.answer", load=note_by_id)
def answer(note: Note):
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
@requires("note.learn", load=note_by_id)
def learned(note: Note):
    form = LearnedForm()
    if form.validate_on_submit():
        ops.record_learning(note, form.learned.data, by=current_user)
        db.session.commit()
        flash("What you learned is recorded on the experiment.", "success")
    else:
        flash("Write what the experiment taught you.", "error")
    return redirect(url_for("notes.show", note_id=note.id))


@bp.route("/notes/<int:note_id>/replies", methods=["POST"])
@requires("note.reply", load=note_by_id)
def reply(note: Note):
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
@requires("note.view")
def feedback():
    form = FeedbackFilterForm(formdata=request.args)
    form.offer(g.workspace)
    chosen = form.chosen()
    author_unit = getattr(form.unit, "unit", None) if chosen["unit"] else None
    days = settings_for(g.workspace).feedback_days
    shown = feedback_page(g.workspace, kind=chosen["kind"], stance=chosen["stance"],
                          unit=author_unit, older_than=chosen["older"], sort=chosen["sort"],
                          now=clock.now(), also_acknowledged=chosen["show"] == "unresolved",
                          owners=_owners(chosen["on"]), page=chosen["page"],
                          cut=waiting.cutoff(clock.today(), days))
    return render_template("notes/feedback.html", shown=shown, form=form, now=clock.now(),
                           threshold=days, args=form.kept("page"))


def _owners(on: str) -> set[int] | None:
    """The units whose nodes the Feedback page lists notes on: the viewer's own ("mine"),
    one unit by key, or any (None)."""
    if on == "mine":
        return waiting.own_units(g.actor, g.actor.archived)
    if on:
        return {uid for uid, key, *_ in g.unit_rows if key == on}
    return None

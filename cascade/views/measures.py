"""Measures on a node: create, edit, retire or restore, and check in in one step."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.forms import EmptyForm
from cascade.forms.measures import CheckInForm, MeasureForm
from cascade.horizons import HINT, period
from cascade.measures import operations as ops
from cascade.models import Measure, Node
from cascade.refusals import Conflict, Refusal
from cascade.views.load import measure_by_id, node_by_key
from cascade.vocabulary import MeasureStatus

bp = workspace_blueprint("measures", __name__)


def _back(node: Node):
    return redirect(url_for("nodes.show", key=node.key, _anchor="measures"))


def _dates_help(node: Node) -> str:
    found = period(node.horizon)
    if found is None:
        return "This node's horizon names no period, so give both dates. " + HINT
    return (f"Leave empty to follow the horizon {node.horizon}: from {found.start.isoformat()} "
            f"to {found.end.isoformat()}.")


@bp.route("/nodes/<key>/measures/new", methods=["GET", "POST"])
@requires("measure.create", load=node_by_key)
def new(node: Node):
    form = MeasureForm()
    if form.validate_on_submit():
        try:
            measure = ops.create_measure(node, form.values(), by=current_user)
        except Refusal as error:
            error.show_on(form)
        else:
            db.session.commit()
            flash(f"“{measure.name}” now shows how “{node.title}” progresses.", "success")
            return _back(node)
    return render_template("measures/form.html", form=form, node=node, measure=None,
                           dates_help=_dates_help(node))


@bp.route("/measures/<int:measure_id>/edit", methods=["GET", "POST"])
@requires("measure.edit", load=measure_by_id)
def edit(measure: Measure):
    form = MeasureForm(obj=measure)
    if form.validate_on_submit():
        try:
            ops.edit_measure(measure, form.version.data, form.values(), by=current_user)
            db.session.commit()
        except (Conflict, StaleDataError):
            db.session.rollback()
            current = measure_by_id(measure.id)
            form.version.data, form.version.raw_data = current.version, [str(current.version)]
            form.name.errors = ["Someone saved this measure meanwhile. Your changes are "
                                "still here: save again to keep them."]
            return render_template("measures/form.html", form=form, node=current.node,
                                   measure=current, dates_help=_dates_help(current.node)), 409
        except Refusal as error:
            error.show_on(form)
        else:
            flash("Measure saved.", "success")
            return _back(measure.node)
    return render_template("measures/form.html", form=form, node=measure.node,
                           measure=measure, dates_help=_dates_help(measure.node))


@bp.route("/measures/<int:measure_id>/status", methods=["POST"])
@requires("measure.edit", load=measure_by_id)
def status(measure: Measure):
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    live = measure.status == MeasureStatus.LIVE
    ops.set_measure_status(measure, MeasureStatus.RETIRED if live else MeasureStatus.LIVE,
                           by=current_user)
    db.session.commit()
    flash(f"“{measure.name}” {'retired; its check-ins stay' if live else 'is live again'}.",
          "success")
    return _back(measure.node)


@bp.route("/measures/<int:measure_id>/check-ins", methods=["POST"])
@requires("measure.check_in", load=measure_by_id)
def check_in(measure: Measure):
    form = CheckInForm()
    back = (redirect(url_for("inbox.show", _anchor="check-ins-heading"))
            if form.back.data == "inbox" else _back(measure.node))
    if not form.validate_on_submit():
        for field in form:
            for error in field.errors:
                flash(f"{field.label.text}: {error}", "error")
        return back
    try:
        ops.record_check_in(measure, form.value.data, confidence=form.confidence.data,
                            comment=(form.comment.data or "").strip(),
                            unit_id=g.actor.reporting_unit(measure.node.unit_id),
                            by=current_user, now=clock.now())
    except Refusal as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"Checked in {form.value.data:g} on “{measure.name}”.", "success")
    return back

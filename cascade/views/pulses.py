"""Alignment pulses: run one, answer it, read the distributions and the panorama."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.findings import history
from cascade.forms import EmptyForm
from cascade.forms.findings import CompareForm
from cascade.forms.pulses import PRIORITIES, PanoramaForm, PulseForm, answer_form
from cascade.models import (
    Node,
    NodeStatus,
    Pulse,
    PulseAnswer,
    PulseStatement,
    Unit,
    pulse_unit,
)
from cascade.organisation.settings import pulse_min_answers
from cascade.organisation.units import unit_tree
from cascade.pulses import charts, reading, results, stats
from cascade.pulses import operations as ops
from cascade.refusals import Refusal
from cascade.views.load import node_by_key, pulse_by_key

bp = workspace_blueprint("pulses", __name__)


@bp.context_processor
def chart_helpers() -> dict:
    return {"charts": charts, "stats": stats, "pulse_state": reading.state, "today": clock.today()}


@bp.route("/pulses")
@requires("pulse.view")
def index():
    pulses = db.session.scalars(
        sa.select(Pulse).where(Pulse.workspace_id == g.workspace.id)
        .options(selectinload(Pulse.node))
        .order_by(Pulse.opens_on.desc().nulls_last(), Pulse.id.desc())).all()
    return render_template("pulses/index.html", pulses=pulses, responses=_responses(pulses),
                           asked=_units_asked(pulses),
                           pending=reading.pending_pulses(g.actor, current_user, g.workspace,
                                                          clock.today()))


@bp.route("/pulses/new", methods=["GET", "POST"])
@requires("pulse.run")
def new():
    form = PulseForm()
    form.offer(_live_nodes(), _units_in_outline())
    if request.method == "GET":
        form.node.data = request.args.get("node", PRIORITIES)
        form.statements.data = "\n".join(ops.DEFAULT_STATEMENTS)
        form.opens_on.data = clock.today()
        form.closes_on.data = clock.today() + timedelta(days=14)
    if form.validate_on_submit():
        try:
            node = node_by_key(form.node.data) if form.node.data else None
            pulse = ops.create_pulse(
                g.workspace, by=current_user, title=form.title.data, node=node,
                texts=form.texts(), units=_units(form.units.data),
                opens_on=form.opens_on.data, closes_on=form.closes_on.data)
        except Refusal as error:
            error.show_on(form)
        else:
            db.session.commit()
            flash(f"Pulse “{pulse.title}” is set up for {len(pulse.units)} units.", "success")
            return redirect(url_for("pulses.show", key=pulse.key))
    return render_template("pulses/new.html", form=form)


@bp.route("/pulses/<key>")
@requires("pulse.view", load=pulse_by_key)
def show(pulse: Pulse):
    about = next((s.node for s in pulse.statements
                  if s.node and s.node.key == request.args.get("node")), None)
    found = results.load_results(pulse, pulse_min_answers(g.workspace), about)
    return render_template("pulses/show.html", pulse=pulse, results=found, about=about,
                           highlight=request.args.get("unit"), close_form=EmptyForm(),
                           can_answer=g.actor.can("pulse.answer", pulse))


@bp.route("/pulses/<key>/answer", methods=["GET", "POST"])
@requires("pulse.answer", load=pulse_by_key)
def answer(pulse: Pulse):
    units = g.actor.answers_for(pulse)
    if not reading.is_open(pulse, clock.today()):
        flash("This pulse is not open for answers.", "warning")
        return redirect(url_for("pulses.show", key=pulse.key))
    form = answer_form(pulse.statements, units, reading.own_answers(pulse, current_user))
    if form.validate_on_submit():
        unit = next((u for u in units if u.id == form.unit.data), units[0])
        try:
            ops.answer_pulse(pulse, current_user, g.actor, unit,
                             form.answers(pulse.statements), clock.today())
        except Refusal as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash("Thank you. Your answers are saved anonymously; you can change them "
                  "until the pulse closes.", "success")
            return redirect(url_for("pulses.index"))
    return render_template("pulses/answer.html", pulse=pulse, form=form, units=units,
                           groups=_by_node(pulse.statements))


@bp.route("/pulses/<key>/close", methods=["POST"])
@requires("pulse.run", load=pulse_by_key)
def close(pulse: Pulse):
    if EmptyForm().validate_on_submit():
        try:
            ops.close_pulse(pulse, clock.today(), by=current_user)
        except Refusal as error:
            flash(str(error), "warning")
        else:
            db.session.commit()
            flash(f"Pulse “{pulse.title}” is closed; its results stay.", "success")
    return redirect(url_for("pulses.show", key=pulse.key))


@bp.route("/pulses/panorama")
@requires("pulse.view")
def panorama():
    choices = results.priority_pulses(g.workspace)
    chosen = next((p for p in choices if p.key == request.args.get("pulse")),
                  choices[0] if choices else None)
    view = (results.load_panorama(chosen, pulse_min_answers(g.workspace),
                                  request.args.get("statement"))
            if chosen else None)
    ws, today = g.workspace, clock.today()
    days = CompareForm(formdata=request.args)
    days.offer(history.recorded_days(ws), today)
    valid = days.validate()
    as_of = (days.as_of.data if valid else None) or today
    against = days.against.data if valid else None
    if view and as_of != today:  # the cells as that day's record holds them
        view.cells = results.panorama_then(view, history.state_on(ws, as_of, today).snapshot)
    then = (results.panorama_then(view, history.state_on(ws, against, today).snapshot)
            if view and against else None)
    return render_template("pulses/panorama.html", panorama=view,
                           form=PanoramaForm.showing(choices, view) if view else None,
                           min_answers=pulse_min_answers(ws), days=days, as_of=as_of,
                           today=today, against=against, then=then), 200 if valid else 400


def _responses(pulses) -> dict[int, int]:
    """Answers per pulse, counted on its most answered statement (about one per person)."""
    per_statement = (sa.select(PulseStatement.pulse_id, sa.func.count(PulseAnswer.id).label("n"))
                     .join(PulseAnswer).where(PulseStatement.pulse_id.in_([p.id for p in pulses]))
                     .group_by(PulseStatement.id, PulseStatement.pulse_id).subquery())
    return dict(db.session.execute(
        sa.select(per_statement.c.pulse_id, sa.func.max(per_statement.c.n))
        .group_by(per_statement.c.pulse_id)).all())


def _units_asked(pulses) -> dict[int, int]:
    """Units asked per pulse, counted by the database: a pulse of a large organisation asks
    hundreds, which the list would otherwise load only to count."""
    return dict(db.session.execute(
        sa.select(pulse_unit.c.pulse_id, sa.func.count())
        .where(pulse_unit.c.pulse_id.in_([p.id for p in pulses]))
        .group_by(pulse_unit.c.pulse_id)).all())


def _live_nodes() -> list[Node]:
    return list(db.session.scalars(
        sa.select(Node).where(Node.workspace_id == g.workspace.id,
                              Node.status != NodeStatus.RETIRED)
        .options(selectinload(Node.unit)).order_by(Node.title)))


def _units_in_outline() -> list[tuple[Unit, int]]:
    return unit_tree(db.session.scalars(sa.select(Unit).where(
        Unit.workspace_id == g.workspace.id, Unit.archived.is_(False))).all())


def _units(ids: list[int]) -> list[Unit]:
    return list(db.session.scalars(sa.select(Unit).where(
        Unit.workspace_id == g.workspace.id, Unit.id.in_(ids or []),
        Unit.archived.is_(False)).order_by(Unit.name)))


def _by_node(statements) -> list[tuple[Node | None, list[PulseStatement]]]:
    groups: list[tuple[Node | None, list[PulseStatement]]] = []
    for s in statements:
        if groups and groups[-1][0] is s.node:
            groups[-1][1].append(s)
        else:
            groups.append((s.node, [s]))
    return groups

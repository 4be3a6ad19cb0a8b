"""Alignment pulses: run one, answer it, read the distributions and the panorama."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from cascade import pulses as ops
from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.forms import EmptyForm
from cascade.forms.pulses import PRIORITIES, PanoramaForm, PulseForm, answer_form
from cascade.models import Node, NodeStatus, Pulse, PulseAnswer, PulseStatement, Unit
from cascade.pulses import charts, stats
from cascade.pulses.results import outline

bp = workspace_blueprint("pulses", __name__)


@bp.context_processor
def chart_helpers() -> dict:
    return {"charts": charts, "stats": stats, "pulse_state": ops.state, "today": ops.today()}


@bp.route("/pulses")
@requires("workspace.view")
def index():
    pulses = db.session.scalars(
        sa.select(Pulse).where(Pulse.workspace_id == g.workspace.id)
        .options(selectinload(Pulse.node), selectinload(Pulse.units))
        .order_by(Pulse.opens_on.desc().nulls_last(), Pulse.id.desc())).all()
    return render_template("pulses/index.html", pulses=pulses, responses=_responses(pulses),
                           pending=ops.pending_pulses(g.actor, current_user, g.workspace))


@bp.route("/pulses/new", methods=["GET", "POST"])
@requires("pulse.run")
def new():
    form = PulseForm()
    form.offer(_live_nodes(), _units_in_outline())
    if request.method == "GET":
        form.node.data = request.args.get("node", PRIORITIES)
        form.statements.data = "\n".join(ops.DEFAULT_STATEMENTS)
        form.opens_on.data = ops.today()
        form.closes_on.data = ops.today() + timedelta(days=14)
    if form.validate_on_submit():
        try:
            pulse = ops.create_pulse(
                g.workspace, title=form.title.data, node=_node(form.node.data),
                texts=form.texts(), units=_units(form.units.data),
                opens_on=form.opens_on.data, closes_on=form.closes_on.data)
        except ops.PulseError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Pulse “{pulse.title}” is set up for {len(pulse.units)} units.", "success")
            return redirect(url_for("pulses.show", key=pulse.key))
    return render_template("pulses/new.html", form=form)


@bp.route("/pulses/<key>")
@requires("workspace.view")
def show(key: str):
    pulse = _pulse_or_404(key)
    about = next((s.node for s in pulse.statements
                  if s.node and s.node.key == request.args.get("node")), None)
    results = ops.load_results(pulse, ops.min_answers(), about)
    return render_template("pulses/show.html", pulse=pulse, results=results, about=about,
                           highlight=request.args.get("unit"), close_form=EmptyForm(),
                           can_answer=bool(ops.answerable_units(g.actor, pulse)))


@bp.route("/pulses/<key>/answer", methods=["GET", "POST"])
@requires("workspace.view")
def answer(key: str):
    pulse = _pulse_or_404(key)
    units = ops.answerable_units(g.actor, pulse)
    if not units or not g.actor.can("pulse.answer", [u.id for u in units]):
        abort(403)
    if not ops.is_open(pulse, ops.today()):
        flash("This pulse is not open for answers.", "warning")
        return redirect(url_for("pulses.show", key=pulse.key))
    form = answer_form(pulse.statements, units, ops.own_answers(pulse, current_user))
    if form.validate_on_submit():
        unit = next((u for u in units if u.id == form.unit.data), units[0])
        try:
            ops.answer_pulse(pulse, current_user, g.actor, unit,
                             form.answers(pulse.statements), ops.today())
        except ops.PulseError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash("Thank you. Your answers are saved anonymously; you can change them "
                  "until the pulse closes.", "success")
            return redirect(url_for("pulses.index"))
    return render_template("pulses/answer.html", pulse=pulse, form=form, units=units,
                           groups=_by_node(pulse.statements))


@bp.route("/pulses/<key>/close", methods=["POST"])
@requires("pulse.run")
def close(key: str):
    pulse = _pulse_or_404(key)
    if EmptyForm().validate_on_submit():
        try:
            ops.close_pulse(pulse, ops.today())
        except ops.PulseError as error:
            flash(str(error), "warning")
        else:
            db.session.commit()
            flash(f"Pulse “{pulse.title}” is closed; its results stay.", "success")
    return redirect(url_for("pulses.show", key=pulse.key))


@bp.route("/pulses/panorama")
@requires("workspace.view")
def panorama():
    choices = ops.priority_pulses(g.workspace)
    chosen = next((p for p in choices if p.key == request.args.get("pulse")),
                  choices[0] if choices else None)
    view = (ops.load_panorama(chosen, ops.min_answers(), request.args.get("statement"))
            if chosen else None)
    return render_template("pulses/panorama.html", panorama=view,
                           form=PanoramaForm.showing(choices, view) if view else None,
                           min_answers=ops.min_answers())


def _pulse_or_404(key: str) -> Pulse:
    pulse = db.session.scalar(
        sa.select(Pulse).where(Pulse.workspace_id == g.workspace.id, Pulse.key == key)
        .options(selectinload(Pulse.node), selectinload(Pulse.units),
                 selectinload(Pulse.statements).selectinload(PulseStatement.node)))
    if pulse is None:
        abort(404)
    return pulse


def _responses(pulses) -> dict[int, int]:
    """Answers per pulse, counted on its most answered statement (about one per person)."""
    per_statement = (sa.select(PulseStatement.pulse_id, sa.func.count(PulseAnswer.id).label("n"))
                     .join(PulseAnswer).where(PulseStatement.pulse_id.in_([p.id for p in pulses]))
                     .group_by(PulseStatement.id, PulseStatement.pulse_id).subquery())
    return dict(db.session.execute(
        sa.select(per_statement.c.pulse_id, sa.func.max(per_statement.c.n))
        .group_by(per_statement.c.pulse_id)).all())


def _live_nodes() -> list[Node]:
    return list(db.session.scalars(
        sa.select(Node).where(Node.workspace_id == g.workspace.id,
                              Node.status != NodeStatus.RETIRED)
        .options(selectinload(Node.unit)).order_by(Node.title)))


def _units_in_outline() -> list[tuple[Unit, int]]:
    return outline(db.session.scalars(sa.select(Unit).where(
        Unit.workspace_id == g.workspace.id, Unit.archived.is_(False))).all())


def _node(key: str) -> Node | None:
    if not key:
        return None
    return db.session.scalar(sa.select(Node).where(Node.workspace_id == g.workspace.id,
                                                    Node.key == key))


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

"""Facilitated sessions: set one up, present it to the room, reveal its pulse, capture what
is decided; the short link people in the room answer through."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup

from cascade import clock
from cascade.access import my_workspaces, requires, signed_in, workspace_blueprint
from cascade.db import db
from cascade.findings import history, listing, trend
from cascade.findings.analysis import analysis_of
from cascade.forms import EmptyForm
from cascade.forms.sessions import DecisionForm, SessionForm
from cascade.models import FacilitatedSession, Pulse, Unit, Workspace
from cascade.pulses import charts, stats
from cascade.refusals import Refusal
from cascade.sessions import operations as ops
from cascade.sessions import qr, steps
from cascade.sessions.report import report_csv, report_data
from cascade.sessions.scope import Scope
from cascade.views.load import node_by_key, session_by_key
from cascade.vocabulary import STANCES

bp = workspace_blueprint("sessions", __name__)
join_bp = Blueprint("join", __name__)


@bp.context_processor
def helpers() -> dict:
    return {"charts": charts, "stats": stats, "templates": steps.TEMPLATES}


@bp.route("/sessions")
@requires("session.view")
def index():
    found = db.session.scalars(
        sa.select(FacilitatedSession).where(FacilitatedSession.workspace_id == g.workspace.id)
        .order_by(FacilitatedSession.created_at.desc()).limit(200)).all()
    return render_template("sessions/index.html", sessions=found)


@bp.route("/sessions/new", methods=["GET", "POST"])
@requires("session.run")
def new():
    analysis = analysis_of(g.workspace, clock.today())
    form = SessionForm()
    if request.method == "GET":  # the scope form above it sends only these two
        form.node.data, form.unit.data = request.args.get("node", ""), request.args.get("unit", "")
    roots, units = listing.scope_choices(analysis)
    scope = Scope(form.node.data or None, None if form.node.data else form.unit.data or None)
    in_scope = scope.findings(analysis) if _known(scope, roots, units) else []
    form.offer(steps.TEMPLATES, roots, units, in_scope, _pulses())
    if request.method == "POST" and form.validate():
        try:
            session = ops.create_session(
                g.workspace, by=current_user, title=form.title.data,
                template=form.chosen_template, node=node_by_key(scope.node) if scope.node else None,
                unit=_unit(scope.unit), fingerprints=form.findings.data or [],
                pulse=_pulse(form.pulse.data), statement=form.statement.data or "",
                anonymised=form.anonymised.data, step_minutes=form.step_minutes.data,
                today=clock.today())
        except Refusal as error:
            error.show_on(form)
        else:
            db.session.commit()
            flash(f"Session “{session.title}” is ready: share its link, then present.", "success")
            return redirect(url_for(".show", key=session.key))
    return render_template("sessions/new.html", form=form, in_scope=in_scope,
                           scope_label=scope.label(analysis)), 400 if form.errors else 200


@bp.route("/sessions/<key>")
@requires("session.view", load=session_by_key)
def show(session: FacilitatedSession):
    view = steps.session_view(g.workspace, session, clock.today(), picture=False)
    link = url_for("join.room", code=session.code, _external=True)
    return render_template("sessions/show.html", view=view, session=session, link=link,
                           qr=Markup(qr.svg(link)), empty=EmptyForm())


@bp.route("/sessions/<key>/present")
@requires("session.run", load=session_by_key)
def present(session: FacilitatedSession):
    view = steps.session_view(g.workspace, session, clock.today())
    form = DecisionForm()
    form.offer(view.chosen, _scope_nodes(view))
    link = url_for("join.room", code=session.code, _external=True)
    return render_template("sessions/present.html", view=view, session=session, form=form,
                           link=link, qr=Markup(qr.svg(link)), empty=EmptyForm())


@bp.route("/sessions/<key>/count")
@requires("session.run", load=session_by_key)
def count(session: FacilitatedSession):
    """How many have answered, for the presenter to poll: a count, never the answers."""
    return jsonify(answered=steps.answered(session), revealed=session.revealed_at is not None)


@bp.route("/sessions/<key>/reveal", methods=["POST"])
@requires("session.run", load=session_by_key)
def reveal(session: FacilitatedSession):
    if EmptyForm().validate_on_submit():
        try:
            ops.reveal(session, by=current_user, today=clock.today(), now=clock.now())
        except Refusal as error:
            flash(str(error), "warning")
        else:
            db.session.commit()
    return redirect(url_for(".present", key=session.key, _anchor=_step_anchor()))


@bp.route("/sessions/<key>/decisions", methods=["POST"])
@requires("session.run", load=session_by_key)
def decide(session: FacilitatedSession):
    view = steps.session_view(g.workspace, session, clock.today(), picture=False)
    form = DecisionForm()
    form.offer(view.chosen, _scope_nodes(view))
    if form.validate_on_submit():
        what, _, key = (form.about.data or "").partition(":")
        finding = next((f for f in view.chosen if f.fingerprint == key), None)
        try:
            ops.decide(session, g.workspace, by=current_user, text=form.text.data,
                       node=node_by_key(key) if what == "node" else None,
                       kind=form.kind.data, stance=form.stance.data,
                       finding=finding if what == "finding" else None)
        except Refusal as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash("Decision recorded.", "success")
    else:
        flash("Write down what the room decided (at most 2,000 characters).", "error")
    return redirect(url_for(".present", key=session.key, _anchor=_step_anchor()))


@bp.route("/sessions/<key>/end", methods=["POST"])
@requires("session.run", load=session_by_key)
def end(session: FacilitatedSession):
    if EmptyForm().validate_on_submit():
        try:
            ops.end_session(session, g.workspace, by=current_user, now=clock.now())
        except Refusal as error:
            flash(str(error), "warning")
        else:
            db.session.commit()
            flash("Session ended. Its report is ready to print or download.", "success")
    return redirect(url_for(".show", key=session.key))


@bp.route("/sessions/<key>/report")
@requires("session.view", load=session_by_key)
def report(session: FacilitatedSession):
    """The printable report: what was seen and decided (its picture drawn for paper)."""
    view = steps.session_view(g.workspace, session, clock.today(), room=False)
    records = [r for r in history.score_history(g.workspace) if r.as_of <= view.day]
    return render_template(
        "sessions/report.html", view=view, session=session, history=records,
        charts_trend=trend.score_trend(records, listing.CODES),
        notes=steps.notes_by_kind_and_stance(g.workspace, view.scope, view.analysis),
        stances=STANCES, today=clock.today())


@bp.route("/sessions/<key>/report.<any(json, csv):fmt>")
@requires("session.view", load=lambda key, fmt: session_by_key(key))
def download(session: FacilitatedSession):
    fmt = request.view_args["fmt"]
    view = steps.session_view(g.workspace, session, clock.today(), picture=False)
    data = report_data(
        view, steps.notes_by_kind_and_stance(g.workspace, view.scope, view.analysis),
        history.score_history(g.workspace))
    name = f"cascade-{g.workspace.slug}-session-{session.key}.{fmt}"
    body, mimetype = ((json.dumps(data, ensure_ascii=False, indent=2), "application/json")
                      if fmt == "json" else (report_csv(data), "text/csv"))
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@join_bp.route("/s/<code>")
@signed_in
def room(code: str):
    """The short link people in the room open: straight to the session's pulse."""
    session = db.session.scalar(sa.select(FacilitatedSession).where(
        FacilitatedSession.code == code.strip().lower()[:16]))
    if session is None:
        abort(404)
    slug = db.session.get(Workspace, session.workspace_id).slug
    if slug not in {s for s, _ in my_workspaces()}:
        abort(403)
    if session.pulse is None:
        return redirect(url_for("workspaces.show", workspace=slug))
    return redirect(url_for("pulses.answer", workspace=slug, key=session.pulse.key))


def _known(scope: Scope, roots, units) -> bool:
    return (scope.node is None or scope.node in {k for k, _ in roots}) and \
        (scope.unit is None or scope.unit in {k for k, _ in units})


def _pulses() -> list[Pulse]:
    return list(db.session.scalars(sa.select(Pulse).where(Pulse.workspace_id == g.workspace.id)
                                   .order_by(Pulse.created_at.desc(), Pulse.id.desc())
                                   .limit(100)))


def _pulse(key: str | None) -> Pulse | None:
    return next((p for p in _pulses() if p.key == key), None) if key else None


def _unit(key: str | None) -> Unit | None:
    return db.session.scalar(sa.select(Unit).where(
        Unit.workspace_id == g.workspace.id, Unit.key == key)) if key else None


def _scope_nodes(view: steps.SessionView) -> list[tuple[str, str]]:
    keys = view.scope.nodes(view.analysis) & view.analysis.index.live
    titles = view.names["nodes"]
    return sorted(((k, titles[k]) for k in keys), key=lambda c: c[1].lower())[:200]


def _step_anchor() -> str:
    step = request.form.get("step", "")
    return f"step-{int(step)}" if step.isdigit() and len(step) < 4 else ""

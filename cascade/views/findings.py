"""Findings for coaches and leaders: the grouped list, acknowledgements, score snapshots
with their trend, and the findings JSON."""

from __future__ import annotations

import json
from datetime import date

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.findings import listing as findings
from cascade.findings import trend
from cascade.findings.analysis import analyse_workspace
from cascade.forms import EmptyForm
from cascade.forms.findings import AcknowledgeForm, FindingFilterForm

bp = workspace_blueprint("findings", __name__)


@bp.route("/findings")
@requires("finding.view")
def index():
    ws = g.workspace
    analysis = analyse_workspace(ws)
    form = FindingFilterForm(formdata=request.args)
    form.offer(*findings.scope_choices(analysis))
    chosen = form.data if form.validate() else {}
    shown = findings.selection(analysis, chosen.get("code"), chosen.get("severity"),
                               chosen.get("subtree"), chosen.get("unit"))
    acks, history = findings.acknowledgements(ws), findings.snapshots(ws)
    return render_template(
        "findings/index.html", analysis=analysis, form=form, shown=shown, acks=acks,
        root=chosen.get("subtree"), dormant=findings.dormant(acks, analysis),
        history=history, charts=trend.score_trend(history, findings.CODES),
        then=findings.month_ago(history, analysis.as_of), names=findings.names(analysis),
        ack_form=AcknowledgeForm(), empty=EmptyForm())


@bp.route("/findings/<fingerprint>/acknowledge", methods=["POST"])
@requires("finding.acknowledge")
def acknowledge(fingerprint: str):
    try:
        found = findings.find(analyse_workspace(g.workspace), fingerprint)
    except findings.UnknownFinding:
        abort(404, "That finding is no longer there; the gap may have closed.")
    form = AcknowledgeForm()
    if form.validate_on_submit():
        findings.acknowledge(g.workspace, found, form.comment.data, current_user.id)
        db.session.commit()
        flash("Finding acknowledged: it stays visible and no longer counts against the score.",
              "success")
    else:
        flash("Write a short comment saying why this gap is known and intentional "
              "(at most 2,000 characters).", "error")
    return redirect(_back(form.next.data, fingerprint))


@bp.route("/findings/<fingerprint>/withdraw", methods=["POST"])
@requires("finding.acknowledge")
def withdraw(fingerprint: str):
    if EmptyForm().validate_on_submit():
        try:
            findings.withdraw(g.workspace, fingerprint)
        except findings.UnknownFinding:
            abort(404, "That acknowledgement has already been withdrawn.")
        db.session.commit()
        flash("Acknowledgement withdrawn: the finding counts against the score again.", "success")
    return redirect(_back(request.form.get("next"), fingerprint))


@bp.route("/findings/snapshots", methods=["POST"])
@requires("snapshot.take")
def take_snapshot():
    if EmptyForm().validate_on_submit():
        snap = findings.take_snapshot(g.workspace, analyse_workspace(g.workspace),
                                      current_user.id)
        db.session.commit()
        flash(f"Snapshot recorded: score {snap.score} as of {snap.as_of.isoformat()}.", "success")
    return redirect(url_for(".index", _anchor="trend"))


@bp.route("/coherence.json")
@requires("finding.view")
def report():
    try:
        as_of = date.fromisoformat(request.args["as_of"]) if request.args.get("as_of") else None
    except ValueError:
        abort(400, "as_of must be a date written YYYY-MM-DD.")
    body = json.dumps(analyse_workspace(g.workspace, as_of).report(), ensure_ascii=False)
    return current_app.response_class(body, mimetype="application/json")


def _back(target: str | None, fingerprint: str) -> str:
    """Back to the findings page the form came from (filters kept), at the finding."""
    home = url_for(".index")
    if not target or not (target == home or target.startswith(home + "?")):
        target = home
    return f"{target}#f-{fingerprint}"

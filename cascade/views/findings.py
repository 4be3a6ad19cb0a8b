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

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.coherence.model import Finding
from cascade.db import db
from cascade.filters import score
from cascade.findings import comparison, history, listing, trend
from cascade.findings import operations as ops
from cascade.findings.analysis import Analysis, analysis_of
from cascade.forms import EmptyForm
from cascade.forms.findings import AcknowledgeForm, CompareForm, FindingFilterForm
from cascade.inputs import own_path
from cascade.pulses import charts, stats
from cascade.views.load import finding_by_fingerprint

bp = workspace_blueprint("findings", __name__)


@bp.route("/findings")
@requires("finding.view")
def index():
    ws, today = g.workspace, clock.today()
    days, as_of, analysis, form, chosen = _shown()
    shown = listing.selection(analysis, chosen.get("code"), chosen.get("severity"),
                               chosen.get("subtree"), chosen.get("unit"), chosen.get("horizon"),
                               page=chosen.get("page") or 1)
    acks, records = history.acknowledgements_on(ws, analysis), history.score_history(ws)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "findings/index.html", analysis=analysis, form=form, shown=shown, acks=acks,
        root=chosen.get("subtree"), dormant=listing.dormant(acks, analysis),
        history=records, charts=trend.score_trend(history.with_live(records, analysis),
                                                  listing.CODES), live=True,
        then=history.month_ago(records, analysis.as_of), names=listing.names(analysis),
        ack_form=AcknowledgeForm() if as_of == today else None, empty=EmptyForm(),
        args=args, days=days, today=today), 400 if days.errors else 200


def _shown() -> tuple[CompareForm, date, Analysis, FindingFilterForm, dict]:
    """The day the findings page shows (today, or a recorded day exactly as it was; today
    with the form's error for any other), and its filters, read from the query string."""
    ws, today = g.workspace, clock.today()
    days = CompareForm(formdata=request.args)
    days.offer(history.recorded_days(ws), today)
    as_of = (days.as_of.data if days.validate() else None) or today
    analysis = history.state_on(ws, as_of, today)
    form = FindingFilterForm(formdata=request.args)
    form.offer(*listing.scope_choices(analysis), listing.horizons_of(analysis))
    return days, as_of, analysis, form, (form.data if form.validate() else {})


@bp.route("/findings/compare")
@requires("finding.view")
def compare():
    """Any two days side by side: today's state or a recorded day's, exactly as it was."""
    ws, today = g.workspace, clock.today()
    days = history.recorded_days(ws)
    form = CompareForm(formdata=request.args)
    form.offer(days, today)
    valid = form.validate()
    as_of = (form.as_of.data if valid else None) or today
    against = (form.against.data if valid else None) or history.previous_day(days, as_of)
    diff, said = None, {}
    if valid and against is not None:
        diff = comparison.compare(history.state_on(ws, against, today),
                                  history.state_on(ws, as_of, today))
        said = {"given": history.acknowledgements_on(ws, diff.after) if diff.acknowledged
                else {},
                "withdrawn": history.acknowledgements_on(ws, diff.before) if diff.withdrawn
                else {}}
    return render_template("findings/compare.html", form=form, diff=diff, days=days,
                           as_of=as_of, against=against, today=today, charts=charts,
                           stats=stats, said=said), 200 if valid else 400


@bp.route("/findings/<fingerprint>/acknowledge", methods=["POST"])
@requires("finding.acknowledge", load=finding_by_fingerprint)
def acknowledge(found: Finding):
    form = AcknowledgeForm()
    if form.validate_on_submit():
        before = analysis_of(g.workspace, clock.today()).score_tenths
        ops.acknowledge(g.workspace, found, form.comment.data, by=current_user)
        db.session.commit()
        after = analysis_of(g.workspace, clock.today(), fresh=True).score_tenths
        flash("Finding acknowledged: it stays visible and no longer counts against the score "
              f"({score(before)} → {score(after)}).", "success")
    else:
        flash("Write a short comment saying why this gap is known and intentional "
              "(at most 2,000 characters).", "error")
    return redirect(_back(form.next.data, found.fingerprint))


@bp.route("/findings/<fingerprint>/withdraw", methods=["POST"])
@requires("finding.acknowledge")
def withdraw(fingerprint: str):
    if EmptyForm().validate_on_submit():
        try:
            ops.withdraw(g.workspace, fingerprint, by=current_user)
        except listing.UnknownFinding:
            abort(404, "That acknowledgement has already been withdrawn.")
        db.session.commit()
        flash("Acknowledgement withdrawn: the finding counts against the score again.", "success")
    return redirect(_back(request.form.get("next"), fingerprint))


@bp.route("/findings/snapshots", methods=["POST"])
@requires("snapshot.take")
def take_snapshot():
    if EmptyForm().validate_on_submit():
        snap = ops.record_score(g.workspace, analysis_of(g.workspace, clock.today(), fresh=True),
                                by=current_user)
        db.session.commit()
        flash(f"Snapshot recorded: score {snap.score} as of {snap.as_of.isoformat()}.", "success")
    return redirect(url_for(".index", _anchor="trend"))


@bp.route("/coherence.json")
@requires("finding.view")
def report():
    """The findings JSON of the brief, of the day and filters the findings page shows
    (`as_of`: today or a recorded day; a bad day or filter is a 400)."""
    days, _, analysis, form, chosen = _shown()
    if days.errors or form.errors:
        problems = [e for f in (days, form) for errors in f.errors.values() for e in errors]
        abort(400, "as_of must be today or a recorded day written YYYY-MM-DD, and the "
                   "filters ones the findings page offers: " + " ".join(problems))
    body = analysis.report()
    filters = {k: chosen[k] for k in ("code", "severity", "subtree", "unit", "horizon")
               if chosen.get(k)}
    if filters:
        shown = listing.selection(analysis, *(chosen.get(k) for k in (
            "code", "severity", "subtree", "unit", "horizon")))
        body |= {"filters": filters, "scope_score": round(shown.score, 1),
                 "findings": [f.as_dict() for f in shown.findings]}
    return current_app.response_class(json.dumps(body, ensure_ascii=False),
                                      mimetype="application/json")


def _back(target: str | None, fingerprint: str) -> str:
    """Back to the findings page the form came from (filters kept), at the finding."""
    home = url_for(".index")
    target = own_path(target)
    if not target or not (target == home or target.startswith(home + "?")):
        target = home
    return f"{target}#f-{fingerprint}"

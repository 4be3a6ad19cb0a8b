"""A person's inbox: what their units are waiting on and the answers to their notes, and
its one-step answers: send a translation back, "not for us", mark seen."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.feedback import waiting
from cascade.forms import EmptyForm
from cascade.forms.agreements import RespondForm, SettleForm
from cascade.forms.inbox import DeclineForm, InboxPagesForm, SeenForm, SendBackForm
from cascade.forms.measures import CheckInForm
from cascade.measures.reading import due_check_ins
from cascade.models import Node, Unit
from cascade.organisation.settings import settings_for
from cascade.pulses.reading import pending_pulses
from cascade.refusals import Refusal
from cascade.strategy import review
from cascade.strategy.inbox import build_inbox
from cascade.views.load import node_by_key
from cascade.vocabulary import AgreementState

bp = workspace_blueprint("inbox", __name__)


@bp.route("/inbox")
@requires("workspace.view")
def show():
    cut = waiting.cutoff(clock.today(), settings_for(g.workspace).feedback_days)
    pages = InboxPagesForm(formdata=request.args)
    inbox = build_inbox(g.workspace, g.unit_rows, g.actor, cut, pages.chosen())
    pending = pending_pulses(g.actor, current_user, g.workspace, clock.today())
    targets = {entry.id: g.actor.translation_targets(entry.unit_id)
               for _, entry in inbox.awaiting.items}
    mine = {u.id for u in inbox.units}
    due = due_check_ins(g.workspace.id, mine, clock.today())
    requests = [link for link in inbox.requests.items if link.state == AgreementState.REQUESTED]
    counters = [link for link in inbox.requests.items if link.state != AgreementState.REQUESTED]
    total = inbox.total + len(pending) + len(due)
    return render_template("inbox/show.html", inbox=inbox, pending=pending, total=total,
                           check_ins_due=due, check_in_form=CheckInForm(),
                           requests=requests, counters=counters, respond=RespondForm(),
                           settle=SettleForm(),
                           empty=EmptyForm(), send_back=SendBackForm(), decline=DeclineForm(),
                           seen=SeenForm(), targets=targets, pages=pages.kept())


def _to_inbox(anchor: str):
    return redirect(url_for(".show", _anchor=anchor))


@bp.route("/nodes/<key>/send-back", methods=["POST"])
@requires("node.review", load=node_by_key)
def send_back(node: Node):
    """The parent owner returns a proposed translation to draft, saying why."""
    form = SendBackForm()
    if not form.validate_on_submit():
        flash("Say why the translation goes back (at most 2,000 characters).", "error")
        return _to_inbox("review-heading")
    try:
        review.send_back(node, form.reason.data, by=current_user, now=clock.now())
    except Refusal as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"“{node.title}” went back to its team as a draft, with your reason.", "success")
    return _to_inbox("review-heading")


@bp.route("/nodes/<key>/decline", methods=["POST"])
@requires("node.decline", load=node_by_key)
def decline(parent: Node):
    """"Not for us": a unit will not translate this parent, and tells its owners why."""
    form = DeclineForm()
    targets = g.actor.translation_targets(parent.unit_id)
    form.unit.choices = [SelectChoice(uid, key) for uid, key, *_ in g.unit_rows
                         if uid in targets]
    if not form.validate_on_submit():
        flash("Choose your unit and say why this is not for it (at most 2,000 characters).",
              "error")
        return _to_inbox("awaiting-heading")
    unit = db.session.get(Unit, form.unit.data)
    try:
        review.decline(parent, unit, reason=form.reason.data, stance=form.stance.data,
                       by=current_user)
    except Refusal as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"“{parent.title}” is marked not for {unit.name}; its owners have your note.",
              "success")
    return _to_inbox("awaiting-heading")


@bp.route("/inbox/seen", methods=["POST"])
@requires("workspace.view")
def seen():
    """Mark answers seen, so they leave the inbox and its count."""
    form = SeenForm()
    if form.validate_on_submit():
        count = review.mark_seen(g.workspace.id, current_user, form.items.data.split())
        db.session.commit()
        flash(f"{count} marked seen." if count != 1 else "Marked seen.", "success")
    else:
        flash("Nothing to mark.", "error")
    return _to_inbox("answers-heading")

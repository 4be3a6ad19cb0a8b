"""Dependency agreements: the asked unit's leaders commit, counter or decline; the requester
accepts a counter or withdraws."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.forms.agreements import RespondForm, SettleForm
from cascade.inputs import own_path
from cascade.models import Link
from cascade.refusals import Conflict, Refusal
from cascade.strategy import agreements
from cascade.views.load import dependency_by_id

bp = workspace_blueprint("agreements", __name__)

DONE = {"commit": "Committed: {team} can count on it.",
        "counter": "Counter sent to {team}.",
        "decline": "Declined; {team} sees your reason.",
        "accept": "Accepted the later date: the dependency is committed.",
        "withdraw": "Request withdrawn."}
RACED = "This request was answered meanwhile. Reload to see where it stands."


def _back():
    """Where the form came from (the inbox or a node page), else the inbox."""
    return redirect(own_path(request.form.get("next")) or url_for("inbox.show"))


@bp.route("/dependencies/<int:link_id>/respond", methods=["POST"])
@requires("dependency.respond", load=dependency_by_id)
def respond(link: Link):
    form = RespondForm()
    if not form.validate_on_submit():
        abort(400)
    team = link.source.unit.name
    try:
        agreements.respond(link, form.step.data, by=current_user, now=clock.now(),
                           version=form.version.data, needed_by=form.needed_by.data or "",
                           reason=form.reason.data or "")
    except Conflict:
        abort(409, RACED)
    except Refusal as error:
        flash(error.message, "error")
        return _back()
    db.session.commit()
    flash(DONE[form.step.data].format(team=team), "success")
    return _back()


@bp.route("/dependencies/<int:link_id>/settle", methods=["POST"])
@requires("dependency.settle", load=dependency_by_id)
def settle(link: Link):
    form = SettleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        agreements.settle(link, form.step.data, by=current_user, version=form.version.data)
    except Conflict:
        abort(409, RACED)
    db.session.commit()
    flash(DONE[form.step.data], "success")
    return _back()

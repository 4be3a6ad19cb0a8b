"""A person's inbox: what their units are waiting on and the answers to their notes."""

from __future__ import annotations

from flask import g, render_template
from flask_login import current_user

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.feedback import waiting
from cascade.organisation.settings import settings_for
from cascade.pulses.reading import pending_pulses
from cascade.strategy.inbox import build_inbox
from cascade.strategy.outline import load_strategy

bp = workspace_blueprint("inbox", __name__)


@bp.route("/inbox")
@requires("workspace.view")
def show():
    strategy = load_strategy(g.workspace, g.unit_rows)
    cut = waiting.cutoff(clock.today(), settings_for(g.workspace).feedback_days)
    inbox = build_inbox(g.workspace, strategy, g.actor, cut)
    pending = pending_pulses(g.actor, current_user, g.workspace, clock.today())
    return render_template("inbox/show.html", inbox=inbox, pending=pending)

"""A workspace's overview: what needs attention at a glance, then how much strategy each
unit holds (people per unit are on the Units page)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, render_template
from flask_login import current_user

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.feedback import waiting
from cascade.findings.analysis import analysis_of
from cascade.models import Node, NodeStatus
from cascade.organisation.settings import settings_for
from cascade.organisation.units import top_of_tree
from cascade.pulses.reading import pending_pulses
from cascade.strategy import coverage
from cascade.strategy.outline import UnitRow

bp = workspace_blueprint("workspaces", __name__)


@bp.route("/")
@requires("workspace.view")
def show():
    ws = g.workspace
    shown, below = top_of_tree(g.unit_rows)
    units = [UnitRow(*row) for row, _ in shown]
    node_counts = dict(db.session.execute(
        sa.select(Node.unit_id, sa.func.count()).where(
            Node.unit_id.in_([u.id for u in units]), Node.status != NodeStatus.RETIRED)
        .group_by(Node.unit_id)).all())
    mine = waiting.own_units(g.actor, g.actor.archived)
    cut = waiting.cutoff(clock.today(), settings_for(ws).feedback_days)
    notes = waiting.counts(ws, cut, mine or None)
    analysis = analysis_of(ws, clock.today()) if g.actor.can("finding.view") else None
    tops = coverage.top_of_strategy(ws, g.unit_rows)
    return render_template("workspaces/show.html",
                           tree=[(u, depth) for u, (_, depth) in zip(units, shown, strict=True)],
                           below=below, units_total=len(g.unit_rows),
                           tops=tops, states=coverage.STATES,
                           node_counts=node_counts,
                           notes=notes, per_person=bool(mine), analysis=analysis,
                           pending=pending_pulses(g.actor, current_user, ws, clock.today()))

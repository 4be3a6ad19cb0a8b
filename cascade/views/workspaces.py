"""A workspace's overview: what needs attention at a glance, then how much strategy each
unit holds (people per unit are on the Units page)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, render_template
from flask_login import current_user

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.findings.analysis import analysis_of
from cascade.models import Node, NodeStatus, Note, NoteStatus, Unit
from cascade.organisation.units import unit_tree
from cascade.pulses.reading import pending_pulses

bp = workspace_blueprint("workspaces", __name__)


@bp.route("/")
@requires("workspace.view")
def show():
    ws = g.workspace
    units = db.session.scalars(sa.select(Unit).where(Unit.workspace_id == ws.id)
                               .order_by(Unit.name)).all()
    node_counts = dict(db.session.execute(
        sa.select(Node.unit_id, sa.func.count()).where(
            Node.workspace_id == ws.id, Node.status != NodeStatus.RETIRED)
        .group_by(Node.unit_id)).all())
    open_notes = db.session.scalar(sa.select(sa.func.count(Note.id)).where(
        Note.workspace_id == ws.id, Note.status == NoteStatus.OPEN))
    analysis = analysis_of(ws, clock.today()) if g.actor.can("finding.view") else None
    return render_template("workspaces/show.html", tree=unit_tree(units),
                           node_counts=node_counts,
                           open_notes=open_notes, analysis=analysis,
                           pending=pending_pulses(g.actor, current_user, ws, clock.today()))

"""The coverage matrix: a node's children × the units below its unit, for leaders reviewing
who translated what."""

from __future__ import annotations

from flask import g, render_template

from cascade.access import requires, workspace_blueprint
from cascade.models import Node
from cascade.strategy.coverage import STATES, coverage
from cascade.views.load import node_by_key

bp = workspace_blueprint("coverage", __name__)


@bp.route("/nodes/<key>/coverage")
@requires("node.view", load=node_by_key)
def show(node: Node):
    matrix = coverage(g.workspace, node.id, g.unit_rows)
    return render_template("coverage/show.html", node=node, matrix=matrix, states=STATES)

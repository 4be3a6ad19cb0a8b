"""The coherence graph page, its fragment for filtering without a reload, and its exports.

Anyone in the workspace may look (coaches are the main audience). The work happens in
`cascade.graph`; these views read the options from the query string and pick a response.
"""

from __future__ import annotations

from flask import Response, abort, current_app, g, render_template, request, url_for

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.forms.graph import GraphFilterForm
from cascade.graph import GraphOptions, RenderError, export, graph_view
from cascade.graph.build import legend

bp = workspace_blueprint("graph", __name__)

MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png", "dot": "text/vnd.graphviz"}


@bp.route("/graph")
@requires("workspace.view")
def show():
    options = _options()
    view, problem = _view(options)
    return render_template("graph/show.html", view=view, problem=problem, options=options,
                           form=GraphFilterForm.showing(options, view),
                           node_url=_node_url_template(), legend=legend()), \
        503 if problem else 200


@bp.route("/graph/view")
@requires("workspace.view")
def fragment():
    """The picture, its counts and its findings for new options, swapped in by graph.js."""
    options = _options()
    view, problem = _view(options)
    return render_template("graph/_view.html", view=view, problem=problem,
                           options=options), 503 if problem else 200


@bp.route("/graph.<any(svg, png, dot):fmt>")
@requires("workspace.view")
def download(fmt: str):
    try:
        data, name = export(g.workspace, _options(), fmt, clock.today())
    except RenderError as error:
        abort(503, str(error))
    return Response(data, mimetype=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _options() -> GraphOptions:
    return GraphOptions.from_args(request.args, current_app.config["GRAPH_NODE_BUDGET"])


def _view(options: GraphOptions):
    try:
        return graph_view(g.workspace, options, clock.today()), None
    except RenderError as error:
        current_app.logger.error("graph of %s: %s", g.workspace.slug, error)
        return None, "The graph could not be drawn just now. Try a smaller view (a subtree " \
                     "or a unit), or try again in a minute."


def _node_url_template() -> str:
    """The node page's URL with a `__KEY__` slot for graph.js to fill."""
    return url_for("nodes.show", key="__KEY__")

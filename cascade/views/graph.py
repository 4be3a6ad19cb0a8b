"""The coherence graph page, its fragment for filtering without a reload, and its exports.

Anyone in the workspace may look (coaches are the main audience). The work happens in
`cascade.graph`; these views read the options from the query string and pick a response.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from flask import Response, abort, current_app, g, render_template, request, url_for

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.findings import comparison, history
from cascade.forms.findings import CompareForm
from cascade.forms.graph import GraphFilterForm
from cascade.graph import GraphOptions, RenderError, export, graph_view
from cascade.graph.build import legend
from cascade.organisation.units import unit_named

bp = workspace_blueprint("graph", __name__)

MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png", "dot": "text/vnd.graphviz"}


@bp.route("/graph")
@requires("workspace.view")
def show():
    days, as_of, against = _days()
    options = _options()
    view, problem = _view(options, as_of, against)
    status = 503 if problem else 400 if days.errors else 200
    return render_template("graph/show.html", view=view, problem=problem, options=options,
                           form=GraphFilterForm.showing(options, view), days=days,
                           as_of=as_of, against=against, today=clock.today(),
                           dated=_dated(as_of, against), node_url=_node_url_template(),
                           legend=legend()), status


@bp.route("/graph/view")
@requires("workspace.view")
def fragment():
    """The picture, its counts and its findings for new options, swapped in by graph.js."""
    _, as_of, against = _days()
    options = _options()
    view, problem = _view(options, as_of, against)
    return render_template("graph/_view.html", view=view, problem=problem, options=options,
                           legend=legend(), as_of=as_of, against=against, today=clock.today(),
                           dated=_dated(as_of, against)), 503 if problem else 200


@bp.route("/graph.<any(svg, png, dot):fmt>")
@requires("workspace.view")
def download(fmt: str):
    """The picture of the page it is downloaded from: the same filters, the day shown and
    the outlines of what changed since the comparison day; a day never recorded is a 400."""
    days, as_of, against = _days()
    if days.errors:
        abort(400, " ".join(e for errors in days.errors.values() for e in errors))
    ws, today, options = g.workspace, clock.today(), _options()
    try:
        past = None
        if as_of != today or against is not None:
            past = history.state_on(ws, as_of, today)
            options = _outlined(options, past, against)
        data, name = export(ws, options, fmt, as_of, past=past, against=against)
    except RenderError as error:
        abort(503, str(error))
    return Response(data, mimetype=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _options() -> GraphOptions:
    """The page's options; a unit typed by name (any case) is read as its key, as the other
    unit filters read it, so the typed field works with and without the script."""
    options = GraphOptions.from_args(request.args, current_app.config["GRAPH_NODE_BUDGET"])
    if options.unit and options.unit not in {key for _, key, *_ in g.unit_rows}:
        if (named := unit_named(g.workspace, options.unit.strip())) is not None:
            options = dataclasses.replace(options, unit=named.key)
    return options


def _days() -> tuple[CompareForm, date, date | None]:
    """The day shown (today or a recorded day) and the day it is compared with, if any;
    a day that was never recorded is refused on the form and today shown instead."""
    today = clock.today()
    days = CompareForm(formdata=request.args)
    days.offer(history.recorded_days(g.workspace), today)
    if not days.validate():
        return days, today, None
    return days, days.as_of.data or today, days.against.data


def _view(options: GraphOptions, as_of: date | None = None, against: date | None = None):
    ws, today = g.workspace, clock.today()
    as_of = as_of or today
    try:
        if as_of == today and against is None:
            return graph_view(ws, options, today), None
        shown = history.state_on(ws, as_of, today)
        options = _outlined(options, shown, against)
        return graph_view(ws, options, as_of, past=lambda: shown), None
    except RenderError as error:
        current_app.logger.error("graph of %s: %s", g.workspace.slug, error)
        return None, "The graph could not be drawn just now. Try a smaller view (a subtree " \
                     "or a unit), or try again in a minute."


def _outlined(options: GraphOptions, shown, against: date | None) -> GraphOptions:
    """The options with the nodes that changed since `against` to outline, if a day."""
    if against is None:
        return options
    diff = comparison.compare(history.state_on(g.workspace, against, clock.today()), shown)
    return dataclasses.replace(options, changed=tuple(sorted(diff.changed_nodes)))


def _dated(as_of: date, against: date | None) -> dict[str, str]:
    """The days in a link's query string, so a download draws what the page shows."""
    today = clock.today()
    return {k: d.isoformat() for k, d in (("as_of", as_of), ("against", against))
            if d is not None and not (k == "as_of" and d == today)}


def _node_url_template() -> str:
    """The node page's URL with a `__KEY__` slot for graph.js to fill."""
    return url_for("nodes.show", key="__KEY__")

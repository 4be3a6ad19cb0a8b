"""The coherence graph of a workspace, as the page and the exports need it, cached.

`graph_view` answers a page request from the workspace's stored analysis (`analysis_of`,
kept in memory per version): a finished view of that analysis with these options is taken
from the cache (no drawing, no dot run); otherwise the view is drawn, laid out by dot and
cached under the analysis's version (`stamp_of`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date

from flask import current_app
from markupsafe import Markup

from cascade import trees
from cascade.allocation import paused_gc
from cascade.coherence.graph import Lookups
from cascade.coherence.model import Finding, Snapshot
from cascade.findings.analysis import Analysis, analysis_of, made
from cascade.graph import room
from cascade.graph.build import Drawing, build
from cascade.graph.cache import PREFIX, Cache
from cascade.graph.collapse import Plan, collapse
from cascade.graph.facts import focus_targets, hover_facts
from cascade.graph.labels import clean
from cascade.graph.options import GraphOptions
from cascade.graph.render import DrawingCheck, Layout, RenderError, marks, safe_svg
from cascade.graph.scope import Scope, Tree, drawable_tree, select
from cascade.horizons import choices
from cascade.models import Workspace

RENDERER = "graph-5"  # bump when the drawing changes, so old cache entries stop matching
MAX_LISTED = 200
MAX_TOPS = 300


@dataclass
class GraphView:
    svg: str
    total: int  # nodes the filters select
    shown: int  # of which drawn as themselves
    summaries: int  # collapsed groups drawn
    findings: list[dict] = field(default_factory=list)
    more_findings: int = 0
    units: list[list] = field(default_factory=list)  # [key, name, depth] for the filter
    codes: list[str] = field(default_factory=list)
    horizons: list[str] = field(default_factory=list)
    tops: list[list] = field(default_factory=list)  # [key, title, level]: subtree filter
    as_of: str = ""
    nodes: list[list] = field(default_factory=list)  # [key, title, unit, status, open, level]
    note: str = ""  # said above the picture when something had to be left out
    from_cache: bool = False

    def picture(self) -> Markup:
        """The SVG for the page. It is markup because `render.safe_svg` let only drawing
        elements through and escaped every value it added; nothing else makes it markup."""
        return Markup(self.svg)

    def dumps(self) -> bytes:
        return json.dumps(asdict(self) | {"from_cache": False}).encode()

    @classmethod
    def loads(cls, raw: bytes) -> GraphView:
        return cls(**json.loads(raw) | {"from_cache": True})


def init_app(app) -> None:
    """The app's graph cache, made when the app starts: in process, and in Redis when
    CASCADE_REDIS_URL is set."""
    app.extensions["cascade_graph_cache"] = Cache(
        app.config.get("REDIS_URL"), prefix=app.config.get("GRAPH_CACHE_PREFIX", PREFIX))


def graph_cache() -> Cache:
    return current_app.extensions["cascade_graph_cache"]


def view_key(ws: Workspace, stamp: list[str], options: GraphOptions, as_of: date,
             what: str) -> str:
    """The cache key of a finished view: what it is drawn from (`stamp_of`), options, date
    and renderer."""
    raw = json.dumps([RENDERER, what, ws.id, stamp, as_of.isoformat(), options.fingerprint()],
                     sort_keys=True)
    return f"{what}:" + hashlib.sha256(raw.encode()).hexdigest()


def stamp_of(ws: Workspace, analysis: Analysis | None) -> list:
    """What a drawing is made from: the stored analysis's version, day and thresholds
    (every worker and host draws the same picture of it), else the workspace's current
    version (a recorded day's drawing, or another day's analysis)."""
    done = made(analysis) if analysis is not None else None
    if done is None:
        return ["data", ws.data_version, repr(analysis.settings) if analysis else None]
    return ["made", done.data_version, done.as_of.isoformat(), repr(analysis.settings)]


def graph_view(ws: Workspace, options: GraphOptions, as_of: date,
               past: Callable[[], Analysis] | None = None) -> GraphView:
    """The page's view; from the cache without analysis or dot when nothing changed, and
    from the kept analysis of this workspace version when only the options are new.
    `past`: gives the analysis of a recorded day instead (`findings.history.state_on`)."""
    analysis = None if past is not None else analysis_of(ws, as_of)
    cache = graph_cache()
    key = view_key(ws, stamp_of(ws, analysis), options, as_of, "view")
    cached = cache.get(key)
    if cached is not None:
        return GraphView.loads(cached)
    analysis = past() if past is not None else analysis
    view = render_view(analysis, options, cache, _timeout())
    cache.set(key, view.dumps())
    return view


def tree_of(analysis: Analysis) -> Tree:
    """The workspace's drawable tree, worked out once per analysis: all views of one
    workspace version share it, and only their own filtering and folding is new work."""
    tree = analysis.derived.get("graph tree")
    if tree is None:
        tree = analysis.derived["graph tree"] = drawable_tree(analysis.index)
    return tree


def draw_analysis(analysis: Analysis, options: GraphOptions,
                  **extras) -> tuple[Scope, Plan, Drawing]:
    """`draw` for an analysed workspace, with what the analysis already holds."""
    return draw(analysis.snapshot, analysis.findings, options, by_node=analysis.by_node,
                index=analysis.index, tree=tree_of(analysis), **extras)


def draw(snapshot: Snapshot, findings: list[Finding], options: GraphOptions, *,
         title: str | None = None, legend: bool = False,
         by_node: dict[str, list[Finding]] | None = None, index: Lookups | None = None,
         tree: Tree | None = None, cache: Cache | None = None,
         timeout: float = 60) -> tuple[Scope, Plan, Drawing]:
    """Filter, collapse to the budget and draw: everything short of running dot (except
    for a room's picture, whose folding and packing are chosen by laying candidates out:
    `room.readable`, with `cache`). `by_node`, `index` and `tree`: the analysis's findings
    per node, its lookups and its drawable tree, when at hand."""
    scope = select(snapshot, findings, options, by_node, index, tree)
    if options.room is None:
        plan, packing = collapse(scope, options.budget, options.expand), None
    else:
        plan, packing = room.readable(scope, options, cache or Cache(), timeout)
    return scope, plan, build(scope, plan, title=title, legend=legend, packing=packing)


def render_view(analysis: Analysis, options: GraphOptions, cache: Cache,
                timeout: float = 60) -> GraphView:
    """The drawn, laid-out and sanitised view of an analysed workspace.

    dot starts as soon as the DOT is written; the page's facts and lists are made while
    it lays out. The cyclic collector is paused, as for the analysis: a big view allocates
    many small objects."""
    with paused_gc():
        scope, plan, drawing = draw_analysis(analysis, options, cache=cache, timeout=timeout)
        packing = drawing.packing
        with Layout(drawing.dot.source, "svg", cache, timeout) as pending:
            annotations = marks(hover_facts(scope, plan))
            view = page_view(analysis, scope, plan, options)
            check = DrawingCheck()
            raw, view.note = laid_out(scope, plan, "svg", cache, timeout, pending, check,
                                      packing=packing)
        view.svg = safe_svg(raw, annotations, check=check)
    return view


def page_view(analysis: Analysis, scope: Scope, plan: Plan, options: GraphOptions) -> GraphView:
    """Everything the page shows besides the picture: counts, findings with their focus
    targets, and the choices of the filter form."""
    listed = scope.findings[:MAX_LISTED]
    return GraphView(
        svg="", total=len(scope.keys), shown=len(plan.visible), summaries=len(plan.summaries),
        findings=[f.as_dict() | {"fingerprint": f.fingerprint,
                                 "targets": focus_targets(scope, plan, f)} for f in listed],
        more_findings=len(scope.findings) - len(listed),
        units=_unit_choices(scope), codes=sorted({f.code for f in analysis.findings}),
        horizons=choices(n.horizon for n in analysis.snapshot.nodes),
        tops=_top_choices(scope, options), as_of=analysis.as_of.isoformat(),
        nodes=_listed_nodes(scope, plan))


def _listed_nodes(scope: Scope, plan: Plan) -> list[list]:
    """The drawn nodes in tree order, for the list a phone shows instead of the picture."""
    index = scope.index
    rows = []
    for key in plan.visible[:MAX_LISTED]:
        node = index.nodes[key]
        found = scope.by_node.get(key, [])
        rows.append([key, node.title, index.unit_name(node.unit), node.status,
                     sum(not f.acknowledged for f in found), min(scope.level[key], 6)])
    return rows


def laid_out(scope: Scope, plan: Plan, fmt: str, cache: Cache, timeout: float,
             pending: Layout, check: DrawingCheck | None = None,
             **extras) -> tuple[bytes, str]:
    """dot's output (read along by `check`, when given), falling back to a drawing without
    cross-links when dot crashes on the full one (Graphviz 2.43 has such bugs with
    clusters), and saying so. The fallback keeps every element id, so facts made for the
    full drawing still fit."""
    try:
        return pending.output(check.feed if check else None), ""
    except RenderError as error:
        if not error.crashed:
            raise
        current_app.logger.warning("dot crashed, drawing without links: %s", error)
    drawing = build(scope, plan, links=False, **extras)
    note = "Dependency and contribution links are left out of this view: Graphviz could " \
           "not lay them out. Filter to a smaller part to see them."
    if check is not None:
        check.restart()
    with Layout(drawing.dot.source, fmt, cache, timeout) as again:
        return again.output(check.feed if check else None), note


def export(ws: Workspace, options: GraphOptions, fmt: str, as_of: date,
           past: Analysis | None = None, against: date | None = None) -> tuple[bytes, str]:
    """A titled, dated picture with its legend (svg, png) or its DOT source, and a file name.
    `past`: the analysis of a recorded day (`findings.history.state_on`) instead of
    today's; `against`: the day the outlines in `options.changed` compare with, named in
    the title and the file name."""
    analysis = past if past is not None else analysis_of(ws, as_of)
    cache = graph_cache()
    options = options.for_room(None)  # a file is read up close: the desk's drawing
    key = view_key(ws, stamp_of(ws, analysis), options, as_of, f"export-{fmt}")
    since = f"-since-{against.isoformat()}" if against else ""
    name = f"cascade-{ws.slug}-graph-{as_of.isoformat()}{since}.{fmt}"
    cached = cache.get(key)
    if cached is not None:
        return cached, name
    extras = {"title": export_title(ws.name, options, as_of, against), "legend": True}
    scope, plan, drawing = draw_analysis(analysis, options, **extras)
    if fmt == "dot":
        data = drawing.dot.source.encode()
    else:
        with Layout(drawing.dot.source, fmt, cache, _timeout()) as pending:
            raw, _ = laid_out(scope, plan, fmt, cache, _timeout(), pending, **extras)
        data = raw if fmt == "png" else \
            ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
             + safe_svg(raw, inline=False)).encode()
    cache.set(key, data)
    return data, name


def export_title(name: str, options: GraphOptions, as_of: date,
                 against: date | None = None) -> str:
    """"Northwind — coherence graph · unit: shop · as of 2026-11-01": what and when (and
    "changes since 2026-10-01" when outlined against a day)."""
    filters = [f"{label}: {value}" for label, value in (
        ("subtree", options.root), ("unit", options.unit), ("depth", options.depth),
        ("finding", options.code), ("status", options.status)) if value is not None]
    parts = [f"{clean(name, 120)} — coherence graph", *filters, f"as of {as_of.isoformat()}"]
    if against is not None:
        parts.append(f"changes since {against.isoformat()} outlined")
    return " · ".join(parts)


def _timeout() -> float:
    return float(current_app.config.get("GRAPH_DOT_TIMEOUT", 60))


def _unit_choices(scope: Scope) -> list[list]:
    """Active units depth-first, siblings by name, each with its depth (at most 8)."""
    index = scope.index
    units = index.units
    walk = trees.outline(index.active_units, key=lambda k: k, parent=index.unit_parent.get,
                         order=lambda k: trees.unit_order(units[k].name))
    return [[key, units[key].name, min(depth, 8)] for key, depth in walk]


def _top_choices(scope: Scope, options: GraphOptions) -> list[list]:
    """Nodes near the top of the tree, to pick a subtree from (the current root included)."""
    index, tree = scope.index, scope.tree
    keys = tree.near_top(2, MAX_TOPS)
    if options.root in tree.parent and options.root not in keys:
        keys.append(options.root)
    return [[k, index.nodes[k].title, tree.level[k]] for k in keys]

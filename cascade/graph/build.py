"""A view's plan drawn as a `graphviz.Digraph`: units as nested clusters, nodes coloured by
status and shaped by level, findings as outlines with a count badge, links as styled edges.

Alongside the DOT it returns, per drawn element, the facts the page shows on hover; they
travel as data attributes added to the SVG afterwards (see `render.annotate`).

Statements go into the Digraph's body as the graphviz library itself writes them (sorted
attributes, every name and value through the library's own `quote`), without its
per-call argument checks, which cost more than the drawing at a thousand nodes. Values
that are ours (colours, shapes, ids, classes) repeat, so their quoted form is remembered;
labels carrying user text are quoted afresh every time.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections import defaultdict
from dataclasses import dataclass, field

import graphviz
import graphviz.quoting

from cascade.coherence.model import SEVERITIES, Finding
from cascade.graph.collapse import Plan, Summary
from cascade.graph.labels import clean, html_label, html_text, lines, plain
from cascade.graph.scope import Scope

STATUS_FILL = {"draft": "#e4e7eb", "proposed": "#dbe6fb", "agreed": "#d9f0e1",
               "retired": "#f4f5f7"}
SEVERITY_COLOUR = {"high": "#b42318", "medium": "#d97706", "low": "#6b7280"}
LEVEL_SHAPES = ("hexagon", "box", "box", "ellipse")  # level 0, 1, 2, 3 and deeper
INK, LINE, MUTED = "#1b2430", "#5b6675", "#9aa5b1"
EDGE_STYLES = {  # kind -> (style, colour, label for the legend)
    "tree": ("solid", "#7b8794", "translates (parent → child)"),
    "stale": ("bold", "#d97706", "stale translation"),
    "depends_on": ("dashed", "#2f6fa8", "depends on"),
    "contributes_to": ("dotted", "#2e7d4f", "contributes to"),
}


def legend() -> dict:
    """The drawing's colours and line styles, for the page's own legend."""
    return {"status": STATUS_FILL, "severity": SEVERITY_COLOUR, "edges": EDGE_STYLES}


@dataclass
class Drawing:
    dot: graphviz.Digraph
    meta: dict[str, dict] = field(default_factory=dict)  # element id -> data attributes
    ids: dict[str, str] = field(default_factory=dict)  # visible node key -> element id


_quote = inspect.unwrap(graphviz.quoting.quote)  # the library's quoting, minus its arg checks
_quote_ours = functools.lru_cache(maxsize=4096)(_quote)  # for our own repeating values


def attr_list(attrs: dict[str, str]) -> str:
    """`graphviz.quoting.a_list` for a plain dict: sorted, names and values quoted."""
    return " ".join([f"{_quote_ours(name)}="
                     f"{_quote(value) if name == 'label' else _quote_ours(value)}"
                     for name, value in sorted(attrs.items()) if value is not None])


def add_node(into: graphviz.Digraph, ident: str, attrs: dict[str, str], indent: str = "") -> None:
    """What `Digraph.node(ident, **attrs)` appends (the label first, as the library puts
    it), `indent` deeper inside subgraphs."""
    attrs = dict(attrs)
    label = attrs.pop("label", None)
    listed = attr_list(attrs)
    if label is not None:
        listed = f"label={_quote(label)} {listed}" if listed else f"label={_quote(label)}"
    into.body.append(f"{indent}\t{_quote_ours(ident)} [{listed}]\n")


def add_edge(into: graphviz.Digraph, tail: str, head: str, attrs: dict[str, str]) -> None:
    """What `Digraph.edge(tail, head, **attrs)` appends (our ids carry no ports)."""
    into.body.append(f"\t{_quote_ours(tail)} -> {_quote_ours(head)} [{attr_list(attrs)}]\n")


_SEVERITY_RANK = {severity: i for i, severity in enumerate(SEVERITIES)}


def worst(findings: list[Finding]) -> str | None:
    """The most severe open finding's severity; None when all are acknowledged (or none)."""
    open_ = [f.severity for f in findings if not f.acknowledged]
    return min(open_, key=SEVERITIES.index) if open_ else None


def level_shape(level: int) -> str:
    return LEVEL_SHAPES[min(level, len(LEVEL_SHAPES) - 1)]


def build(scope: Scope, plan: Plan, *, title: str | None = None, legend: bool = False,
          links: bool = True) -> Drawing:
    """Draw the plan; `title` and `legend` are for exports, which travel without the page.
    `links=False` leaves out depends_on/contributes_to edges (the fallback when dot fails)."""
    dot = graphviz.Digraph("cascade", graph_attr=_graph_attrs(title),
                           node_attr={"fontname": "Helvetica", "fontsize": "10",
                                      "style": "filled", "color": LINE, "fontcolor": INK,
                                      "margin": "0.08,0.04"},
                           edge_attr={"color": EDGE_STYLES["tree"][1], "arrowsize": "0.6"})
    ids = {key: f"n{i}" for i, key in enumerate(plan.visible)}
    drawing = Drawing(dot=dot, ids=ids)
    members: dict[str | None, list[tuple[str, dict]]] = defaultdict(list)
    for key in plan.visible:
        members[scope.index.nodes[key].unit].append(_node(scope, key, ids, drawing))
    for summary in plan.summaries:
        members[summary.unit].append(_summary(scope, summary, ids, drawing))
    for i, unit in enumerate(scope.empty_units):
        members[unit].append(_empty_unit(scope, unit, f"e{i}", drawing))
    _clusters(dot, scope, members)
    _tree_edges(dot, scope, plan, ids)
    if links:
        _link_edges(dot, scope, plan, ids)
    if legend:
        dot.node("legend", html_label(legend_table()), shape="plaintext", style="",
                 id="legend", **{"class": "legend"})
    return drawing


def _graph_attrs(title: str | None) -> dict[str, str]:
    attrs = {"rankdir": "LR", "nodesep": "0.12", "ranksep": "0.5", "fontname": "Helvetica",
             "fontsize": "11", "bgcolor": "transparent", "pad": "0.2",
             "outputorder": "edgesfirst", "mclimit": "0.6"}
    if title is not None:
        attrs |= {"label": html_label(f"<B>{html_text(title)}</B>"), "labelloc": "t",
                  "labeljust": "l", "fontsize": "16", "bgcolor": "white"}
    return attrs


def _node(scope: Scope, key: str, ids: dict[str, str], drawing: Drawing) -> tuple[str, dict]:
    node = scope.index.nodes[key]
    found = scope.by_node.get(key, [])
    severity, open_count = worst(found), sum(not f.acknowledged for f in found)
    level, stale = scope.level[key], _stale(scope, key)
    style = ["filled"] + (["rounded"] if level == 1 else []) + \
        (["dashed"] if node.status == "retired" or (found and severity is None) else [])
    classes = ["gnode", f"status-{node.status}", f"level-{min(level, 3)}"]
    classes += [f"sev-{severity}"] if severity else []
    classes += ["stale"] if stale else []
    classes += ["context"] if key in scope.context else []
    attrs = {"label": html_label(_node_table(node.title, open_count, severity)),
             "shape": level_shape(level), "id": ids[key], "class": " ".join(classes),
             "fillcolor": "#fbfbfc" if key in scope.context else STATUS_FILL[node.status]}
    if style != ["filled"]:
        attrs["style"] = ",".join(style)
    if severity:
        attrs |= {"color": SEVERITY_COLOUR[severity], "penwidth": "3"}
    elif key in scope.context:
        attrs["color"] = MUTED
    if node.status == "retired" or key in scope.context:
        attrs["fontcolor"] = MUTED
    parent = scope.parent.get(key)
    unit = scope.index.units.get(node.unit)
    drawing.meta[ids[key]] = {
        "kind": "node", "key": key, "title": clean(node.title, 400),
        "unit": clean(unit.name, 400) if unit else "",
        "status": node.status, "parent": ids.get(parent, ""), "stale": "1" if stale else "",
        "findings": briefs(found)}
    return ids[key], attrs


def _node_table(title: str, count: int, severity: str | None) -> str:
    text = "<BR/>".join(html_text(line) for line in lines(title))
    badge = ""
    if count:
        badge = ('<TD VALIGN="TOP"><TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">'
                 f'<TR><TD BGCOLOR="{SEVERITY_COLOUR[severity]}">'
                 f'<FONT COLOR="#ffffff" POINT-SIZE="9"><B> {count} </B></FONT></TD></TR>'
                 '</TABLE></TD>')
    return ('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            f"<TR><TD>{text}</TD>{badge}</TR></TABLE>")


def _summary(scope: Scope, summary: Summary, ids: dict[str, str],
             drawing: Drawing) -> tuple[str, dict]:
    by_code, count, severity = group_findings(summary.findings)
    text = f"+{len(summary.hidden):,} node{'s' if len(summary.hidden) != 1 else ''}"
    if count:
        text += f" · {count} finding{'s' if count != 1 else ''}"
    attrs = {"label": plain(text), "shape": "folder", "style": "filled,dashed",
             "fillcolor": "#ffffff", "color": SEVERITY_COLOUR[severity] if severity else LINE,
             "penwidth": "2.5" if severity else "1", "id": summary.ident,
             "class": "gsummary" + (f" sev-{severity}" if severity else "")}
    unit = scope.index.units.get(summary.unit)
    drawing.meta[summary.ident] = {
        "kind": "summary", "title": text, "unit": clean(unit.name, 400) if unit else "",
        "expand": summary.anchor or "", "unit-filter": summary.unit_filter or "",
        "parent": ids.get(summary.anchor, ""), "findings": group_briefs(by_code)}
    return summary.ident, attrs


def group_findings(found: list[Finding]) -> tuple[dict[str, list], int, str | None]:
    """A folded group's findings in one pass: per code [findings, open ones, worst open
    severity, an example (the first open one, else the first)], the open count and the
    worst open severity overall."""
    rank = _SEVERITY_RANK
    by_code: dict[str, list] = {}
    count, best = 0, len(rank)
    for finding in found:
        entry = by_code.get(finding.code)
        if entry is None:
            entry = by_code[finding.code] = [0, 0, len(rank), finding]
        entry[0] += 1
        if not finding.acknowledged:
            level = rank[finding.severity]
            if not entry[1]:
                entry[3] = finding
            entry[1] += 1
            count += 1
            if level < entry[2]:
                entry[2] = level
            if level < best:
                best = level
    return by_code, count, SEVERITIES[best] if best < len(rank) else None


def group_briefs(by_code: dict[str, list]) -> str:
    """A folded group's tooltip: one line per finding code, worst first, with how many
    the group hides and one of them as an example, however many it holds."""
    lines_ = []
    for code, (total, open_, level, example) in sorted(
            by_code.items(), key=lambda item: (item[1][2], -item[1][0], item[0])):
        acknowledged = total - open_
        if total == 1:
            message = example.message
        else:
            message = f"{total} in this group" + \
                (f" ({acknowledged} acknowledged)" if acknowledged and open_ else "") + \
                f", for example: {example.message}"
        lines_.append({"code": code,
                       "severity": SEVERITIES[level] if open_ else example.severity,
                       "message": message, "acknowledged": not open_})
    return _brief_json(lines_)


def _empty_unit(scope: Scope, unit_key: str, ident: str, drawing: Drawing) -> tuple[str, dict]:
    found = scope.unit_findings.get(unit_key, [])
    severity = worst(found)
    unit = scope.index.units[unit_key]
    drawing.meta[ident] = {"kind": "unit", "title": "No strategy yet",
                           "unit": clean(unit.name, 400), "findings": briefs(found)}
    return ident, {"label": plain("no strategy yet"), "shape": "note", "style": "filled,dashed",
                   "fillcolor": "#ffffff", "fontcolor": MUTED, "id": ident,
                   "color": SEVERITY_COLOUR[severity] if severity else LINE,
                   "penwidth": "2.5" if severity else "1",
                   "class": "gempty" + (f" sev-{severity}" if severity else "")}


def briefs(found: list[Finding]) -> str:
    """A node's findings as the JSON its tooltip reads (cleaned of undrawable characters)."""
    if not found:
        return "[]"
    return _brief_json([{"code": f.code, "severity": f.severity, "message": f.message,
                         "acknowledged": f.acknowledged} for f in found])


def _brief_json(entries: list[dict]) -> str:
    return clean(json.dumps(entries, ensure_ascii=False), 20_000) if entries else "[]"


def _stale(scope: Scope, key: str) -> bool:
    """Same test as the engine's STALE_TRANSLATION rule, for the edge into this node."""
    node = scope.index.nodes[key]
    parent = scope.index.nodes.get(node.parent) if node.parent else None
    return (parent is not None and parent.status != "retired" and node.status != "retired"
            and node.parent_revision_seen is not None
            and node.parent_revision_seen < parent.revision)


def _clusters(dot: graphviz.Digraph, scope: Scope,
              members: dict[str | None, list[tuple[str, dict]]]) -> None:
    """One cluster per unit, nested like the unit tree; units with nothing drawn are left out."""
    index = scope.index
    wanted: set[str] = set()
    for unit in members:
        current = unit
        while current is not None and current not in wanted:
            wanted.add(current)
            current = index.unit_parent.get(current)
    kids: dict[str | None, list[str]] = defaultdict(list)
    for unit in sorted(wanted):
        kids[index.unit_parent.get(unit)].append(unit)
    numbers = {unit: i for i, unit in enumerate(sorted(wanted))}

    def add(unit: str, indent: str) -> None:  # as `Digraph.subgraph(name=...)` writes it
        severity = worst(scope.unit_findings.get(unit, []))
        body.append(f"{indent}subgraph {_quote_ours(f'cluster_{numbers[unit]}')} {{\n")
        attrs = {"label": plain(index.units[unit].name, 60), "style": "rounded",
                 "color": SEVERITY_COLOUR[severity] if severity else "#c4c9d0",
                 "fontcolor": MUTED, "fontsize": "11", "id": f"u{numbers[unit]}",
                 "class": "unit"}
        body.append(f"{indent}\t{attr_list(attrs)}\n")
        for ident, node_attrs in members.get(unit, ()):
            add_node(dot, ident, node_attrs, indent)
        for child in kids[unit]:
            add(child, indent + "\t")
        body.append(f"{indent}}}\n")

    body = dot.body
    for unit in kids[None]:
        add(unit, "\t")


def _tree_edges(dot: graphviz.Digraph, scope: Scope, plan: Plan, ids: dict[str, str]) -> None:
    for key in plan.visible:
        parent = scope.parent.get(key)
        if parent is None:
            continue
        ident = f"{ids[parent]}-{ids[key]}"
        if _stale(scope, key):
            style, colour, _ = EDGE_STYLES["stale"]
            add_edge(dot, ids[parent], ids[key], {"style": style, "color": colour,
                                                  "penwidth": "2", "id": ident,
                                                  "class": "gedge stale"})
        else:
            add_edge(dot, ids[parent], ids[key], {"id": ident, "class": "gedge tree"})
    for summary in plan.summaries:
        if summary.anchor is not None:
            add_edge(dot, ids[summary.anchor], summary.ident, {
                "style": "dashed", "color": MUTED, "id": f"{ids[summary.anchor]}-{summary.ident}",
                "class": "gedge fold"})


def _link_edges(dot: graphviz.Digraph, scope: Scope, plan: Plan, ids: dict[str, str]) -> None:
    """Links between drawn nodes, or between a node and a folded group. Links from one
    folded group to another are left out: in a big view they would bury the picture (and
    they trip a Graphviz 2.43 layout crash); the groups open to show them."""
    drawn: set[tuple[str, str, str]] = set()
    nodes = scope.index.nodes
    in_view, position = scope.parent, scope.position
    linked = [n.key for n in nodes.values() if (n.depends_on or n.contributes_to)]
    for key in sorted([k for k in linked if k in in_view], key=position.__getitem__):
        node = nodes[key]
        for kind, targets in (("depends_on", node.depends_on),
                              ("contributes_to", node.contributes_to)):
            for target in targets:
                tail, head = _shown(plan, ids, key), _shown(plan, ids, target)
                if not tail or not head or tail == head or (tail, head, kind) in drawn:
                    continue
                if tail[0] != "s" or head[0] != "s":
                    drawn.add((tail, head, kind))
                    style, colour, _ = EDGE_STYLES[kind]
                    add_edge(dot, tail, head, {
                        "style": style, "color": colour, "constraint": "false",
                        "id": f"{tail}-{head}-{kind}", "class": f"gedge {kind}"})


def _shown(plan: Plan, ids: dict[str, str], key: str) -> str | None:
    shown = plan.shown_as(key)
    return ids.get(shown, shown) if shown is not None else None


def focus_targets(scope: Scope, plan: Plan, drawing: Drawing, found: Finding) -> list[str]:
    """For "focus on a finding": the elements standing for its nodes and their path up."""
    out: list[str] = []
    seen: set[str] = set()
    for key in found.nodes:
        current = key if key in scope.parent else None
        while current is not None:
            shown = _shown(plan, drawing.ids, current)
            if shown in seen:
                break  # the rest of the path is already in
            if shown:
                seen.add(shown)
                out.append(shown)
            current = scope.parent.get(current)
    if not found.nodes and found.units and found.units[0] in scope.empty_units:
        out.append(f"e{scope.empty_units.index(found.units[0])}")
    return out


_STROKES = {"solid": "———", "bold": "<B>━━━</B>", "dashed": "– – –", "dotted": "· · · ·"}


def legend_table() -> str:
    """The legend as an HTML-like table, for exports (the page draws its own in HTML)."""
    rows = ['<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>']
    for status, fill in STATUS_FILL.items():
        rows.append(f'<TR><TD BGCOLOR="{fill}" BORDER="1" WIDTH="24"> </TD>'
                    f'<TD ALIGN="LEFT">{status}</TD></TR>')
    for severity, colour in SEVERITY_COLOUR.items():
        rows.append(f'<TR><TD BORDER="3" COLOR="{colour}" WIDTH="24"> </TD>'
                    f'<TD ALIGN="LEFT">{severity}-severity finding (badge: count)</TD></TR>')
    for style, colour, label in EDGE_STYLES.values():
        rows.append(f'<TR><TD><FONT COLOR="{colour}">{_STROKES[style]}</FONT></TD>'
                    f'<TD ALIGN="LEFT">{label}</TD></TR>')
    rows.append('<TR><TD COLSPAN="2" ALIGN="LEFT">shape: hexagon = top strategy, rounded box'
                ' = level 1, box = level 2, ellipse = deeper; folder = collapsed nodes</TD></TR>')
    return ('<TABLE BORDER="1" COLOR="#c4c9d0" CELLBORDER="0" CELLSPACING="2" '
            f'CELLPADDING="3">{"".join(rows)}</TABLE>')

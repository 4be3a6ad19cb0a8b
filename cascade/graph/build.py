"""A view's plan drawn as a `graphviz.Digraph`: units as nested clusters, nodes coloured by
status and shaped by level, findings as outlines with a count badge, links as styled edges.

The facts the page shows on hover are not part of the DOT (see `cascade.graph.facts`);
every drawn element gets an id they are attached to afterwards.

Statements go into the Digraph's body as the graphviz library itself writes them (sorted
attributes, every name and value through the library's own `quote`), without its
per-call argument checks, which cost more than the drawing at a thousand nodes. Values
that are ours (colours, shapes, ids, classes) repeat, so their quoted form is remembered;
labels carrying user text are quoted afresh every time.
"""

from __future__ import annotations

import functools
import inspect
from collections import defaultdict
from dataclasses import dataclass

import graphviz
import graphviz.quoting

from cascade import palette, trees
from cascade.coherence.model import SEVERITIES, Finding
from cascade.graph.collapse import Plan, Summary
from cascade.graph.labels import html_label, html_text, lines, plain
from cascade.graph.scope import Scope

# Colours come from cascade.palette, which the stylesheets and the page's legend share.
STATUS_FILL = {status: s.fill for status, s in palette.STATUSES.items()}
SEVERITY_COLOUR = {severity: s.stroke for severity, s in palette.SEVERITIES.items()}
BADGE_COLOUR = {severity: s.solid for severity, s in palette.SEVERITIES.items()}
EDGES = palette.EDGES
LEVEL_SHAPES = ("hexagon", "box", "box", "ellipse")  # level 0, 1, 2, 3 and deeper
ROOM_SHAPES = ("hexagon", "box", "box", "box")  # a room's picture: no wide ellipses
INK, LINE, MUTED = palette.INK, palette.MUTED, palette.MUTED  # text, outlines, faded text
FAINT = palette.BOUNDARY  # outlines of what is only context: unit boxes, folds, ancestors


def legend() -> dict:
    """The drawing's colours and line styles, for the page's own legend."""
    return {"status": STATUS_FILL, "severity": SEVERITY_COLOUR, "edges": EDGES,
            "outline": LINE, "ground": palette.PAPER, "changed": palette.CHANGED,
            "badge": (BADGE_COLOUR["high"], palette.ON_SOLID)}


@dataclass(frozen=True)
class Packing:
    """How a room's picture is packed (`cascade.graph.room` picks one by measuring): the
    direction of the tree, and how many nodes of a team's unit stack in one column (a
    row, left to right) before the next one starts beside it, so that a unit with many
    key results is a block rather than one long rank."""

    rankdir: str = "TB"
    column: int = 5


# A room's picture is judged by its text when fitted (cascade.graph.room): type 2.4 times the
# desk's, with spacing kept as small as dot's routing allows, gives the text the most of the
# screen (on the demo each larger size gained less; at 24 pt it reaches 12 px at 1366×768);
# unit names keep 80% of the node text's size, and lines are thickened to match.
ROOM_FONT = 24
ROOM_NODE = {"fontsize": str(ROOM_FONT), "margin": "0.04,0.02", "penwidth": "2"}
ROOM_EDGE = {"penwidth": "2", "arrowsize": "1"}  # lines as thick on screen as the desk's
ROOM_GRAPH = {"nodesep": "0.02", "ranksep": "0.12", "pad": "0.05", "newrank": "true"}
ROOM_CLUSTER = {"margin": "3", "fontsize": "20", "penwidth": "2"}
ROOM_WRAP = (16, 2)  # characters per line, lines: the full title is in the hover and list


@dataclass
class Drawing:
    dot: graphviz.Digraph  # element ids: the plan's (`Plan.ids`, `Plan.element`)
    packing: Packing | None = None  # a room's picture


_quote = inspect.unwrap(graphviz.quoting.quote)  # the library's quoting, minus its arg checks
_quote_ours = functools.lru_cache(maxsize=4096)(_quote)  # for our own repeating values


@functools.lru_cache(maxsize=8192)
def _pair(name: str, value: str) -> str:
    """`name=value`, both quoted, for our own repeating attributes (not labels)."""
    return f"{_quote(name)}={_quote(value)}"


def attr_list(attrs: dict[str, str]) -> str:
    """`graphviz.quoting.a_list` for a plain dict: sorted, names and values quoted."""
    return " ".join([f"label={_quote(value)}" if name == "label" else _pair(name, value)
                     for name, value in sorted(attrs.items()) if value is not None])


def add_node(into: graphviz.Digraph, ident: str, attrs: dict[str, str], indent: str = "") -> None:
    """What `Digraph.node(ident, **attrs)` appends (the label first, as the library puts
    it), `indent` deeper inside subgraphs."""
    label = attrs.get("label")
    listed = " ".join([_pair(name, value) for name, value in sorted(attrs.items())
                       if value is not None and name != "label"])
    if label is not None:
        listed = f"label={_quote(label)} {listed}" if listed else f"label={_quote(label)}"
    into.body.append(f"{indent}\t{_quote_ours(ident)} [{listed}]\n")


def add_edge(into: graphviz.Digraph, tail: str, head: str, attrs: dict[str, str]) -> None:
    """What `Digraph.edge(tail, head, **attrs)` appends (our ids carry no ports)."""
    into.body.append(f"\t{_quote_ours(tail)} -> {_quote_ours(head)} [{attr_list(attrs)}]\n")


def worst(findings: list[Finding]) -> str | None:
    """The most severe open finding's severity; None when all are acknowledged (or none)."""
    open_ = [f.severity for f in findings if not f.acknowledged]
    return min(open_, key=SEVERITIES.index) if open_ else None


def level_shape(level: int, room: bool = False) -> str:
    shapes = ROOM_SHAPES if room else LEVEL_SHAPES
    return shapes[min(level, len(shapes) - 1)]


def build(scope: Scope, plan: Plan, *, title: str | None = None, legend: bool = False,
          links: bool = True, packing: Packing | None = None) -> Drawing:
    """Draw the plan; `title` and `legend` are for exports, which travel without the page.
    `links=False` leaves out depends_on/contributes_to edges (the fallback when dot fails).
    `packing`: a room's compact picture (short labels, tight spacing, teams as blocks)."""
    node_attr = {"fontname": "Helvetica", "fontsize": "10", "style": "filled",
                 "color": LINE, "fontcolor": INK, "margin": "0.08,0.04"}
    dot = graphviz.Digraph("cascade", graph_attr=_graph_attrs(title, packing),
                           node_attr=node_attr | (ROOM_NODE if packing else {}),
                           edge_attr={"color": EDGES["tree"].colour, "arrowsize": "0.6",
                                      **(ROOM_EDGE if packing else {})})
    ids = plan.ids
    drawing = Drawing(dot=dot, packing=packing)
    members: dict[str | None, list[tuple[str, dict]]] = defaultdict(list)
    for key in plan.visible:
        members[scope.index.nodes[key].unit].append(_node(scope, key, ids, packing is not None))
    for summary in plan.summaries:
        members[summary.unit].append(_summary(summary))
    for i, unit in enumerate(scope.empty_units):
        members[unit].append(_empty_unit(scope, unit, f"e{i}"))
    _clusters(dot, scope, members, packing is not None)
    blocks = _blocks(dot, scope, members, packing) if packing is not None else {}
    _tree_edges(dot, scope, plan, ids, blocks)
    if links:
        _link_edges(dot, scope, plan, ids)
    if legend:
        dot.node("legend", html_label(legend_table()), shape="plaintext", style="",
                 id="legend", **{"class": "legend"})
    return drawing


def _graph_attrs(title: str | None, packing: Packing | None = None) -> dict[str, str]:
    attrs = {"rankdir": "LR", "nodesep": "0.12", "ranksep": "0.5", "fontname": "Helvetica",
             "fontsize": "11", "bgcolor": "transparent", "pad": "0.2",
             "outputorder": "edgesfirst", "mclimit": "0.6"}
    if packing is not None:
        attrs |= ROOM_GRAPH | {"rankdir": packing.rankdir}
    if title is not None:
        attrs |= {"label": html_label(f"<B>{html_text(title)}</B>"), "labelloc": "t",
                  "labeljust": "l", "fontsize": "16", "bgcolor": "white"}
    return attrs


def _node(scope: Scope, key: str, ids: dict[str, str], room: bool = False) -> tuple[str, dict]:
    node = scope.index.nodes[key]
    found = scope.by_node.get(key, [])
    severity, open_count = worst(found), sum(not f.acknowledged for f in found)
    level, stale = scope.level[key], scope.is_stale(key)
    # retired: a dashed outline; findings all acknowledged: a dotted one (the legend says so)
    style = ["filled"] + (["rounded"] if level == 1 else []) + \
        (["dashed"] if node.status == "retired" else
         ["dotted"] if found and severity is None else [])
    classes = ["gnode", f"status-{node.status}", f"level-{min(level, 3)}"]
    classes += [f"sev-{severity}"] if severity else []
    classes += ["stale"] if stale else []
    classes += ["context"] if key in scope.context else []
    attrs = {"label": html_label(_node_table(node.title, open_count, severity, room)),
             "shape": level_shape(level, room), "id": ids[key], "class": " ".join(classes),
             "fillcolor": palette.CONTEXT_FILL if key in scope.context
             else STATUS_FILL[node.status]}
    if style != ["filled"]:
        attrs["style"] = ",".join(style)
    if severity:
        attrs |= {"color": SEVERITY_COLOUR[severity], "penwidth": "5" if room else "3"}
    elif key in scope.context:
        attrs["color"] = FAINT
    if node.status == "retired" or key in scope.context:
        attrs["fontcolor"] = MUTED
    if key in scope.changed:  # a second outline, whatever the severity's colour
        attrs |= {"peripheries": "2", "class": attrs["class"] + " changed"}
        attrs.setdefault("color", palette.CHANGED)
    return ids[key], attrs


def _node_table(title: str, count: int, severity: str | None, room: bool = False) -> str:
    text = "<BR/>".join(html_text(line) for line in lines(title, *ROOM_WRAP if room else ()))
    badge = ""
    if count:
        size = ROOM_FONT if room else 9
        badge = ('<TD VALIGN="TOP"><TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">'
                 f'<TR><TD BGCOLOR="{BADGE_COLOUR[severity]}">'
                 f'<FONT COLOR="{palette.ON_SOLID}" POINT-SIZE="{size}"><B> {count} </B></FONT>'
                 '</TD></TR>'
                 '</TABLE></TD>')
    return ('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            f"<TR><TD>{text}</TD>{badge}</TR></TABLE>")


def _summary(summary: Summary) -> tuple[str, dict]:
    severity = summary.open_and_worst[1]
    return summary.ident, {
        "label": plain(summary.label), "shape": "folder", "style": "filled,dashed",
        "fillcolor": palette.PAPER, "color": SEVERITY_COLOUR[severity] if severity else LINE,
        "penwidth": "2.5" if severity else "1", "id": summary.ident,
        "class": "gsummary" + (f" sev-{severity}" if severity else "")}


def _empty_unit(scope: Scope, unit_key: str, ident: str) -> tuple[str, dict]:
    severity = worst(scope.unit_findings.get(unit_key, []))
    return ident, {"label": plain("no strategy yet"), "shape": "note", "style": "filled,dashed",
                   "fillcolor": palette.PAPER, "fontcolor": MUTED, "id": ident,
                   "color": SEVERITY_COLOUR[severity] if severity else LINE,
                   "penwidth": "2.5" if severity else "1",
                   "class": "gempty" + (f" sev-{severity}" if severity else "")}


def unit_tree(scope: Scope, members: dict[str | None, list[tuple[str, dict]]]
              ) -> tuple[dict[str | None, list[str]], dict[str, int]]:
    """The units to draw as clusters (those with members, and their ancestors): each
    one's drawn children (under None: the top ones) and its cluster number."""
    index = scope.index
    wanted: set[str] = set()
    for unit in members:
        if unit is not None and unit not in wanted:
            wanted.add(unit)
            wanted.update(trees.ancestors(unit, index.unit_parent))
    kids: dict[str | None, list[str]] = defaultdict(list)
    for unit in sorted(wanted):
        kids[index.unit_parent.get(unit)].append(unit)
    return kids, {unit: i for i, unit in enumerate(sorted(wanted))}


def cluster_attrs(scope: Scope, unit: str, number: int, room: bool = False) -> dict[str, str]:
    severity = worst(scope.unit_findings.get(unit, []))
    return {"label": plain(scope.index.units[unit].name, 60), "style": "rounded",
            "color": SEVERITY_COLOUR[severity] if severity else FAINT,
            "fontcolor": MUTED, "fontsize": "11", "id": f"u{number}", "class": "unit",
            **(ROOM_CLUSTER if room else {})}


def _clusters(dot: graphviz.Digraph, scope: Scope,
              members: dict[str | None, list[tuple[str, dict]]], room: bool = False) -> None:
    """One cluster per unit, nested like the unit tree; units with nothing drawn are left
    out. Written as `Digraph.subgraph(name=...)` and `.attr(...)` write it
    (tests/unit/test_graph_dot.py holds the two equal)."""
    kids, numbers = unit_tree(scope, members)

    def add(unit: str, indent: str) -> None:
        body.append(f"{indent}subgraph {_quote_ours(f'cluster_{numbers[unit]}')} {{\n")
        body.append(f"{indent}\t{attr_list(cluster_attrs(scope, unit, numbers[unit], room))}\n")
        for ident, node_attrs in members.get(unit, ()):
            add_node(dot, ident, node_attrs, indent)
        for child in kids[unit]:
            add(child, indent + "\t")
        body.append(f"{indent}}}\n")

    body = dot.body
    for unit in kids[None]:
        add(unit, "\t")


def _blocks(dot: graphviz.Digraph, scope: Scope,
            members: dict[str | None, list[tuple[str, dict]]], packing: Packing) -> dict[str, str]:
    """The drawn elements of each unit without drawn units below it (a team's), laid out
    as a block (`_block`); returns the unit of each element in a block."""
    kids, _ = unit_tree(scope, members)
    blocks: dict[str, str] = {}
    for unit, drawn in members.items():
        if unit is not None and not kids[unit] and len(drawn) > 1:
            idents = [ident for ident, _ in drawn]
            _block(dot, idents, packing.column)
            blocks.update(dict.fromkeys(idents, unit))
    return blocks


def _block(dot: graphviz.Digraph, idents: list[str], column: int) -> None:
    """A unit's elements in columns of `column`, in tree order, the columns side by side
    (their heads on one rank): invisible edges hold the shape, and the tree edges inside
    the block leave the ranking to them (`_tree_edges`)."""
    for i in range(1, len(idents)):
        if i % column:
            add_edge(dot, idents[i - 1], idents[i], {"style": "invis", "weight": "2"})
    heads = "; ".join(_quote_ours(ident) for ident in idents[::column])
    dot.body.append(f"\t{{rank=same; {heads}}}\n")


def _tree_edges(dot: graphviz.Digraph, scope: Scope, plan: Plan, ids: dict[str, str],
                blocks: dict[str, str] | None = None) -> None:
    """Parent to child, and a folded group to the node it opens; `blocks` (from `_clusters`):
    an edge inside one block leaves the ranks to the block's shape."""
    blocks = blocks or {}

    def loose(tail: str, head: str) -> dict[str, str]:
        inside = head in blocks and blocks.get(tail) == blocks[head]
        return {"constraint": "false"} if inside else {}

    for key in plan.visible:
        parent = scope.parent.get(key)
        if parent is None:
            continue
        tail, head = ids[parent], ids[key]
        ident = f"{tail}-{head}"
        if scope.is_stale(key):
            stale = EDGES["stale"]
            add_edge(dot, tail, head, {"style": stale.style, "color": stale.colour,
                                       "penwidth": "2", "id": ident, "class": "gedge stale",
                                       **loose(tail, head)})
        else:
            add_edge(dot, tail, head, {"id": ident, "class": "gedge tree", **loose(tail, head)})
    for summary in plan.summaries:
        if summary.anchor is not None:
            tail = ids[summary.anchor]
            add_edge(dot, tail, summary.ident, {
                "style": "dashed", "color": FAINT, "id": f"{tail}-{summary.ident}",
                "class": "gedge fold", **loose(tail, summary.ident)})


def _link_edges(dot: graphviz.Digraph, scope: Scope, plan: Plan, ids: dict[str, str]) -> None:
    """Links between drawn nodes, or between a node and a folded group. Links from one
    folded group to another are left out: in a big view they would bury the picture (and
    they trip a Graphviz 2.43 layout crash); the groups open to show them."""
    drawn: set[tuple[str, str, str]] = set()
    nodes, in_view = scope.index.nodes, scope.parent
    for key in scope.tree.linked:  # in tree order, and so in the view's order
        if key not in in_view:
            continue
        node = nodes[key]
        for kind, targets in (("depends_on", node.depends_on),
                              ("contributes_to", node.contributes_to)):
            for target in targets:
                if key not in ids and target not in ids:
                    continue  # both ends hidden in groups (or out of the view)
                tail, head = plan.element(key), plan.element(target)
                if not tail or not head or tail == head or (tail, head, kind) in drawn:
                    continue
                drawn.add((tail, head, kind))
                line, state = _line(scope, key, target, kind)
                add_edge(dot, tail, head, {
                    "style": line.graphviz, "color": line.colour, "constraint": "false",
                    "id": f"{tail}-{head}-{kind}", "class": f"gedge {kind} {state}".rstrip()})


def _line(scope: Scope, key: str, target: str, kind: str):
    """A link's line and its agreement state: a dependency the other unit has not committed
    to yet, or declined, looks different from a committed one (the legend says how)."""
    if kind != "depends_on":
        return EDGES[kind], ""
    agreement = scope.index.agreements.get((key, target))
    state = agreement.state if agreement is not None else ""
    style = {"requested": "awaiting", "countered": "awaiting", "declined": "declined"}
    return EDGES[style.get(state, "depends_on")], state if state in style else ""


_STROKES = {"solid": "———", "bold": "<B>━━━</B>", "dashed": "– – –", "dotted": "· · · ·",
            "bold-dashed": "<B>– – –</B>"}


def legend_table() -> str:
    """The legend as an HTML-like table, for exports (the page draws its own in HTML)."""
    rows = ['<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>']
    for status, fill in STATUS_FILL.items():
        rows.append(f'<TR><TD BGCOLOR="{fill}" BORDER="1" WIDTH="24"> </TD>'
                    f'<TD ALIGN="LEFT">{status}</TD></TR>')
    for severity, colour in SEVERITY_COLOUR.items():
        rows.append(f'<TR><TD BORDER="3" COLOR="{colour}" WIDTH="24"> </TD>'
                    f'<TD ALIGN="LEFT">{severity}-severity finding (badge: count)</TD></TR>')
    for edge in EDGES.values():
        rows.append(f'<TR><TD><FONT COLOR="{edge.colour}">{_STROKES[edge.style]}</FONT></TD>'
                    f'<TD ALIGN="LEFT">{edge.label}</TD></TR>')
    rows.append('<TR><TD COLSPAN="2" ALIGN="LEFT">outline: dashed = retired, dotted = its '
                'findings are all acknowledged, double = changed since the comparison</TD></TR>')
    rows.append('<TR><TD COLSPAN="2" ALIGN="LEFT">shape: hexagon = top strategy, rounded box'
                ' = level 1, box = level 2, ellipse = deeper; folder = collapsed nodes</TD></TR>')
    return (f'<TABLE BORDER="1" COLOR="{FAINT}" CELLBORDER="0" CELLSPACING="2" '
            f'CELLPADDING="3">{"".join(rows)}</TABLE>')

"""The graph pipeline on hand-made snapshots: filters, collapsing, drawing and safe SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from cascade.coherence import analyse
from cascade.coherence.model import SEVERITIES, Node, Snapshot, Unit
from cascade.graph.cache import Cache
from cascade.graph.facts import hover_facts
from cascade.graph.labels import clean
from cascade.graph.options import GraphOptions
from cascade.graph.render import DotRun, Layout, RenderError, marks, safe_svg
from cascade.graph.view import draw
from tests.unit.builders import AS_OF

SVG = "{http://www.w3.org/2000/svg}"

# Strings that have broken DOT sources or SVG pages elsewhere, and some that try to inject.
HOSTILE = [
    'He said "stop" \\" and left',
    "C:\\path\\to\\file\\",
    "trailing backslash \\",
    "{braces} [brackets] ;semicolons; -> edges -- too",
    "<b>bold</b> <<html>> <TABLE>",
    "<script>alert('x')</script>",
    '"><svg onload=alert(1)>',
    "<img src=x onerror=alert(1)>",
    "javascript:alert(document.cookie)",
    "]]> <![CDATA[ x ]]> <!-- comment -->",
    "&amp; &lt; &#60; &nbsp; & alone",
    "tab\tnew\nline\rcarriage \x00nul \x07bell \x1bescape \x7f \x9f",
    "\\N \\G \\L \\l \\n \\r",
    "שלום עולם مرحبا بالعالم",
    "\u202eevil override\u202c and \u2066isolate\u2069",
    "emoji 🚀🔥👩🏽‍💻 and flags 🇪🇺",
    "lone surrogate \ud800 here",
    "graph digraph subgraph node edge strict",
    "x" * 500,
]


def snapshot(titles: list[str], unit_name: str = "Team") -> Snapshot:
    units = (Unit("org", "Org"), Unit("team", unit_name, "org"))
    nodes = [Node("root", "Root", "org", status="agreed")]
    nodes += [Node(f"n{i}", title, "team", "root", status="agreed", depends_on=("root",))
              for i, title in enumerate(titles)]
    return Snapshot("w", units=units, nodes=tuple(nodes))


def tree(size: int, fanout: int = 4) -> Snapshot:
    """A balanced strategy tree of `size` nodes over one unit per parent node's subtree."""
    units = [Unit("u0", "Org")] + [Unit(f"u{i}", f"Unit {i}", "u0") for i in range(1, 6)]
    nodes = [Node("k0", "Top", "u0")]
    for i in range(1, size):
        nodes.append(Node(f"k{i}", f"Node {i}", f"u{1 + i % 5}", f"k{(i - 1) // fanout}",
                          status="agreed" if i % 3 else "draft"))
    return Snapshot("w", units=tuple(units), nodes=tuple(nodes))


def picture(snap: Snapshot, options: GraphOptions | None = None):
    options = options or GraphOptions()
    found = analyse(snap, AS_OF)
    scope, plan, drawing = draw(snap, found, options)
    with DotRun(drawing.dot.source, "svg", 60) as run:
        svg = safe_svg(run.output(), marks(hover_facts(scope, plan)))
    return scope, plan, drawing, svg


def test_every_node_is_drawn_with_its_data_when_the_view_fits():
    _, plan, drawing, svg = picture(tree(20))
    assert len(plan.visible) == 20 and not plan.summaries
    keys = re.findall(r'data-key="([^"]+)"', svg)
    assert sorted(keys) == sorted(f"k{i}" for i in range(20))
    assert 'data-status="draft"' in svg and 'data-unit="Unit 1"' in svg


def test_units_are_clusters_nested_like_the_unit_tree():
    _, _, drawing, _ = picture(tree(20))
    source = drawing.dot.source
    outer = source.index("subgraph cluster_0")
    assert all(source.index(f'label="Unit {i}"') > outer for i in range(1, 6))
    assert source.count("subgraph cluster_") == 6


def test_big_view_collapses_to_the_budget_and_counts_what_it_hides():
    snap = tree(2000)
    _, plan, drawing, svg = picture(snap, GraphOptions(budget=100))
    assert len(plan.visible) + len(plan.summaries) <= 100
    hidden = sum(len(s.hidden) for s in plan.summaries)
    assert len(plan.visible) + hidden == 2000  # nothing lost: shown or counted
    first = plan.summaries[0]
    assert f"+{len(first.hidden):,} nodes" in svg
    assert f'data-expand="{first.anchor}"' in svg


def test_summary_counts_the_findings_of_the_nodes_it_hides():
    nodes = [Node("top", "Top", "org")]
    nodes += [Node(f"a{i}", f"A{i}", "team", "top") for i in range(30)]
    nodes += [Node(f"b{i}", f"B{i}", "team", f"a{i}", revision=2) for i in range(30)]
    nodes += [Node(f"c{i}", f"C{i}", "team", f"b{i}", parent_revision_seen=1) for i in range(30)]
    snap = Snapshot("w", units=(Unit("org", "Org"), Unit("team", "Team", "org")),
                    nodes=tuple(nodes))
    _, plan, _, svg = picture(snap, GraphOptions(budget=40))
    stale = [s for s in plan.summaries if any(f.code == "STALE_TRANSLATION" for f in s.findings)]
    assert stale and "finding" in svg
    assert all(len(s.findings) <= len(s.hidden) * 3 for s in plan.summaries)


@pytest.mark.parametrize("acknowledge", ["none", "every other", "all"])
def test_summary_label_and_colour_count_only_open_findings(acknowledge):
    nodes = [Node("top", "Top", "org")]
    nodes += [Node(f"a{i}", f"A{i}", "team", "top", revision=2) for i in range(30)]
    nodes += [Node(f"b{i}", f"B{i}", "team", f"a{i}", parent_revision_seen=1, revision=2)
              for i in range(30)]
    nodes += [Node(f"c{i}", f"C{i}", "team", f"b{i}", parent_revision_seen=1) for i in range(30)]
    units = (Unit("org", "Org"), Unit("team", "Team", "org"))
    found = analyse(Snapshot("w", units=units, nodes=tuple(nodes)), AS_OF)
    chosen = {"none": [], "every other": found[::2], "all": found}[acknowledge]
    snap = Snapshot("w", units=units, nodes=tuple(nodes),
                    acknowledged=frozenset(f.fingerprint for f in chosen))
    _, plan, _, svg = picture(snap, GraphOptions(budget=40))
    assert plan.summaries
    for summary in plan.summaries:
        open_ = [f for f in summary.findings if not f.acknowledged]
        worst = min((f.severity for f in open_), key=SEVERITIES.index, default=None)
        assert summary.open_and_worst == (len(open_), worst) \
            == (summary.tally.open, summary.tally.severity)
        if acknowledge == "all":
            assert " · " not in summary.label
            assert f'id="{summary.ident}" class="node gsummary"' in svg  # no severity colour


def test_expanding_a_summary_shows_its_children():
    snap = tree(2000)
    _, plan, _, _ = picture(snap, GraphOptions(budget=100))
    anchor = plan.summaries[-1].anchor
    _, opened, _, _ = picture(snap, GraphOptions(budget=100, expand=(anchor,)))
    children = [n.key for n in snap.nodes if n.parent == anchor]
    assert set(children) <= set(opened.visible)


def test_subtree_and_depth_filters():
    snap = tree(100)
    scope, _, _, _ = picture(snap, GraphOptions(root="k1"))
    assert scope.keys[0] == "k1" and "k2" not in scope.keys and "k5" in scope.keys
    scope, _, _, _ = picture(snap, GraphOptions(root="k1", depth=1))
    assert set(scope.keys) == {"k1", "k5", "k6", "k7", "k8"}


def test_unit_status_and_code_filters_keep_ancestors_as_context():
    snap = tree(40)
    scope, _, _, svg = picture(snap, GraphOptions(status="draft"))
    drafts = {n.key for n in snap.nodes if n.status == "draft"}
    assert drafts <= set(scope.keys)
    assert scope.context and all(snap_status(snap, k) != "draft" for k in scope.context)
    assert "context" in svg
    scope, _, _, _ = picture(snap, GraphOptions(unit="u2"))
    assert {n.key for n in snap.nodes if n.unit == "u2"} <= set(scope.keys)
    scope, _, _, _ = picture(snap, GraphOptions(code="NO_SUCH_CODE"))
    assert scope.keys == []


def snap_status(snap: Snapshot, key: str) -> str:
    return next(n.status for n in snap.nodes if n.key == key)


def test_links_are_styled_and_do_not_constrain_ranks():
    nodes = (Node("a", "A", "org"), Node("b", "B", "org", "a", depends_on=("c",)),
             Node("c", "C", "org", "a", contributes_to=("b",)))
    snap = Snapshot("w", units=(Unit("org", "Org"),), nodes=nodes)
    _, _, drawing, svg = picture(snap)
    source = drawing.dot.source
    assert re.search(r"n1 -> n2 \[[^]]*class=\"gedge depends_on\"[^]]*constraint=false", source)
    assert re.search(r"n2 -> n1 \[[^]]*class=\"gedge contributes_to\"[^]]*style=dotted", source)
    assert 'class="edge gedge depends_on"' in svg and "ortho" not in source


def test_stale_translation_edges_are_marked():
    nodes = (Node("a", "A", "org", revision=3),
             Node("b", "B", "team", "a", parent_revision_seen=2))
    snap = Snapshot("w", units=(Unit("org", "Org"), Unit("team", "Team", "org")), nodes=nodes)
    _, _, _, svg = picture(snap)
    assert 'class="edge gedge stale"' in svg
    assert "stale" in node_group(svg, "b").get("class").split()
    assert node_group(svg, "b").get("data-stale") == "1"


def test_findings_outline_nodes_by_severity_with_a_count_badge():
    nodes = (Node("a", "A", "org"), Node("b", "B", "team", "a", status="agreed"),
             Node("x", "Loose", "team"))
    snap = Snapshot("w", units=(Unit("org", "Org"), Unit("team", "Team", "org")), nodes=nodes)
    _, _, drawing, svg = picture(snap)
    group = node_group(svg, "x")
    assert "sev-high" in group.get("class").split(), "the UNALIGNED node is outlined in red"
    assert any(el.get("stroke") == "#b42318" and el.get("stroke-width") == "3"
               for el in group.iter())
    assert [t.text.strip() for t in group.iter(f"{SVG}text")][-1] == "1"  # the badge
    assert "sev-high" not in node_group(svg, "a").get("class")


def node_group(svg: str, key: str) -> ET.Element:
    return next(g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("data-key") == key)


def test_units_without_strategy_but_with_findings_still_appear():
    units = (Unit("org", "Org"), Unit("team", "Quiet team", "org"))
    snap = Snapshot("w", units=units, nodes=(Node("a", "A", "org", status="agreed"),))
    scope, _, _, svg = picture(snap)
    assert scope.empty_units == ["team"] and "no strategy yet" in svg


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_titles_and_unit_names_draw_safely(text):
    _, _, drawing, svg = picture(snapshot([text, text + " again"], unit_name=text))
    root = ET.fromstring(svg)  # well-formed
    tags = {el.tag.removeprefix(SVG) for el in root.iter()}
    assert tags <= {"svg", "g", "title", "text", "path", "polygon", "polyline", "ellipse"}
    attributes = {name for el in root.iter() for name in el.attrib}
    assert not [a for a in attributes if a.lower().startswith("on") or "href" in a]
    assert "<script" not in svg and "<img" not in svg
    titles = [g.get("data-title") for g in root.iter(f"{SVG}g") if g.get("data-key") == "n0"]
    assert titles == [clean(text, 400)]  # the title, minus what cannot be drawn


def test_hostile_text_never_becomes_markup():
    _, _, _, svg = picture(snapshot(HOSTILE))
    root = ET.fromstring(svg)
    for el in root.iter():
        assert el.tag.removeprefix(SVG) not in {"script", "a", "foreignObject", "image", "img"}
    drawn = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "<script>alert('x')" in drawn and "<img src=x" in drawn  # text, literally


def test_unsafe_svg_is_rebuilt_without_scripts_links_or_handlers():
    raw = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
           b'xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10" viewBox="0 0 1 1">'
           b'<g id="n0" class="node" onclick="alert(1)">\n<title>n0</title>'
           b'<a xlink:href="javascript:alert(1)"><text x="1" y="1">hi</text></a>'
           b'<script>alert(2)</script><foreignObject><div/></foreignObject>'
           b'<path d="M0 0" style="x" onmouseover="alert(3)"/></g></svg>')
    svg = safe_svg(raw, marks({"n0": {"kind": "node", "title": "T", "findings": "[]"}}))
    assert "alert" not in svg and "script" not in svg and "foreignObject" not in svg
    assert "<text" in svg and ">hi<" in svg and 'data-kind="node"' in svg


def test_layout_is_cached_by_source_and_format(monkeypatch):
    calls = []

    class CountedDot(DotRun):
        def __init__(self, source, fmt, timeout=60):
            calls.append(fmt)
            super().__init__(source, fmt, timeout)

        def output(self, consume=None):
            super().output()
            return b"<svg/>"

    monkeypatch.setattr("cascade.graph.render.DotRun", CountedDot)
    cache = Cache()

    def layout(source: str, fmt: str) -> bytes:
        with Layout(source, fmt, cache, 60) as pending:
            return pending.output()
    assert layout("digraph { a }", "svg") == b"<svg/>"
    layout("digraph { a }", "svg")
    layout("digraph { a }", "png")
    layout("digraph { b }", "svg")
    assert calls == ["svg", "png", "svg"]


def test_dot_runs_while_the_caller_works_and_never_outlives_its_block():
    slow = "digraph { " + " ".join(f"n{i} -> n{i + 1};" for i in range(3000)) + " }"
    with DotRun(slow, "svg") as run:
        assert run.process.poll() is None  # started, laying out while we go on
    assert run.process.returncode is not None  # left unfinished: killed and reaped
    with pytest.raises(RenderError, match="took longer than 0.01 s"), \
            DotRun(slow, "svg", timeout=0.01) as run:
        run.output()
    assert run.process.returncode is not None
    with DotRun("digraph { a -> b }", "svg") as run:
        assert b"<svg" in run.output()
    with pytest.raises(RenderError, match="dot failed") as failed, \
            DotRun("digraph { a -> }", "svg") as run:
        run.output()
    assert failed.value.crashed


def test_options_ignore_junk_from_the_query_string():
    options = GraphOptions.from_args({"depth": "-3", "status": "exploded", "root": " k1 ",
                                      "expand": "b,a,,a", "unit": "x" * 500}, 300)
    assert options == GraphOptions(root="k1", expand=("a", "b"), budget=300)
    assert GraphOptions.from_args({"depth": "99"}, 5).depth == 50
    assert GraphOptions.from_args({}, 5).budget == 10

"""The graph page, its fragment and exports: who sees them, what they show, and caching."""

from __future__ import annotations

import re
import secrets
import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa

from cascade import graph
from cascade.db import db
from cascade.findings import analysis, stored
from cascade.graph import render
from cascade.models import Link, LinkKind, Node
from tests.factories import make_node, make_unit

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def own_cache_space(app):
    """Each test gets its own Redis key space, so nothing cached by another run leaks in."""
    app.config["GRAPH_CACHE_PREFIX"] = f"cascade:test:{secrets.token_hex(6)}:"
    graph.init_app(app)  # as the app starts with that setting


@pytest.fixture
def strategy(org):
    ws, units = org.workspace, org.units
    vision = make_node(ws, units["acme"], "vision", "Acme 2027", revision=1)
    shop = make_node(ws, units["shop"], "obj-shop", "Sell more", parent=vision)
    plat = make_node(ws, units["platform"], "obj-plat", "Faster teams", parent=vision)
    checkout = make_node(ws, units["checkout"], "co-1", "One-tap checkout", parent=shop)
    pay = make_node(ws, units["payments"], "pay-1", "Payments API", parent=plat)
    db.session.add(Link(workspace_id=ws.id, source=checkout, target=pay,
                        kind=LinkKind.DEPENDS_ON))
    shop.revise("Sell more, faster", "", None)  # co-1 is now a stale translation
    db.session.commit()
    return org


def svg_of(html: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg\b.*?</svg>", html, re.S).group(0))


def keys(html: str) -> set[str]:
    return {g.get("data-key") for g in svg_of(html).iter(f"{SVG}g") if g.get("data-key")}


def test_coach_sees_the_whole_workspace_graph(client, login, strategy):
    login(strategy.people["coach"])
    page = client.get("/w/acme/graph").get_data(as_text=True)
    assert keys(page) == {"vision", "obj-shop", "obj-plat", "co-1", "pay-1"}
    assert "Legend" in page and "Findings in view" in page and "Showing 5 of 5 nodes" in page
    assert 'class="edge gedge stale"' in page and "gedge depends_on" in page
    assert re.search(r'<script(?! src=)', page) is None  # no inline script, CSP holds


@pytest.mark.parametrize("who", ["member", "leader", "admin", "tribe_leader"])
def test_everyone_in_the_workspace_may_view(client, login, strategy, who):
    login(strategy.people[who])
    assert client.get("/w/acme/graph").status_code == 200
    assert client.get("/w/acme/graph.dot").status_code == 200


def test_strangers_are_sent_to_sign_in(client, strategy):
    response = client.get("/w/acme/graph")
    assert response.status_code == 302 and "sign-in" in response.headers["Location"]


def test_outsiders_get_404(client, login, strategy):
    login(strategy.people["outsider"])
    for path in ("/w/acme/graph", "/w/acme/graph/view", "/w/acme/graph.svg"):
        assert client.get(path).status_code == 404


def test_fragment_filters_to_a_subtree_a_unit_and_a_status(client, login, strategy):
    login(strategy.people["coach"])
    subtree = client.get("/w/acme/graph/view?root=obj-shop").get_data(as_text=True)
    assert keys(subtree) == {"obj-shop", "co-1"} and "<html" not in subtree
    unit = client.get("/w/acme/graph/view?unit=platform").get_data(as_text=True)
    assert keys(unit) == {"vision", "obj-plat", "pay-1"}  # vision as context
    none = client.get("/w/acme/graph/view?status=retired").get_data(as_text=True)
    assert "No nodes match these filters" in none


def test_findings_list_focus_targets_point_at_drawn_nodes(client, login, strategy):
    login(strategy.people["coach"])
    page = client.get("/w/acme/graph").get_data(as_text=True)
    drawn = {g.get("id") for g in svg_of(page).iter(f"{SVG}g")}
    targets = re.findall(r'data-focus="([^"]+)"', page)
    assert targets and all(set(t.split()) <= drawn for t in targets)


def test_cached_views_skip_analysis_and_dot_and_new_views_share_one_analysis(
        client, login, strategy, monkeypatch):
    """The write analysed the workspace once (after its commit); views never run the
    engine: a cached view needs no dot either, a new view of that version only dot."""
    calls = {"dot": 0, "analyse": 0}
    real_analyse = analysis.analyse_workspace

    class CountingDot(render.DotRun):
        def __init__(self, *args, **kwargs):
            calls["dot"] += 1
            super().__init__(*args, **kwargs)

    def counting_analyse(*args, **kwargs):
        calls["analyse"] += 1
        return real_analyse(*args, **kwargs)

    monkeypatch.setattr(render, "DotRun", CountingDot)
    monkeypatch.setattr(analysis, "analyse_workspace", counting_analyse)
    login(strategy.people["coach"])
    first = client.get("/w/acme/graph").get_data(as_text=True)
    assert calls == {"dot": 1, "analyse": 0}
    again = client.get("/w/acme/graph").get_data(as_text=True)
    assert calls == {"dot": 1, "analyse": 0} and keys(again) == keys(first)
    # A new view of the same workspace version is drawn anew from the kept analysis.
    deeper = client.get("/w/acme/graph/view?depth=1").get_data(as_text=True)
    assert calls == {"dot": 2, "analyse": 0} and keys(deeper) < keys(first)
    pay = db.session.scalar(sa.select(Node).where(Node.key == "pay-1"))
    pay.revise("Payments API v2", "", None)
    db.session.commit()  # the new version is analysed once, after the commit
    assert calls["analyse"] == 1
    changed = client.get("/w/acme/graph/view?depth=1").get_data(as_text=True)
    assert calls["analyse"] == 1 and keys(changed) == keys(deeper)
    assert "Payments API v2" in client.get("/w/acme/graph").get_data(as_text=True)


def test_keeping_no_analyses_loads_the_stored_one_for_every_new_view(app, client, login,
                                                                     strategy, monkeypatch):
    app.config["ANALYSES_KEPT"] = 0
    analysis.init_app(app)  # as the app starts with that setting
    calls, loads = [], []
    real_analyse, real_load = analysis.analyse_workspace, stored.load
    monkeypatch.setattr(analysis, "analyse_workspace",
                        lambda *args, **kwargs: calls.append(1) or real_analyse(*args, **kwargs))
    monkeypatch.setattr(stored, "load",
                        lambda *args, **kwargs: loads.append(1) or real_load(*args, **kwargs))
    login(strategy.people["coach"])
    client.get("/w/acme/graph")
    client.get("/w/acme/graph/view?depth=1")
    assert len(calls) == 0 and len(loads) == 2


def test_any_change_to_the_workspace_redraws_the_graph(client, login, strategy, monkeypatch):
    login(strategy.people["coach"])
    client.get("/w/acme/graph")
    pay = db.session.scalar(sa.select(Node).where(Node.key == "pay-1"))
    pay.revise("Payments API v2", "", None)
    db.session.commit()
    assert "Payments API v2" in client.get("/w/acme/graph").get_data(as_text=True)
    make_unit(strategy.workspace, "search-2", "Brand new unit", parent=strategy.units["shop"])
    db.session.commit()
    assert "Brand new unit" in client.get("/w/acme/graph").get_data(as_text=True)


def test_redis_shares_rendered_graphs_between_processes(app, client, login, strategy,
                                                        monkeypatch):
    import redis

    app.config["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    graph.init_app(app)  # as the app starts with that setting
    login(strategy.people["coach"])
    first = client.get("/w/acme/graph").get_data(as_text=True)
    graph.init_app(app)  # a fresh process: nothing in memory

    def no_dot(*args, **kwargs):
        raise AssertionError("dot should not run for a view Redis already holds")

    monkeypatch.setattr(render, "DotRun", no_dot)
    assert keys(client.get("/w/acme/graph").get_data(as_text=True)) == keys(first)
    stored = redis.Redis.from_url(app.config["REDIS_URL"]).keys(
        app.config["GRAPH_CACHE_PREFIX"] + "*")
    assert len(stored) >= 2  # the finished view and dot's layout
    redis.Redis.from_url(app.config["REDIS_URL"]).delete(*stored)


def test_redis_being_down_does_not_break_the_page(app, client, login, strategy):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    graph.init_app(app)
    login(strategy.people["coach"])
    assert client.get("/w/acme/graph").status_code == 200


def test_exports_are_titled_dated_downloads(client, login, strategy):
    login(strategy.people["coach"])
    svg = client.get("/w/acme/graph.svg?unit=shop")
    assert svg.mimetype == "image/svg+xml"
    assert re.match(r'attachment; filename="cascade-acme-graph-\d{4}-\d\d-\d\d\.svg"',
                    svg.headers["Content-Disposition"])
    root = ET.fromstring(svg.data)
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "Acme Digital — coherence graph · unit: shop · as of" in text
    assert "Legend" in text and "stale translation" in text
    png = client.get("/w/acme/graph.png")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG\r\n\x1a\n")
    dot = client.get("/w/acme/graph.dot?root=obj-shop").get_data(as_text=True)
    assert dot.startswith("digraph cascade") and "One-tap checkout" in dot
    assert "Payments API" not in dot


def test_big_workspace_collapses_and_summaries_expand(app, client, login, org):
    app.config["GRAPH_NODE_BUDGET"] = 15
    ws, team = org.workspace, org.units["checkout"]
    top = make_node(ws, org.units["acme"], "top", "Top")
    mids = [make_node(ws, team, f"m{i}", f"Mid {i}", parent=top) for i in range(6)]
    for mid in mids:
        for j in range(8):
            make_node(ws, team, f"{mid.key}-{j}", f"Leaf {j}", parent=mid)
    db.session.commit()
    login(org.people["coach"])
    page = client.get("/w/acme/graph").get_data(as_text=True)
    assert "Showing 7 of 55 nodes" in page and "+8 nodes" in page
    anchor = re.search(r'data-expand="([^"]+)"', page).group(1)
    opened = client.get(f"/w/acme/graph/view?expand={anchor}").get_data(as_text=True)
    assert {f"{anchor}-{j}" for j in range(8)} <= keys(opened)


def test_a_dot_crash_falls_back_to_a_drawing_without_links(client, login, strategy,
                                                           monkeypatch):
    class FragileDot(render.DotRun):
        def __init__(self, source, fmt, timeout=60):
            super().__init__(source, fmt, timeout)
            self.crashes = "constraint=false" in source  # as Graphviz 2.43 does on some links

        def output(self, consume=None):
            if self.crashes:
                if consume:  # a crashed run may have written a little
                    consume(b"<?xml version=")
                raise render.RenderError("dot failed: merge_chain: Assertion", crashed=True)
            return super().output(consume)

    monkeypatch.setattr(render, "DotRun", FragileDot)
    login(strategy.people["coach"])
    page = client.get("/w/acme/graph").get_data(as_text=True)
    assert "links are left out of this view" in page and "gedge depends_on" not in page
    assert keys(page) == {"vision", "obj-shop", "obj-plat", "co-1", "pay-1"}
    assert client.get("/w/acme/graph.png").data.startswith(b"\x89PNG")

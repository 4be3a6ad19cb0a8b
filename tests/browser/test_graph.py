"""The coach's journey on the graph page in Chromium, and hostile text that must stay text."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cascade.db import db
from tests.factories import PASSWORD, make_node, make_person, make_unit
from tests.unit.test_graph import HOSTILE

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
# The README's picture is refreshed on request; ordinary runs leave the tree clean.
SCREENSHOT = (ROOT / "docs" if os.environ.get("CASCADE_UPDATE_SCREENSHOTS") else
              ROOT / "test-artifacts") / "graph.png"


def sign_in(page, email):
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$|/w/"))


def test_coach_reads_filters_focuses_exports_and_opens_a_node(page, northwind):
    sign_in(page, "chloe@northwind.test")
    page.get_by_role("link", name="Northwind Digital").first.click()
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Graph").click()
    page.wait_for_selector("svg.graph-svg g.node")
    expect(page.get_by_text(re.compile(r"Showing \d+ of \d+ nodes"))).to_be_visible()
    page.wait_for_timeout(200)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    # zoom with the keyboard and the buttons: the picture's viewBox changes, no reload
    svg = page.locator("svg.graph-svg")
    before = svg.get_attribute("viewBox")
    page.locator("#graph-canvas").focus()
    page.keyboard.press("+")
    assert svg.get_attribute("viewBox") != before
    page.get_by_role("button", name="Fit").click()

    # filter to the Shopping Experience unit: the fragment swaps in, the URL follows
    page.get_by_label("Unit").select_option("shop")
    page.wait_for_url(re.compile(r"unit=shop"))
    page.locator("#graph-view:not([aria-busy])").wait_for()
    units = set(page.locator("svg.graph-svg g.node[data-unit]").evaluate_all(
        "els => els.map(e => e.dataset.unit)"))
    assert "Fulfilment Platform" not in units and "Checkout" in units

    # hover a red (high-severity) node: its title, unit, status and findings show
    red = page.locator("svg.graph-svg g.node.sev-high").first
    red.hover()
    tip = page.locator("#graph-tooltip")
    tip.wait_for(state="visible")
    assert red.get_attribute("data-title") in tip.inner_text()
    assert re.search(r"[A-Z_]{6,}", tip.inner_text())

    # focus a finding: its nodes and their path stay lit, the rest dims
    page.get_by_role("button", name="Focus").first.click()
    assert "focusing" in svg.get_attribute("class")
    assert page.locator("svg.graph-svg g.node.focused").count() >= 1
    page.get_by_role("button", name="Show everything").click()
    assert "focusing" not in svg.get_attribute("class")

    # export the filtered picture
    with page.expect_download() as download:
        page.get_by_role("link", name="PNG").click()
    assert re.fullmatch(r"cascade-northwind-graph-\d{4}-\d\d-\d\d\.png",
                        download.value.suggested_filename)

    # open the node: a click goes to its page, which explains the finding behind the red
    key = red.get_attribute("data-key")
    red.click()
    page.wait_for_url(re.compile(rf"/w/northwind/nodes/{re.escape(key)}$"))
    gaps = page.get_by_role("region", name=re.compile("Alignment gaps around this node"))
    expect(gaps.get_by_text("Conversation to have:").first).to_be_visible()


def test_collapsed_group_opens_on_click(page, app, org):
    app.config["GRAPH_NODE_BUDGET"] = 15
    ws, team = org.workspace, org.units["checkout"]
    top = make_node(ws, org.units["acme"], "top", "Top")
    for i in range(6):
        mid = make_node(ws, team, f"m{i}", f"Mid {i}", parent=top)
        for j in range(8):
            make_node(ws, team, f"m{i}-{j}", f"Leaf {j}", parent=mid)
    db.session.commit()
    sign_in(page, "chloe@acme.test")
    page.goto("/w/acme/graph")
    group = page.locator("svg.graph-svg g.node.gsummary").first
    anchor = group.get_attribute("data-expand")
    group.click()
    page.wait_for_url(re.compile(rf"expand={anchor}"))
    page.wait_for_selector(f'svg.graph-svg g.node[data-key="{anchor}-7"]')


def test_hostile_titles_and_unit_names_stay_text_in_the_page(page, app):
    # What a database can hold: PostgreSQL refuses NUL and lone surrogates, titles stop at
    # 200 characters (tests/unit/test_graph.py runs the full corpus through the renderer).
    corpus = [t.replace("\x00", "")[:200] for t in HOSTILE if "\ud800" not in t]
    ws = app_workspace(corpus)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, "coach@hostile.test")
    page.goto(f"/w/{ws}/graph")
    page.wait_for_selector("svg.graph-svg g.node")
    nodes = page.locator("svg.graph-svg g.node[data-key]")
    titles = nodes.evaluate_all("els => els.map(e => e.dataset.title)")
    assert "<script>alert('x')</script>" in titles and '"><svg onload=alert(1)>' in titles
    for index in range(min(nodes.count(), 12)):
        nodes.nth(index).focus()  # shows the tooltip, as hovering does
    page.get_by_label("Unit").select_option(index=2)
    page.locator("#graph-view:not([aria-busy])").wait_for()
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator("#graph-view script, #graph-view img, #graph-view foreignObject, "
                        "#graph-view [onload], #graph-view [onerror]").count() == 0
    assert page.evaluate("document.querySelectorAll('svg.graph-svg a').length") == 0


def app_workspace(corpus: list[str]) -> str:
    from tests.factories import make_workspace

    ws = make_workspace("hostile", "Hostile <b>&amp;</b> \"Org\"")
    root = make_unit(ws, "root", corpus[4])
    top = make_node(ws, root, "top", corpus[5])
    for i, text in enumerate(corpus):
        unit = make_unit(ws, f"u{i}", text, parent=root)
        node = make_node(ws, unit, f"n{i}", text, parent=top)
        make_node(ws, unit, f"m{i}", text, parent=node, status="draft")
    make_person("coach@hostile.test", "Coach", [(root, "coach")])
    db.session.commit()
    return ws.slug

"""The graph in a room: the legend beside the picture on a projector, and a list instead of
the picture on a phone. (Labels are still small when the whole demo is fitted at 1366 px:
the test prints their size, for the work that makes them at least 12 px.)"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from tests.browser.test_graph import sign_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _label_sizes(page) -> list[float]:
    """On-screen heights of the node labels, in CSS pixels."""
    return page.eval_on_selector_all(
        "svg.graph-svg g.node text",
        "els => els.map(e => e.getBoundingClientRect().height).filter(h => h > 0)")


def test_on_a_projector_the_legend_is_beside_the_picture(browser, live_server, northwind):  # noqa: F811
    context = browser.new_context(base_url=live_server, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, "chloe@northwind.test")
    page.goto("/w/northwind/graph")
    page.wait_for_selector("svg.graph-svg g.node")
    nodes = page.locator("svg.graph-svg g.node").count()
    assert 10 <= nodes <= 60
    page.get_by_role("button", name="Fit").click()
    page.wait_for_timeout(150)
    sizes = _label_sizes(page)
    print(f"{nodes} nodes fitted at 1366 px: labels {statistics.median(sizes):g} px high")
    canvas = page.locator("#graph-canvas").bounding_box()
    legend = page.locator(".graph-legend").bounding_box()
    assert legend["x"] >= canvas["x"] + canvas["width"] - 1  # beside, not under
    assert legend["y"] < canvas["y"] + canvas["height"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph-1366.png"))
    context.close()


def test_a_phone_gets_a_list_of_the_same_scope_and_findings(browser, live_server, northwind):  # noqa: F811
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, "chloe@northwind.test")
    page.goto("/w/northwind/graph")
    assert not page.locator("#graph-canvas").is_visible()
    listed = page.locator(".node-list li")
    assert listed.count() > 5 and listed.first.is_visible()
    assert page.get_by_role("heading", name="Findings in view").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph-phone.png"))
    context.close()

"""Measures, dependency agreements and closing a quarter in Chromium: a member checks in and
the chart moves, a leader commits a request from the inbox and the graph's line changes,
a leader closes a quarter and carries a node; screenshots for a look."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from cascade.db import db
from cascade.models import Node
from tests.browser.test_leaders import shoot, sign_in

pytestmark = pytest.mark.browser


def test_member_checks_in_and_sees_the_chart_move(page, northwind):
    sign_in(page, "sam@northwind.test")
    page.goto("/w/northwind/nodes/ck-kr1#measures")
    chart = page.locator("article.measure").first
    expect(chart.locator("svg.measure-chart title")).to_contain_text(
        "values against the expected pace")
    before = chart.locator("circle.value").count()
    last = chart.locator("circle.value").last.get_attribute("cy")
    chart.get_by_role("spinbutton", name="Value").fill("90")
    chart.get_by_role("spinbutton", name="Confidence (0–10)").fill("8")
    chart.get_by_role("button", name=re.compile("Check in on")).click()
    expect(page.locator(".flash-success")).to_contain_text("Checked in 90")
    chart = page.locator("article.measure").first
    expect(chart.locator("circle.value")).to_have_count(before + 1)
    assert float(chart.locator("circle.value").last.get_attribute("cy")) < float(last)  # higher
    expect(chart.locator(".badge").first).to_have_text("on pace")
    chart.locator("details.values-table summary").click()
    expect(chart.locator("details.values-table tbody tr").first).to_contain_text("90")
    shoot(page, "measures-node.png")


def test_leader_commits_a_request_from_the_inbox_and_the_line_changes(page, northwind):
    sign_in(page, "ravi@northwind.test")  # leads Platform & Data, so Payments
    dot = page.request.get("/w/northwind/graph.dot").text()
    assert re.search(r'class="gedge depends_on requested"', dot)
    page.goto("/w/northwind/inbox")
    shoot(page, "measures-inbox.png")
    request = page.locator("li.dependency-request", has_text="The final price before the basket")
    request.get_by_role("button", name=re.compile("Commit to")).click()
    expect(page.locator(".flash-success")).to_contain_text("Committed")
    dot = page.request.get("/w/northwind/graph.dot").text()
    assert "requested" not in re.findall(r'class="gedge depends_on ?(\w*)"', dot)
    page.goto("/w/northwind/graph")
    legend = page.locator(".graph-legend")
    expect(legend).to_contain_text("depends on, requested: not committed yet")
    expect(legend).to_contain_text("depends on, declined by the other unit")
    shoot(page, "measures-graph.png")


def test_leader_closes_a_quarter_and_carries_a_node(page, northwind, app):
    sign_in(page, "lea@northwind.test")
    page.goto("/w/northwind/nodes/")
    page.get_by_role("link", name="Close a horizon").click()
    page.get_by_label("Horizon to close", exact=True).select_option("2027-H1")
    page.get_by_role("button", name="Show its nodes").click()
    page.get_by_label("Carry “60-minute delivery in three launch cities”").check()
    expect(page.get_by_label("Carry into")).to_have_value("2027-H2")
    shoot(page, "measures-close.png")
    page.get_by_role("button", name="Close the horizon").click()
    expect(page.locator(".flash-success")).to_contain_text("1 carried into 2027-H2")
    with app.app_context():
        new = db.session.scalar(sa.select(Node).where(
            Node.title == "60-minute delivery in three launch cities", Node.status != "retired"))
        assert new.horizon == "2027-H2" and new.carried_from.key == "ful-1"

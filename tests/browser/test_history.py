"""A coach looks at a recorded day in Chromium: the graph's downloads draw the day and the
comparison the page shows, and the findings of that day carry that day's acknowledgements."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from cascade.clock import today
from cascade.db import db
from cascade.findings.analysis import analysis_of
from cascade.findings.operations import acknowledge, record_score, withdraw
from cascade.models import Node, Person, Unit, Workspace
from tests.browser.test_graph import sign_in
from tests.factories import make_node

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAST_WEEK = today() - timedelta(days=7)


@pytest.fixture
def recorded(northwind):
    """Last week recorded with one finding acknowledged (withdrawn since); a node added since."""
    ws = db.session.scalar(sa.select(Workspace).where(Workspace.slug == "northwind"))
    chloe = db.session.scalar(sa.select(Person).where(Person.email == "chloe@northwind.test"))
    found = next(f for f in analysis_of(ws, LAST_WEEK).findings if f.code == "UNALIGNED")
    acknowledge(ws, found, "Deliberately on its own this quarter.", by=chloe)
    db.session.commit()
    record_score(ws, analysis_of(ws, LAST_WEEK, fresh=True), by=chloe)
    db.session.commit()
    withdraw(ws, found.fingerprint, by=chloe)
    unit = db.session.scalar(sa.select(Unit).where(Unit.workspace_id == ws.id,
                                                   Unit.key == "delivery"))
    parent = db.session.scalar(sa.select(Node).where(Node.workspace_id == ws.id,
                                                     Node.key == "ful-1"))
    make_node(ws, unit, "same-day", "Same-day delivery pilot", parent=parent, status="draft")
    db.session.commit()
    return found


def _download_dot(page) -> str:
    with page.expect_download() as download:
        page.get_by_role("link", name="DOT").click()
    return Path(download.value.path()).read_text(encoding="utf-8")


def test_a_coach_downloads_a_recorded_day_and_reads_its_acknowledgements(page, recorded):
    day = LAST_WEEK.isoformat()
    sign_in(page, "chloe@northwind.test")
    page.goto("/w/northwind/graph")
    page.wait_for_selector("svg.graph-svg g.node")
    assert "Same-day delivery pilot" in _download_dot(page)

    # the days chosen on the form, applied without a reload: the links follow
    page.get_by_label("Compared with").fill(day)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(rf"against={day}"))
    page.locator("#graph-view:not([aria-busy])").wait_for()
    notice = page.locator("#graph-view .graph-dated")
    expect(notice).to_contain_text("have a double outline")  # the page says what it draws
    expect(notice).not_to_contain_text("as recorded that day")
    dot = _download_dot(page)
    assert f"changes since {day} outlined" in dot
    [added] = [line for line in dot.splitlines() if "Same-day delivery pilot" in line]
    assert "peripheries=2" in added

    page.get_by_label("As of").fill(day)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(rf"as_of={day}"))
    page.locator("#graph-view:not([aria-busy])").wait_for()
    expect(notice).to_contain_text("(as recorded that day)")
    dot = _download_dot(page)
    assert "Same-day delivery pilot" not in dot and f"as of {day}" in dot
    with page.expect_download() as download:
        page.get_by_role("link", name="SVG").click()
    assert download.value.suggested_filename == \
        f"cascade-northwind-graph-{day}-since-{day}.svg"

    # the findings of that day: acknowledged then, with that day's words; open today
    page.goto(f"/w/northwind/findings?as_of={day}&code=UNALIGNED")
    card = page.locator(f"#f-{recorded.fingerprint}")
    assert "Deliberately on its own this quarter." in card.inner_text()
    assert "Acknowledged by Chloé Martin" in card.inner_text()
    assert card.get_by_role("button", name="Withdraw acknowledgement").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    card.screenshot(path=str(ARTIFACTS / "findings-recorded-day.png"))
    page.goto("/w/northwind/findings?code=UNALIGNED")
    card = page.locator(f"#f-{recorded.fingerprint}")
    assert "Deliberately" not in card.inner_text()
    expect(card.get_by_text("Acknowledge as known and intentional")).to_be_visible()

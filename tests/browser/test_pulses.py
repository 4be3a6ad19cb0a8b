"""Members answer a priorities pulse in Chromium; a coach reads the distributions and the
panorama."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from cascade.clock import today
from cascade.db import db
from cascade.models import PulseStatement
from tests.factories import PASSWORD, make_node, make_person, make_pulse

pytestmark = pytest.mark.browser


def _sign_in(context, email):
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def _priorities_pulse(org):
    ws, root = org.workspace, org.units["acme"]
    vision = make_node(ws, root, "vision", "Acme 2027")
    themes = [make_node(ws, root, "t-fast", "Fast checkout", parent=vision),
              make_node(ws, root, "t-trust", "Trust", parent=vision)]
    pulse = make_pulse(ws, [org.units["checkout"]], key="prio", title="Priorities check",
                       texts=(), opens_on=today() - timedelta(days=1),
                       closes_on=today() + timedelta(days=7))
    pulse.statements = [PulseStatement(position=i, text="I know how my team contributes",
                                       node=theme) for i, theme in enumerate(themes)]
    members = [make_person(f"m{i}@acme.test", f"Member {i}", [(org.units["checkout"], "member")])
               for i in range(3)]
    db.session.commit()
    return members


def test_members_answer_and_a_coach_reads_the_range(browser, live_server, org):
    members = _priorities_pulse(org)
    for person, (fast, trust) in zip(members, [(1, 4), (5, 4), (2, 5)], strict=True):
        context = browser.new_context(base_url=live_server)
        page = _sign_in(context, person.email)
        page.goto("/w/acme/pulses")
        page.get_by_role("link", name="Priorities check").first.click()
        for title, value in (("Fast checkout", fast), ("Trust", trust)):
            section = page.locator("section", has=page.get_by_role("heading", name=title))
            section.get_by_text(str(value), exact=True).click()
        if person is members[0]:
            page.get_by_text("Add a comment (optional)").first.click()
            page.locator("textarea").first.fill("Which checkout metric counts?")
        page.get_by_role("button", name="Save my answers").click()
        expect(page.get_by_text("Your answers are saved anonymously")).to_be_visible()
        expect(page.get_by_text("No pulse is waiting for your answer.")).to_be_visible()
        context.close()

    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = _sign_in(context, "chloe@acme.test")
    page.goto("/w/acme/pulses")
    page.get_by_role("link", name="Priorities check").click()
    fast = page.locator("article.statement").first
    summary = fast.get_by_role("row", name="Checkout").locator(".summary")
    assert "median 2" in summary.inner_text() and "range 1–5" in summary.inner_text()
    expect(fast.get_by_text("divided").first).to_be_visible()
    expect(fast.get_by_text("Which checkout metric counts?")).to_be_visible()
    assert page.get_by_text("Member 0").count() == 0
    assert fast.locator("svg.stacked-bar rect").count() >= 3

    page.get_by_role("link", name="Panorama").first.click()
    assert page.get_by_role("heading", name="Panorama").is_visible()
    row = page.get_by_role("row", name="Checkout")
    expect(row.get_by_text("needs attention")).to_be_visible()
    row.get_by_role("link", name="Checkout on Trust").click()
    assert page.get_by_role("heading", name="Trust").is_visible()
    assert "median 4" in page.locator("tr.highlight .summary").inner_text()
    context.close()

"""Journeys through the strategy pages in Chromium: a leader authoring, a member translating."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from cascade.db import db
from cascade.models import Node
from tests.factories import PASSWORD, make_node

pytestmark = pytest.mark.browser


def sign_in(page, email):
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_leader_writes_the_strategy_agrees_it_and_revises_an_objective(page, org):
    sign_in(page, "lea@acme.test")
    page.goto("/w/acme/")
    page.get_by_role("link", name="Strategy").first.click()
    expect(page.get_by_text("No strategy yet.")).to_be_visible()
    page.get_by_role("link", name="Write the first node").click()
    page.get_by_label("Title").fill("Acme 2027: shopping without friction")
    page.get_by_label("Statement").fill("Customers **finish** what they start.")
    page.get_by_label("Horizon").fill("2027")
    page.get_by_role("button", name="Create node").click()
    expect(page.get_by_text("created as a draft")).to_be_visible()
    assert page.locator(".markdown strong").inner_text() == "finish"
    page.get_by_role("button", name="Propose").click()
    page.get_by_role("button", name="Mark agreed").click()
    expect(page.get_by_text("is now agreed")).to_be_visible()
    for title in ("One-tap checkout", "Search that understands"):
        page.get_by_role("link", name="Add a sub-node").click()
        page.get_by_label("Owning unit").select_option(label="Shopping")
        page.get_by_label("Title").fill(title)
        page.get_by_role("button", name="Create node").click()
        page.get_by_role("button", name="Propose").click()
        page.get_by_role("button", name="Mark agreed").click()
        page.get_by_role("link", name="Acme 2027: shopping without friction").first.click()
    expect(page.get_by_role("link", name="One-tap checkout")).to_be_visible()
    parent = db.session.scalar(select(Node).where(Node.title == "One-tap checkout"))
    make_node(org.workspace, org.units["checkout"], "co-take", title="Checkout's take",
              parent=parent)
    db.session.commit()

    page.get_by_role("link", name="One-tap checkout").click()
    expect(page.get_by_role("heading", name="Checkout", exact=True)).to_be_visible()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Statement").fill("Pay with a single tap on every device.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved as revision 2.")).to_be_visible()
    expect(page.locator("li", has_text="Checkout's take").locator(".badge.stale")).to_be_visible()
    page.get_by_role("link", name="Strategy").first.click()
    expect(page.locator(".tree .badge.stale")).to_have_count(1)


def test_member_translates_and_reconfirms_after_the_parent_changed(page, org):
    parent = make_node(org.workspace, org.units["shop"], "fast-pay", title="Fast payment",
                       statement="Pay in one tap.")
    db.session.commit()
    sign_in(page, "sam@acme.test")
    page.get_by_role("link", name="Acme Digital").click()
    page.get_by_role("link", name="Inbox").click()
    awaiting = page.locator("section", has=page.get_by_role("heading",
                                                            name="Awaiting your translation"))
    awaiting.get_by_role("link", name="Translate").click()
    page.get_by_label("Title of the translation").fill("Checkout: one tap, no account")
    page.get_by_role("button", name="Translate").click()
    expect(page.get_by_text("Translation created for Checkout")).to_be_visible()
    page.get_by_label("Statement").fill("Guest checkout keeps the tap.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Checkout: one tap, no account")).to_be_visible()
    parent.revise("Fast payment", "Pay in one tap, or with a saved card.", None)
    db.session.commit()

    page.get_by_role("link", name="Inbox").click()
    stale = page.locator("section", has=page.get_by_role("heading", name="Stale translations"))
    stale.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", name="The parent moved on")).to_be_visible()
    assert page.locator(".stale-panel ins").first.inner_text().strip().startswith("tap,")
    page.get_by_role("button", name="Re-confirm: nothing to change").click()
    expect(page.get_by_text("Confirmed against revision 2")).to_be_visible()
    expect(page.get_by_role("heading", name="The parent moved on")).to_have_count(0)

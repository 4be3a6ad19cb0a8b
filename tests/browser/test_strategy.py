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


def _summary(page, title):
    """The tree row of the node titled `title`: the <summary> that opens it."""
    return page.locator("summary", has=page.get_by_role("link", name=title, exact=True))


def test_a_folded_node_opens_in_place_from_the_keyboard_and_shows_more_children(page, org):
    from pathlib import Path

    shots = Path(__file__).resolve().parents[2] / "test-artifacts"
    shots.mkdir(exist_ok=True)
    top = make_node(org.workspace, org.units["acme"], "top", title="Grow the marketplace")
    theme = make_node(org.workspace, org.units["shop"], "theme", title="Shopping", parent=top)
    folded = make_node(org.workspace, org.units["shop"], "folded", title="Fast checkout",
                       parent=theme)
    for i in range(60):
        make_node(org.workspace, org.units["checkout"], f"step-{i:02}",
                  title=f"Checkout step {i:02}", parent=folded,
                  status="retired" if i == 0 else "agreed")
    make_node(org.workspace, org.units["checkout"], "deep", title="Below step 0",
              parent=db.session.scalar(select(Node).where(Node.key == "step-00")))
    db.session.commit()
    sign_in(page, "sam@acme.test")
    page.goto("/w/acme/nodes/")
    summary = _summary(page, "Fast checkout")
    expect(summary).to_contain_text("60 children · 61 below")
    expect(summary.locator(".below-findings")).to_contain_text("worst high")  # the orphan
    expect(page.get_by_role("link", name="Checkout step 00")).to_have_count(0)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.screenshot(path=str(shots / "tree-1366.png"))

    summary.focus()
    page.keyboard.press("Enter")  # opens the <details>: the children load in place
    expect(page.get_by_role("link", name="Checkout step 49")).to_be_visible()
    expect(page.get_by_role("link", name="Checkout step 50")).to_have_count(0)
    assert page.url.endswith("/w/acme/nodes/")
    expect(page.locator("[data-tree-status]")).to_have_text(
        "Showing the children of Fast checkout.")
    more = page.get_by_role("link", name="Show 10 more of 60 children")
    more.click()
    expect(page.get_by_role("link", name="Checkout step 59")).to_be_visible()
    expect(page.get_by_role("link", name="Checkout step 50")).to_be_focused()
    expect(more).to_have_count(0)
    page.screenshot(path=str(shots / "tree-opened-1366.png"))
    # a child loaded this way folds and opens the same way
    _summary(page, "Checkout step 00").click()
    expect(page.get_by_role("link", name="Below step 0")).to_be_visible()
    page.get_by_role("button", name="Collapse all").click()
    expect(page.get_by_role("link", name="Shopping")).to_be_hidden()
    page.get_by_role("button", name="Expand loaded").click()
    expect(page.get_by_role("link", name="Below step 0")).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/w/acme/nodes/?q=step+1")
    expect(page.get_by_text("10 nodes match the filter; the path to each is shown.")
           ).to_be_visible()
    page.screenshot(path=str(shots / "tree-search-phone.png"), full_page=True)
    page.goto("/w/acme/nodes/")
    page.screenshot(path=str(shots / "tree-phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width


def test_the_tree_opens_without_script_through_the_page_of_children(browser, live_server, org):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    top = make_node(org.workspace, org.units["acme"], "top", title="Top")
    mid = make_node(org.workspace, org.units["shop"], "mid", title="Middle", parent=top)
    low = make_node(org.workspace, org.units["shop"], "low", title="Lower", parent=mid)
    make_node(org.workspace, org.units["checkout"], "leaf", title="Leaf", parent=low)
    db.session.commit()
    sign_in(page, "sam@acme.test")
    page.goto("/w/acme/nodes/")
    _summary(page, "Lower").click()
    page.get_by_role("link", name="Show its 1 child").click()
    expect(page.get_by_role("heading", name="Below “Lower”")).to_be_visible()
    expect(page.get_by_role("link", name="Leaf")).to_be_visible()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Middle").click()
    expect(page.get_by_role("heading", name="Below “Middle”")).to_be_visible()
    context.close()

def type_a_unit(page, choices: str) -> None:
    """Type into the page's Unit field: the suggestions (`#<choices> option`) come from the
    units' search as one types; then pick squad-47 with Enter."""
    field = page.get_by_label("Unit")
    expect(field).to_have_attribute("type", "search")
    field.fill("squad 4")
    options = page.locator(f"#{choices} option")
    expect(options).to_have_count(10)  # Squad 40 to 49
    expect(options.first).to_have_attribute("value", "squad-40")
    field.fill("squad-47")
    field.press("Enter")



def test_a_large_workspace_filters_by_a_unit_typed_with_suggestions(page, squads):
    sign_in(page, "sam@acme.test")
    page.goto("/w/acme/nodes/")
    type_a_unit(page, "filter-unit-choices")
    expect(page.get_by_text("1 node matches the filter")).to_be_visible()
    expect(page.get_by_role("link", name="Squad aim 47")).to_be_visible()
    expect(page.get_by_label("Unit")).to_have_value("squad-47")

"""Leaders' and teams' daily work in Chromium: the coverage matrix, a translation reviewed and
sent back, "not for us", and an inbox that empties; screenshots at desktop and phone width."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from cascade.db import db
from cascade.models import Node
from tests.factories import PASSWORD, make_node, make_note

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
# docs/ pictures are refreshed on request; ordinary runs leave the tree clean.
SHOTS = ROOT / "docs" if os.environ.get("CASCADE_UPDATE_SCREENSHOTS") else ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}


def sign_in(page, email):
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$|/w/"))


def person(page, email):
    """A fresh browser context signed in as `email`: each person has their own browser."""
    origin = "/".join(page.url.split("/", 3)[:3])  # http://127.0.0.1:port
    context = page.context.browser.new_context(base_url=origin,
                                               viewport={"width": 1280, "height": 900})
    other = context.new_page()
    other.set_default_timeout(10_000)
    sign_in(other, email)
    return other


def shoot(page, name: str, docs: bool = True) -> None:
    """A screenshot for the README (docs/ when refreshing them) or for test-artifacts/."""
    folder = SHOTS if docs else ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def no_sideways_scroll(page) -> None:
    """The page itself never scrolls sideways (a wide table scrolls inside its own box)."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_leader_sees_who_translated_what_and_opens_a_cell(page, northwind):
    sign_in(page, "lea@northwind.test")
    page.goto("/w/northwind/")
    matrix = page.locator("table.coverage").first
    expect(matrix).to_be_visible()
    assert [t.lower() for t in matrix.locator("th[scope=col]").all_text_contents()] == [
        "objective", "fulfilment platform", "platform & data", "shopping experience"]
    page.get_by_role("link", name="open the matrix").first.click()
    expect(page.get_by_role("heading", name="Who translated what")).to_be_visible()
    shoot(page, "coverage.png")
    awaiting = page.locator("td.cell-awaiting a").first
    if awaiting.count():
        href = awaiting.get_attribute("href")
        awaiting.click()
        page.wait_for_url(re.compile(re.escape(href.split("#")[0])))
    page.go_back()
    page.set_viewport_size(PHONE)
    page.reload()
    no_sideways_scroll(page)
    shoot(page, "coverage-phone.png")


def test_a_member_inbox_at_desktop_and_phone_width(page, northwind):
    sign_in(page, "sam@northwind.test")
    page.goto("/w/northwind/inbox")
    expect(page.get_by_role("heading", name="Your inbox")).to_be_visible()
    shoot(page, "inbox.png")
    page.set_viewport_size(PHONE)
    page.reload()
    no_sideways_scroll(page)
    shoot(page, "inbox-phone.png")


def test_translation_review_round_trip(page, org):
    vision = make_node(org.workspace, org.units["acme"], "vision", "Vision")
    make_node(org.workspace, org.units["shop"], "shop-1", "Shop faster", parent=vision)
    db.session.commit()
    sign_in(page, "sam@acme.test")
    sam = page
    page.goto("/w/acme/nodes/shop-1")
    page.get_by_label("Title of the translation").fill("Checkout in one tap")
    page.get_by_role("button", name="Translate").click()
    page.get_by_label("Statement").fill("Paying takes one tap, on every device.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_text("is now proposed")).to_be_visible()

    page = omar = person(sam, "omar@acme.test")
    page.goto("/w/acme/inbox")
    review = page.locator("section", has=page.get_by_role("heading", name="Translations to review"))
    expect(review.get_by_text("Checkout in one tap")).to_be_visible()
    review.get_by_text("Send back", exact=True).click()
    review.get_by_label("Why it goes back to Checkout").fill("Which tap? Name the step.")
    review.get_by_role("button", name="Send back to draft").click()
    expect(page.get_by_text("went back to its team as a draft")).to_be_visible()

    page = sam
    page.goto("/w/acme/inbox")
    answers = page.locator("section", has=page.get_by_role(
        "heading", name="Answers to your translations"))
    expect(answers.get_by_text("Which tap? Name the step.")).to_be_visible()
    answers.get_by_role("button", name=re.compile("Mark seen")).click()
    expect(page.get_by_role("heading", name="Answers to your translations")).to_have_count(0)
    page.goto("/w/acme/nodes/" + db.session.scalar(sa.select(Node.key).where(
        Node.title == "Checkout in one tap")))
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_text("is now proposed")).to_be_visible()

    page = omar
    page.goto("/w/acme/inbox")
    page.get_by_role("button", name="Agree “Checkout in one tap”").click()
    expect(page.get_by_text("“Checkout in one tap” is now agreed.")).to_be_visible()
    assert page.url.endswith("/inbox#review-heading")


def test_not_for_us_and_the_inbox_empties(page, org):
    # Shopping's own strategy, still proposed, with an agreed objective for its teams
    vision = make_node(org.workspace, org.units["shop"], "vision", "Vision", status="proposed")
    shop = make_node(org.workspace, org.units["shop"], "shop-1", "Shop greener", parent=vision)
    make_note(shop, author=org.people["member"], unit=org.units["checkout"], stance="support",
              status="acknowledged", response="Thanks", body="Good direction")
    db.session.commit()
    sign_in(page, "sam@acme.test")
    page.goto("/w/acme/inbox")
    expect(page.locator("#inbox-total")).to_have_text("2")
    page.get_by_role("button", name=re.compile("Mark seen")).click()
    expect(page.locator("#inbox-total")).to_have_text("1")
    page.get_by_text("Not for us", exact=True).click()
    page.get_by_label("Why “Shop greener” is not for Checkout").fill("We own no deliveries.")
    page.get_by_label("a concern").check()
    page.get_by_role("button", name="Say it is not for Checkout").click()
    expect(page.get_by_text("its owners have your note")).to_be_visible()
    expect(page.locator("#inbox-total")).to_have_text("0")

    page = person(page, "omar@acme.test")  # the parent's owners read it as a note to answer
    page.goto("/w/acme/inbox")
    expect(page.get_by_text("Not for Checkout: We own no deliveries.")).to_be_visible()
    page = person(page, "lea@acme.test")  # and the matrix shows the declined cell
    page.goto("/w/acme/nodes/vision/coverage")
    expect(page.locator("td.cell-declined")).to_have_count(1)


def test_confirmations_say_what_will_happen(page, org, tmp_path):
    goal = make_node(org.workspace, org.units["shop"], "shop-1", "Shop faster")
    make_node(org.workspace, org.units["checkout"], "co-1", "Checkout faster", parent=goal)
    db.session.commit()
    sign_in(page, "omar@acme.test")
    page.goto("/w/acme/nodes/shop-1")
    page.get_by_role("button", name="Retire").click()
    expect(page.get_by_role("heading", name="Retire “Shop faster”?")).to_be_visible()
    impact = page.get_by_role("list", name=re.compile("What “Shop faster” changes"))
    expect(impact).to_contain_text("1 node below is left orphaned")
    page.get_by_role("link", name="Keep it").click()
    expect(page.get_by_role("heading", name="Shop faster")).to_be_visible()

    admin = person(page, "ada@acme.test")
    admin.goto("/w/acme/units")
    admin.locator("li", has_text="Checkout").get_by_role("button", name="Archive").first.click()
    expect(admin.get_by_role("heading", name="Archive Checkout?")).to_be_visible()
    expect(admin.get_by_role("list", name="What Checkout changes")).to_contain_text(
        "1 person holds a role there")
    admin.get_by_role("button", name="Archive Checkout").click()
    expect(admin.get_by_text("Unit Checkout archived.")).to_be_visible()

    admin.goto("/w/acme/exchange")
    with admin.expect_download() as download:
        admin.get_by_role("link", name=re.compile("Download acme")).click()
    path = tmp_path / "acme.json"
    download.value.save_as(path)
    admin.locator("input#file").set_input_files(str(path))
    admin.get_by_label(re.compile("Replace the workspace")).check()
    admin.get_by_role("button", name="Import").click()
    expect(admin.get_by_role("heading", name="Replace Acme Digital with this file?")) \
        .to_be_visible()
    expect(admin.get_by_role("row", name=re.compile("Nodes"))).to_contain_text("2")
    admin.get_by_role("button", name="Replace Acme Digital").click()
    expect(admin.get_by_text("Imported workspace 'Acme Digital' (acme).")).to_be_visible()


def test_phone_navigation_shows_more_and_a_field_says_its_limit(page, org):
    page.set_viewport_size(PHONE)
    sign_in(page, "lea@acme.test")
    page.goto("/w/acme/")
    wrap = page.locator(".nav-wrap")
    expect(wrap).to_have_class(re.compile("more-right"))
    areas = page.get_by_role("navigation", name="Workspace").locator(".workspace-nav")
    areas.evaluate("n => n.scrollTo(n.scrollWidth, 0)")
    expect(wrap).to_have_class(re.compile("more-left"))
    expect(wrap).not_to_have_class(re.compile("more-right"))
    shoot(page, "nav-phone.png", docs=False)
    page.goto("/w/acme/nodes/new")
    counter = page.locator("#title-count")
    expect(counter).to_have_text("0 of 200 characters")
    page.get_by_label("Title").fill("x" * 250)  # the browser keeps 200
    expect(counter).to_have_text("At the limit of 200 characters: anything more is not kept.")
    assert len(page.get_by_label("Title").input_value()) == 200

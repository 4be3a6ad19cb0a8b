"""The frame every page shares, on a phone: the top bar stays compact, the workspace
areas scroll sideways with the current one in view, and wide tables never widen the page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from cascade import interchange
from cascade.db import db
from cascade.interchange.demo import document
from cascade.models import Person
from tests.factories import PASSWORD, _password_hash

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(page, app):
    interchange.load(document(datetime.now(UTC)))
    db.session.execute(sa.update(Person).values(password_hash=_password_hash()))
    db.session.commit()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/sign-in")
    page.get_by_label("Email").fill("ada@northwind.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$|/w/"))
    return page


@pytest.mark.parametrize("path", ["/w/northwind/people", "/w/northwind/audit",
                                  "/w/northwind/feedback", "/w/northwind/pulses"])
def test_wide_pages_do_not_scroll_sideways_on_a_phone(phone, path):
    phone.goto(path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_workspace_areas_scroll_with_the_current_one_in_view(phone):
    phone.goto("/w/northwind/units")
    nav = phone.get_by_role("navigation", name="Workspace")
    current = nav.locator(".workspace-nav [aria-current=page]")
    assert current.inner_text() == "Units"
    box, frame = current.bounding_box(), nav.bounding_box()
    assert box["x"] >= frame["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
    header = phone.locator("header.topbar").bounding_box()
    assert header["height"] < 140, "the top bar should not eat the phone's screen"
    current.focus()
    outline = current.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none", "keyboard focus must stay visible in the navigation"


@pytest.mark.parametrize("width", [1366, 390])
def test_administration_sits_behind_one_menu_the_keyboard_opens_and_escape_closes(phone, width):
    phone.set_viewport_size({"width": width, "height": 800})
    phone.goto("/w/northwind/audit")
    nav = phone.get_by_role("navigation", name="Workspace")
    links = nav.locator(".workspace-nav a")
    tops = {round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(links.count()))}
    assert len(tops) == 1, "the workspace areas fit on one line (or scroll on a phone)"
    menu = nav.locator("summary", has_text="Admin")
    assert "here" in menu.get_attribute("class"), "the menu shows that an admin page is open"
    menu.focus()
    phone.keyboard.press("Enter")
    people = nav.get_by_role("link", name="People")
    expect(people).to_be_visible()
    box = people.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, "the menu opens on screen"
    assert nav.get_by_role("link", name="Audit log").get_attribute("aria-current") == "page"
    phone.keyboard.press("Escape")
    expect(people).not_to_be_visible()
    assert phone.evaluate("document.activeElement.textContent") == "Admin"


def test_personal_pages_sit_in_the_account_menu(phone):
    phone.goto("/w/northwind/")
    phone.locator(".account-menu summary").click()
    phone.get_by_role("link", name="Notifications").click()
    assert phone.url.endswith("/w/northwind/notifications")

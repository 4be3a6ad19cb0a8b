"""A person signs in through the real page in Chromium and finds their workspace."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_sign_in_and_open_a_workspace(page, org):
    page.goto("/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email").fill("sam@acme.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("Welcome back, Sam.").is_visible()
    page.get_by_role("link", name="Acme Digital").click()
    assert page.get_by_role("heading", name="Acme Digital").is_visible()
    expect(page.get_by_text("Checkout").first).to_be_visible()

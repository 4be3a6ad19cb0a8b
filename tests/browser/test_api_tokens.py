"""API tokens in Chromium: a member makes a token, sees it once, uses it, and revokes it
after confirming; the reference page renders the contract without any script of its own."""

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_strategy import sign_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


def _status(url: str, secret: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            json.load(answer)
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_member_makes_uses_and_revokes_a_token(page, org, live_server):
    sign_in(page, "sam@acme.test")
    page.goto("/w/acme/")
    page.locator(".account-menu summary").click()
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_text("You have no API tokens in this workspace yet.")).to_be_visible()
    page.get_by_label("Name").fill("Team dashboard")
    page.get_by_label("write:notes", exact=False).check()
    page.get_by_label("Expires after").select_option("30")
    page.get_by_role("button", name="Make token").click()
    secret = page.get_by_label("Token", exact=True).input_value()
    assert secret.startswith("cascade_")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-tokens.png"), full_page=True)
    assert _status(f"{live_server}/api/v1/w/acme/token", secret) == 200
    page.reload()
    expect(page.get_by_label("Token", exact=True)).to_have_count(0)  # shown once
    page.get_by_role("button", name="Revoke Team dashboard").click()
    expect(page.get_by_role("heading", name="Revoke “Team dashboard”?")).to_be_visible()
    page.get_by_role("button", name="Revoke it").click()
    expect(page.get_by_text("no longer works")).to_be_visible()
    assert _status(f"{live_server}/api/v1/w/acme/token", secret) == 401


def test_the_reference_page_lists_the_operations(page):
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", name="Cascade API")).to_be_visible()
    page.get_by_role("link", name="POST /nodes", exact=True).click()
    expect(page.locator("#create_node")).to_be_in_viewport()

"""Notifications in Chromium: a member chooses how they hear of things with the keyboard
and the page keeps it; an admin previews the sample digest, framed in the page with its
own styles; an unsubscribe link from a mail works without signing in."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cascade.db import db
from cascade.feedback import operations as feedback
from cascade.notifications import unsubscribe
from tests.browser.test_strategy import sign_in
from tests.factories import make_node

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


def test_a_member_chooses_channels_and_an_admin_previews_the_digest(page, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1", title="Faster shopping")
    feedback.leave_note(node, org.people["member"], org.units["checkout"], kind="feasibility",
                        stance="blocker", body="Not before March.")
    db.session.commit()
    sign_in(page, "sam@acme.test")
    page.goto("/w/acme/")
    page.locator(".account-menu summary").click()
    page.get_by_role("link", name="Notifications").click()
    weekly = page.locator("input[name=k_note_answered][value=weekly]")
    weekly.focus()
    page.keyboard.press("Space")
    page.get_by_label("E-mail me this workspace's reminders").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    expect(page.locator("input[name=k_note_answered][value=weekly]")).to_be_checked()
    expect(page.get_by_label("E-mail me this workspace's reminders")).not_to_be_checked()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "ada@acme.test")
    page.goto("/w/acme/notifications/digest")
    frame = page.frame_locator("iframe.mail-preview")
    expect(frame.get_by_role("link", name="Sam left a blocker (feasibility) on “Faster shopping”")
           ).to_be_visible()
    expect(page.locator("pre.mail-text")).to_contain_text("== Shopping ==")
    assert "March" not in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sample-digest.png"), full_page=True)


def test_an_unsubscribe_link_works_without_signing_in(page, org):
    token = unsubscribe.token_for(org.people["member"].id, org.workspace.id, "digest.daily")
    page.goto(f"/unsubscribe/{token}")
    expect(page.get_by_role("heading", name="Stop this mail?")).to_be_visible()
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_text("you will no longer get the daily digest")).to_be_visible()


def test_a_member_reads_their_inbox_only_notifications_and_marks_them_seen(page, org):
    from tests.web.test_notify_recent import _tell

    _tell(org, org.people["member"], 3)
    sign_in(page, "sam@acme.test")
    page.goto("/w/acme/notifications")
    page.get_by_role("link", name="Your notifications").click()
    expect(page.get_by_role("link", name="Lea revised “Faster checkout 2” (revision 4)")
           ).to_be_visible()
    expect(page.get_by_text("3 unseen.", exact=False)).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "notifications-recent.png"), full_page=True)
    mark = page.get_by_role("button", name="Mark all seen")
    mark.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("3 notifications marked seen.")).to_be_visible()
    expect(page.get_by_role("button", name="Mark all seen")).to_have_count(0)

"""Journey 4 in Chromium: a coach sets up a session, steps through it on a projector with
the keyboard, the room answers the pulse from phones, the screen shows only the count until
the reveal, a decision is captured, and the report prints."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from cascade.db import db
from cascade.models import FacilitatedSession, SessionDecision
from tests.factories import PASSWORD, make_node, make_note, make_person

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
# docs/ pictures are refreshed on request; ordinary runs leave the tree clean.
SHOTS = ROOT / "test-artifacts"
DOCS = ROOT / "docs" if os.environ.get("CASCADE_UPDATE_SCREENSHOTS") else SHOTS
SIZES = {"1366": {"width": 1366, "height": 768}, "1920": {"width": 1920, "height": 1080}}


def _room(org):
    ws, units = org.workspace, org.units
    vision = make_node(ws, units["acme"], "vision", "Checkout in one minute")
    goal = make_node(ws, units["shop"], "shop-1", "Shopping gets faster", parent=vision,
                     revision=2)
    make_node(ws, units["checkout"], "co-1", "One-tap checkout", parent=goal,
              parent_revision_seen=1)
    make_node(ws, units["checkout"], "co-2", "Saved cards for returning buyers", parent=goal,
              parent_revision_seen=2)
    make_note(goal, author=org.people["member"], unit=units["checkout"], stance="blocker",
              body="We cannot do this without the payments API.")
    make_note(goal, author=org.people["member"], unit=units["checkout"], kind="validation",
              stance="question", body="Does faster mean fewer steps, or faster pages?")
    team = [make_person(f"t{i}@acme.test", f"Teammate {i}", [(units["checkout"], "member")])
            for i in range(3)]
    db.session.commit()
    return team


def _sign_in(page, email, then=None):
    page.goto("/sign-in" + (f"?next={then}" if then else ""))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _visible_steps(page) -> list[str]:
    return page.eval_on_selector_all(".step", "els => els.filter(e => !e.hidden).map(e => e.id)")


def test_a_facilitated_session_from_set_up_to_printed_report(browser, live_server, org):
    team = _room(org)
    SHOTS.mkdir(exist_ok=True)
    coach_context = browser.new_context(base_url=live_server, viewport=SIZES["1366"])
    coach = coach_context.new_page()
    coach.set_default_timeout(10_000)
    _sign_in(coach, "chloe@acme.test")
    coach.goto("/w/acme/sessions")
    coach.get_by_role("link", name="New session").click()
    coach.get_by_label("Subtree").select_option("shop-1")
    coach.get_by_role("button", name="Show its findings").click()
    coach.get_by_label("Title").fill("Shopping review")
    coach.get_by_text("Coherence review", exact=True).click()
    boxes = coach.locator('input[name="findings"]')
    assert boxes.count() >= 2
    for i in range(boxes.count()):
        boxes.nth(i).check()
    coach.get_by_label("Or ask the room a new question").fill(
        "I know what this objective asks of my team")
    coach.get_by_label("Minutes per step").fill("5")
    coach.screenshot(path=str(SHOTS / "session-new.png"), full_page=True)
    coach.get_by_role("button", name="Set up the session").click()
    expect(coach.get_by_text("is ready: share its link")).to_be_visible()
    link = coach.locator(".join-link a").inner_text()
    assert re.search(r"/s/[a-z2-9]{6}$", link) and coach.locator("svg.room-qr").is_visible()
    coach.screenshot(path=str(SHOTS / "session-show.png"), full_page=True)

    coach.get_by_role("link", name="Present").click()
    coach.wait_for_selector('body[data-ready="yes"] #step-1 svg.graph-svg')
    assert _visible_steps(coach) == ["step-1"]
    assert coach.locator("#deck-timer").inner_text() in ("5:00", "4:59")
    coach.keyboard.press("ArrowRight")
    assert _visible_steps(coach) == ["step-2"]
    expect(coach.locator("#step-2").get_by_text("Suggested conversation")).to_be_visible()
    expect(coach.locator("#step-2").get_by_text("Checkout").first).to_be_visible()
    shown = coach.locator("body").inner_text()  # anonymised: units, never people
    assert not re.search(rf"\b{org.people['member'].name}\b", shown)
    coach.keyboard.press("ArrowLeft")
    assert _visible_steps(coach) == ["step-1"]
    while not coach.locator(".step-pulse").is_visible():
        coach.keyboard.press("ArrowRight")
    pulse_step = coach.locator(".step-pulse").get_attribute("id")
    assert coach.locator("#answered-count").inner_text() == "0"
    coach.locator(".step-pulse .qr svg").screenshot(path=str(SHOTS / "qr.png"))

    # the room answers from phones, through the short link
    for person, value in zip(team, [1, 4, 5], strict=True):
        phone = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                                    is_mobile=True, has_touch=True)
        page = phone.new_page()
        page.set_default_timeout(10_000)
        page.goto(link)
        page.get_by_label("Email").fill(person.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text(str(value), exact=True).first.click()
        if person is team[0]:
            page.screenshot(path=str(SHOTS / "session-phone.png"))
        page.get_by_role("button", name="Save my answers").click()
        expect(page.get_by_text("Your answers are saved anonymously")).to_be_visible()
        phone.close()

    expect(coach.locator("#answered-count")).to_have_text("3")  # polled, no reload
    assert coach.locator(".step-pulse .stacked-bar").count() == 0  # only the count
    assert coach.get_by_text("median").count() == 0
    for name, size in SIZES.items():
        coach.set_viewport_size(size)
        coach.screenshot(path=str(SHOTS / f"session-presenter-count-{name}.png"))
    coach.set_viewport_size(SIZES["1366"])
    coach.keyboard.press("r")
    coach.wait_for_selector('body[data-revealed="yes"][data-ready="yes"] .step-pulse .stacked-bar')
    assert _visible_steps(coach) == [pulse_step]
    assert "range 1–5" in coach.locator(".step-pulse").inner_text()
    for name, size in SIZES.items():
        coach.set_viewport_size(size)
        coach.screenshot(path=str(DOCS / f"session-presenter-{name}.png"))
    coach.keyboard.press("Home")
    coach.keyboard.press("ArrowRight")
    for name, size in SIZES.items():
        coach.set_viewport_size(size)
        coach.screenshot(path=str(SHOTS / f"session-presenter-finding-{name}.png"))
    coach.set_viewport_size(SIZES["1366"])

    # decide on the spot: typing in the form does not step the deck
    coach.keyboard.press("End")
    decisions = coach.locator(".step-decisions")
    decisions.get_by_label("What did the room decide?").fill("Meet Payments next week")
    coach.keyboard.press("ArrowLeft")
    expect(decisions).to_be_visible()
    decisions.get_by_label("Record it as").select_option(label="A note on “Shopping gets faster”")
    decisions.get_by_role("button", name="Record the decision").click()
    expect(coach.locator(".step-decisions ol.decisions")).to_contain_text(
        "Meet Payments next week")
    decision = db.session.scalar(sa.select(SessionDecision))
    assert decision.note_id is not None
    coach.wait_for_selector('body[data-ready="yes"]')
    coach.keyboard.press("Escape")
    coach.wait_for_url(re.compile(r"/sessions/shopping-review$"))

    # the report, printed
    coach.get_by_role("link", name="Report").click()
    assert coach.get_by_role("heading", name="What was decided").is_visible()
    for name, size in SIZES.items():
        coach.set_viewport_size(size)
        coach.screenshot(path=str(DOCS / f"session-report-{name}.png"), full_page=True)
    coach.emulate_media(media="print")
    expect(coach.locator(".topbar")).not_to_be_visible()
    coach.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    coach.screenshot(path=str(SHOTS / "session-report-print.png"), full_page=True)
    pdf = coach.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    (SHOTS / "session-report.pdf").write_bytes(pdf)
    session = db.session.scalar(sa.select(FacilitatedSession))
    assert session.revealed_at is not None
    coach_context.close()

"""Notes in Chromium: a member sends feedback up, a leader answers and incorporates it."""

import re

import pytest
from playwright.sync_api import expect

from cascade.db import db
from tests.browser.test_strategy import sign_in
from tests.factories import make_node, make_note

pytestmark = pytest.mark.browser


def test_member_leaves_a_feasibility_concern_and_an_experiment_note(page, org):
    make_node(org.workspace, org.units["shop"], "fast-pay", title="Fast payment")
    db.session.commit()
    sign_in(page, "sam@acme.test")
    page.goto("/w/acme/nodes/fast-pay")
    expect(page.get_by_text("No notes yet.")).to_be_visible()  # the form starts open
    page.get_by_label("Kind", exact=True).select_option("feasibility")
    page.get_by_label("Stance", exact=True).select_option("concern")
    page.get_by_label("Note", exact=True).fill("One tap needs the **wallet** team, who are booked.")
    page.get_by_role("button", name="Leave note").click()
    expect(page.get_by_text("Your note is on the node")).to_be_visible()
    assert page.locator(".note strong").inner_text() == "wallet"
    expect(page.get_by_text("1 note: 1 concern")).to_be_visible()
    page.get_by_text("Leave a note").click()
    page.get_by_label("Kind", exact=True).select_option("experiment")
    page.get_by_label("Stance", exact=True).select_option("support")
    page.get_by_label("Note", exact=True).fill("We will try wallet-first on the beta app.")
    page.get_by_role("button", name="Leave note").click()
    expect(page.get_by_text("An experiment note needs this.").first).to_be_visible()
    page.get_by_label("Hypothesis (experiments)").fill("Wallet-first halves checkout time.")
    page.get_by_label("How we will measure it (experiments)").fill("Median time to pay, 2 weeks.")
    page.get_by_role("button", name="Leave note").click()
    expect(page.get_by_text("Hypothesis: Wallet-first halves checkout time.")).to_be_visible()
    page.get_by_role("link", name="Feedback").first.click()
    expect(page.locator("tbody tr")).to_have_count(2)


def test_leader_answers_a_blocker_and_incorporates_a_note_into_a_revision(page, org):
    node = make_node(org.workspace, org.units["shop"], "fast-pay", title="Fast payment",
                     statement="Pay in one tap.")
    make_note(node, author=org.people["member"], unit=org.units["checkout"], kind="execution",
              stance="blocker", body="The payment provider contract ends in May.")
    make_note(node, author=org.people["member"], unit=org.units["checkout"], kind="validation",
              stance="question", body="Does saved card count as one tap?")
    db.session.commit()
    sign_in(page, "omar@acme.test")
    page.goto("/w/acme/feedback?stance=blocker")
    page.get_by_role("link", name="The payment provider contract ends in May.").click()
    page.get_by_label("Answer", exact=True).select_option("acknowledged")
    page.get_by_label("Response", exact=True).fill("Known; procurement is on it.")
    page.get_by_role("button", name="Answer").click()
    expect(page.get_by_text("Note acknowledged")).to_be_visible()
    page.get_by_label("Answer", exact=True).select_option("declined")
    page.get_by_role("button", name="Answer").click()
    expect(page.get_by_text("Say why")).to_be_visible()
    page.get_by_label("Response", exact=True).fill("We renew the contract; no change.")
    page.get_by_role("button", name="Answer").click()
    expect(page.get_by_text("Note declined")).to_be_visible()
    page.get_by_role("link", name="Fast payment").click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Statement").fill("Pay in one tap, a saved card included.")
    page.get_by_label("question · validation: Does saved card count as one tap?").check()
    page.get_by_label("Response to the ticked notes").fill("Yes: the statement now says so.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved as revision 2.")).to_be_visible()
    expect(page.get_by_text("taken into revision 2")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "sam@acme.test")
    page.goto("/w/acme/inbox")
    answers = page.locator("section", has=page.get_by_role("heading",
                                                           name="Answers to your notes"))
    expect(answers.get_by_text("Yes: the statement now says so.")).to_be_visible()
    expect(answers.get_by_text("We renew the contract")).to_be_visible()


def test_the_feedback_pager_works_from_the_keyboard_and_keeps_the_filter(page, org):
    node = make_node(org.workspace, org.units["checkout"], "co-1", title="Checkout")
    for i in range(60):
        make_note(node, stance="blocker" if i % 2 else "question", body=f"Note number {i}")
    db.session.commit()
    sign_in(page, "sam@acme.test")
    page.goto("/w/acme/feedback?stance=blocker")
    expect(page.locator("nav.pager")).to_have_count(0)  # 30 blockers: one page, no pager
    page.goto("/w/acme/feedback")
    pager = page.get_by_role("navigation", name="Pages of feedback", exact=True)
    expect(pager).to_contain_text("1–50 of 60")
    following = pager.get_by_role("link", name="Next page")
    following.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("tbody tr")).to_have_count(10)
    expect(page.get_by_role("navigation", name="Pages of feedback", exact=True)) \
        .to_contain_text("51–60 of 60")

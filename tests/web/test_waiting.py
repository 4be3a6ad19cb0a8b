"""One definition of "waiting for an answer" and "overdue": the overview, the inbox and the
Feedback page count the same notes, per person and for the workspace, and "overdue" is
exactly what raises UNANSWERED_FEEDBACK."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta

from cascade import clock
from cascade.db import db
from cascade.findings.analysis import analyse_workspace
from cascade.vocabulary import NOTE_STATUSES, STANCES
from tests.factories import make_node, make_note

AGES = (timedelta(days=1), timedelta(days=14), timedelta(days=15), timedelta(days=40))
RESPONSES = (None, "", "  \n", "Heard, we will look at it.")


def _every_state(org):
    """Notes in every stance × status × response × age, on the nodes of three units."""
    nodes = [make_node(org.workspace, org.units[u], f"{u}-1")
             for u in ("checkout", "search", "shop")]
    now = datetime.now(UTC)
    made = 0
    for node, stance, status, response, age in itertools.product(
            nodes, STANCES, NOTE_STATUSES, RESPONSES, AGES):
        make_note(node, unit=org.units["payments"], stance=stance, status=status,
                  response=response, body=f"{stance} {status} {response!r}",
                  created_at=now - age)
        made += 1
    db.session.commit()
    return made


def _figure(page: str, ident: str) -> int:
    found = re.search(rf'id="{ident}">(\d+)', page)
    return int(found.group(1)) if found else 0


def _feedback_counts(page: str) -> tuple[int, int]:
    text = re.search(r'id="feedback-counts">([^<]*)<', page).group(1)
    waiting = re.search(r"(\d+) (?:notes? )?waiting for an answer", text).group(1)
    overdue = re.search(r"(\d+) overdue", text).group(1)
    return int(waiting), int(overdue)


def test_overview_inbox_and_feedback_count_the_same_notes(client, login, org):
    _every_state(org)
    # per open, unanswered note: 3 nodes x 4 stances x 3 blank responses x 4 ages
    expected_waiting_per_node = 4 * 3 * 4
    # overdue: concern or blocker, open, blank, created more than 14 days before the end of
    # today (the engine's cut), so 14, 15 and 40 days ago
    expected_overdue_per_node = 2 * 3 * 3

    login(org.people["member"])  # Sam, of Checkout: his units' nodes are checkout-1 only
    overview = client.get("/w/acme/").get_data(as_text=True)
    assert "for your units’ answer" in overview
    inbox = client.get("/w/acme/inbox").get_data(as_text=True)
    feedback = client.get("/w/acme/feedback?on=mine").get_data(as_text=True)
    heading = re.search(r'Notes waiting for your units’ answer <span class="count">(\d+)</span>'
                        r'(?: <span class="badge sev-high">(\d+) overdue)?', inbox)
    assert _figure(overview, "glance-waiting") == int(heading.group(1)) \
        == _feedback_counts(feedback)[0] == expected_waiting_per_node
    assert _figure(overview, "glance-overdue") == int(heading.group(2)) \
        == _feedback_counts(feedback)[1] == expected_overdue_per_node
    assert feedback.count('class="overdue"') == expected_overdue_per_node

    login(org.people["coach"])  # no unit of their own: the whole workspace
    overview = client.get("/w/acme/").get_data(as_text=True)
    assert "for an answer in the workspace" in overview
    feedback = client.get("/w/acme/feedback").get_data(as_text=True)
    assert _figure(overview, "glance-waiting") == _feedback_counts(feedback)[0] \
        == 3 * expected_waiting_per_node
    assert _figure(overview, "glance-overdue") == _feedback_counts(feedback)[1] \
        == 3 * expected_overdue_per_node

    # the Feedback page per unit agrees with the person's view of that unit
    feedback = client.get("/w/acme/feedback?on=checkout").get_data(as_text=True)
    assert _feedback_counts(feedback) == (expected_waiting_per_node, expected_overdue_per_node)

    # overdue notes are exactly those behind UNANSWERED_FEEDBACK
    analysis = analyse_workspace(org.workspace, clock.today())
    flagged = {f.nodes for f in analysis.findings if f.code == "UNANSWERED_FEEDBACK"}
    assert flagged == {("checkout-1",), ("search-1",), ("shop-1",)}


def test_an_answered_support_note_is_never_overdue(client, login, org):
    """The issue's case: acknowledged and answered, 40 days old, shown only on request and
    never as overdue."""
    node = make_node(org.workspace, org.units["checkout"], "checkout-1")
    make_note(node, stance="support", status="acknowledged", response="Thanks!",
              body="Love it", created_at=datetime.now(UTC) - timedelta(days=40))
    db.session.commit()
    login(org.people["coach"])
    page = client.get("/w/acme/feedback").get_data(as_text=True)
    assert "Love it" not in page and _feedback_counts(page) == (0, 0)
    page = client.get("/w/acme/feedback?show=unresolved").get_data(as_text=True)
    assert "Love it" in page and 'class="overdue"' not in page
    assert "1 note open or acknowledged, 0 waiting for an answer · 0 overdue" in page

"""Translation review, "not for us" and an inbox that empties, through the pages."""

from __future__ import annotations

import re

import sqlalchemy as sa

from cascade.db import db
from cascade.models import AuditEntry, Decline, Node, Note, TranslationReview
from tests.factories import make_node, make_note


def _node(key):
    db.session.expire_all()
    return db.session.scalar(sa.select(Node).where(Node.key == key))


def _total(page: str) -> int:
    return int(re.search(r'id="inbox-total">(\d+)<', page).group(1))


def _world(org):
    vision = make_node(org.workspace, org.units["acme"], "vision", "Vision")
    shop = make_node(org.workspace, org.units["shop"], "shop-1", "Shop faster", parent=vision)
    return vision, shop


def test_a_translation_is_reviewed_sent_back_with_a_reason_and_agreed(client, login, org):
    _, shop = _world(org)
    make_node(org.workspace, org.units["checkout"], "co-1", "Checkout faster", parent=shop,
              status="proposed")
    db.session.commit()
    login(org.people["tribe_leader"])  # Omar leads Shopping, the parent's unit
    inbox = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "Translations to review" in inbox and "Checkout faster" in inbox

    refused = client.post("/w/acme/nodes/co-1/send-back", data={"reason": "  "})
    assert refused.status_code == 302 and _node("co-1").status == "proposed"
    client.post("/w/acme/nodes/co-1/send-back",
                data={"reason": "Say which checkout step gets faster."})
    assert _node("co-1").status == "draft"
    assert db.session.scalar(sa.select(TranslationReview.reason)) \
        == "Say which checkout step gets faster."
    assert "Translations to review" not in client.get("/w/acme/inbox").get_data(as_text=True)

    login(org.people["member"])  # Sam's team sees the reason as an answer
    inbox = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "Answers to your translations" in inbox
    assert "Say which checkout step gets faster." in inbox
    review_id = db.session.scalar(sa.select(TranslationReview.id))
    before = _total(inbox)
    client.post("/w/acme/inbox/seen", data={"items": f"review:{review_id}"})
    inbox = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "Answers to your translations" not in inbox and _total(inbox) == before - 1
    client.post("/w/acme/nodes/co-1/status", data={"status": "proposed"})

    login(org.people["tribe_leader"])
    response = client.post("/w/acme/nodes/co-1/status",
                           data={"status": "agreed", "next": "/w/acme/inbox#review-heading"})
    assert response.headers["Location"].endswith("/w/acme/inbox#review-heading")
    assert _node("co-1").status == "agreed" and _node("co-1").agreed_at is not None
    assert "node.send_back" in db.session.scalars(sa.select(AuditEntry.action)).all()


def test_only_a_proposed_translation_goes_back(client, login, org):
    _, shop = _world(org)
    make_node(org.workspace, org.units["checkout"], "co-1", parent=shop, status="agreed")
    db.session.commit()
    login(org.people["tribe_leader"])
    client.post("/w/acme/nodes/co-1/send-back", data={"reason": "No."})
    assert _node("co-1").status == "agreed"
    login(org.people["member"])
    assert client.post("/w/acme/nodes/co-1/send-back",
                       data={"reason": "No."}).status_code == 403


def test_not_for_us_leaves_the_inbox_and_reaches_the_parent_owners(client, login, org):
    _world(org)
    db.session.commit()
    login(org.people["member"])
    inbox = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "Shop faster" in inbox and "Not for us" in inbox
    checkout = org.units["checkout"].id
    client.post("/w/acme/nodes/shop-1/decline",
                data={"unit": checkout, "stance": "blocker", "reason": "x"})
    assert db.session.scalar(sa.select(sa.func.count(Decline.id))) == 0  # stance refused
    client.post("/w/acme/nodes/shop-1/decline", data={
        "unit": checkout, "stance": "concern", "reason": "We only do payments pages."})
    decline = db.session.scalar(sa.select(Decline))
    assert decline.unit_id == checkout and decline.reason == "We only do payments pages."
    note = db.session.get(Note, decline.note_id)
    assert (note.kind, note.stance, note.unit_id, note.node.key) == \
        ("coherence", "concern", checkout, "shop-1")
    inbox = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "not yet translated for Checkout" not in inbox
    again = client.post("/w/acme/nodes/shop-1/decline", data={
        "unit": checkout, "stance": "question", "reason": "Again"}, follow_redirects=True)
    assert "already said" in again.get_data(as_text=True)

    login(org.people["tribe_leader"])  # the parent's owners get it as a note to answer
    inbox = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "Not for Checkout: We only do payments pages." in inbox


def test_the_inbox_empties(client, login, org):
    """Everything that waits on Sam can be done, declined or marked seen, down to zero."""
    vision, shop = _world(org)
    other = make_node(org.workspace, org.units["shop"], "shop-2", "Shop greener", parent=vision)
    for i in range(3):
        make_note(other, author=org.people["member"], unit=org.units["checkout"],
                  stance="support", status="acknowledged", response=f"Thanks {i}",
                  body=f"Nice {i}")
    db.session.commit()
    login(org.people["member"])
    inbox = client.get("/w/acme/inbox").get_data(as_text=True)
    assert _total(inbox) == 5  # two parents to translate, three answers
    items = re.search(r'name="items" value="((?:note:\d+ ?){3})"', inbox).group(1)
    client.post("/w/acme/inbox/seen", data={"items": items})
    assert _total(client.get("/w/acme/inbox").get_data(as_text=True)) == 2
    for key in ("shop-1", "shop-2"):
        client.post(f"/w/acme/nodes/{key}/decline", data={
            "unit": org.units["checkout"].id, "stance": "question", "reason": "Not ours?"})
    inbox = client.get("/w/acme/inbox").get_data(as_text=True)
    assert _total(inbox) == 0 and "0</strong> items wait for you" in inbox


def test_seen_refuses_what_is_no_inbox_item(client, login, org):
    login(org.people["member"])
    response = client.post("/w/acme/inbox/seen", data={"items": "finding:1; DROP"},
                           follow_redirects=True)
    assert "Nothing to mark." in response.get_data(as_text=True)

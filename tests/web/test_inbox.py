"""The unit inbox: what a person's units are waiting on."""

import sqlalchemy as sa

from cascade.db import db
from cascade.models import PulseStatement
from tests.factories import make_node, make_note, make_pulse


def test_inbox_lists_parents_awaiting_translation_and_stale_ones(client, login, org):
    shop_1 = make_node(org.workspace, org.units["shop"], "shop-1", title="Untranslated one")
    shop_2 = make_node(org.workspace, org.units["shop"], "shop-2", title="Moved on", revision=2)
    make_node(org.workspace, org.units["checkout"], "co-2", title="Our old take",
              parent=shop_2, parent_revision_seen=1)
    make_node(org.workspace, org.units["shop"], "shop-3", title="Still a draft",
              status="draft")
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/inbox").get_data(as_text=True)
    awaiting = page.split('id="awaiting-heading"')[1].split('id="stale-heading"')[0]
    assert "Untranslated one" in awaiting and "Moved on" not in awaiting
    assert "Still a draft" not in awaiting
    stale = page.split('id="stale-heading"')[1].split('id="answer-heading"')[0]
    assert "Our old take" in stale
    assert shop_1.key in page


def test_inbox_shows_notes_to_answer_and_answers_received(client, login, org):
    node = make_node(org.workspace, org.units["checkout"], "co-1")
    make_note(node, author=org.people["leader"], body="Is this feasible by June?")
    mine = make_note(node, author=org.people["member"], body="We tried it", status="declined",
                     response="Not this quarter")
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "Is this feasible by June?" in page
    assert "Not this quarter" in page and f"note-{mine.id}" in page


def test_inbox_has_empty_states(client, login, org):
    login(org.people["coach"])
    page = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "not a leader or member of any unit" in page


def test_inbox_lists_pulses_awaiting_my_answer_until_i_answer(client, login, org):
    vision = make_node(org.workspace, org.units["acme"], "vision", title="Vision")
    make_pulse(org.workspace, [org.units["checkout"]], node=vision, title="How it lands")
    make_pulse(org.workspace, [org.units["payments"]], node=vision, key="p2",
               title="Not for checkout")
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/inbox").get_data(as_text=True)
    pending = page.split('id="pending-heading"')[1].split("</section>")[0]
    assert "How it lands" in pending and "Not for checkout" not in pending
    statement = db.session.scalar(sa.select(PulseStatement))
    client.post("/w/acme/pulses/p1/answer",
                data={"unit": org.units["checkout"].id, f"s{statement.id}": 4})
    page = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "No pulse is waiting for your answer." in page

"""Faster authoring: create and add another, translate with its words in one form, and a
note page that shows what it is about and says what an answer is."""

from __future__ import annotations

import sqlalchemy as sa

from cascade.db import db
from cascade.models import Node
from tests.factories import make_node, make_note


def test_create_and_add_another_comes_back_for_the_next_sibling(client, login, org):
    make_node(org.workspace, org.units["acme"], "vision", "Vision")
    db.session.commit()
    login(org.people["leader"])
    response = client.post("/w/acme/nodes/new", data={
        "unit": org.units["acme"].id, "title": "First objective", "parent": "vision",
        "another": "Create and add another"})
    assert response.headers["Location"].endswith("/w/acme/nodes/new?parent=vision")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="vision"' in page and "“First objective” created as a draft." in page


def test_a_translation_takes_its_title_and_statement_in_one_step(client, login, org):
    make_node(org.workspace, org.units["shop"], "shop-1", "Shop faster")
    db.session.commit()
    login(org.people["member"])
    response = client.post("/w/acme/nodes/shop-1/translate", data={
        "unit": org.units["checkout"].id, "title": "Checkout in one tap",
        "statement": "Paying takes **one** tap."})
    node = db.session.scalar(sa.select(Node).where(Node.title == "Checkout in one tap"))
    assert node.statement == "Paying takes **one** tap." and node.revision == 1
    assert response.headers["Location"].endswith(f"/w/acme/nodes/{node.key}")


def test_the_note_page_shows_the_nodes_words_and_explains_answer_and_reply(client, login, org):
    node = make_node(org.workspace, org.units["checkout"], "co-1", "Checkout goal",
                     statement="Pay in *one* step.")
    note = make_note(node, author=org.people["member"], unit=org.units["checkout"])
    db.session.commit()
    login(org.people["leader"])
    page = client.get(f"/w/acme/notes/{note.id}").get_data(as_text=True)
    assert "The note is on “Checkout goal”" in page and "<em>one</em>" in page
    assert 'id="answer-vs-reply"' in page and "changes nothing" in page


def test_several_children_move_at_once_each_checked_by_the_policy(client, login, org):
    vision = make_node(org.workspace, org.units["shop"], "vision", "Vision")
    for key in ("o1", "o2"):
        make_node(org.workspace, org.units["shop"], key, parent=vision, status="proposed")
    make_node(org.workspace, org.units["checkout"], "co-1", parent=vision, status="draft")
    db.session.commit()
    login(org.people["member"])  # Sam may only propose his own team's drafts
    page = client.post("/w/acme/nodes/vision/children/status", data={
        "nodes": ["o1", "co-1"], "status": "agreed"}, follow_redirects=True).get_data(True)
    assert "Not moved to agreed" in page and "“o1”" in page and "“co 1”" in page
    login(org.people["tribe_leader"])
    page = client.post("/w/acme/nodes/vision/children/status", data={
        "nodes": ["o1", "o2", "co-1"], "status": "agreed"}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "2 now agreed" in text and "“co 1”" in text  # a draft cannot jump to agreed
    db.session.expire_all()
    status = dict(db.session.execute(sa.select(Node.key, Node.status)).all())
    assert (status["o1"], status["o2"], status["co-1"]) == ("agreed", "agreed", "draft")
    assert all(n.agreed_at for n in db.session.scalars(
        sa.select(Node).where(Node.key.in_(["o1", "o2"]))))

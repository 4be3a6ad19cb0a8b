"""The coverage matrix: who translated what, below any node and on the overview."""

from __future__ import annotations

import re

from cascade.db import db
from cascade.models import Decline
from tests.factories import make_node, make_note


def _world(org):
    ws, u = org.workspace, org.units
    vision = make_node(ws, u["acme"], "vision", "Vision")
    t1 = make_node(ws, u["acme"], "t1", "Faster shopping", parent=vision)
    t2 = make_node(ws, u["acme"], "t2", "Greener delivery", parent=vision)
    make_node(ws, u["acme"], "t3", "Maybe later", parent=vision, status="draft")
    shop1 = make_node(ws, u["shop"], "shop-1", "Shop faster", parent=t1,
                      parent_revision_seen=2)
    make_node(ws, u["payments"], "pay-1", "Pay faster", parent=t1, parent_revision_seen=1)
    t1.revision = 2
    make_note(shop1, unit=u["checkout"], stance="question")
    make_note(t2, unit=u["payments"], stance="concern")
    db.session.add(Decline(workspace_id=ws.id, node_id=t2.id, unit_id=u["shop"].id,
                           reason="Shopping does not deliver."))
    db.session.commit()


def _cells(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<td class="cell cell-([a-z-]+)">\s*<a href="([^"]+)"', page)


def test_the_matrix_names_every_unit_and_what_it_did(client, login, org):
    _world(org)
    login(org.people["leader"])
    page = client.get("/w/acme/nodes/vision/coverage").get_data(as_text=True)
    assert re.findall(r'<th scope="col">([^<]+)</th>', page) == ["Objective", "Platform",
                                                                 "Shopping"]
    assert _cells(page) == [
        ("stale", "/w/acme/nodes/pay-1"), ("translated", "/w/acme/nodes/shop-1"),
        ("awaiting", "/w/acme/nodes/t2#children-heading"), ("declined", "/w/acme/nodes/t2"),
        ("not-yet", "/w/acme/nodes/t3#children-heading"),
        ("not-yet", "/w/acme/nodes/t3#children-heading")]
    assert 'title="Shopping does not deliver."' in page
    assert page.count('class="cell-notes">1 note<') == 2  # on shop-1; from payments on t2
    assert "awaiting translation (1)" in page and "declined as not relevant (1)" in page


def test_the_overview_shows_the_top_of_the_strategy(client, login, org):
    _world(org)
    login(org.people["member"])
    page = client.get("/w/acme/").get_data(as_text=True)
    assert "Who translated “Vision”" in page
    assert len(_cells(page)) == 6
    assert 'href="/w/acme/nodes/vision/coverage"' in page


def test_a_node_without_units_below_says_so(client, login, org):
    make_node(org.workspace, org.units["checkout"], "co-1", "Checkout")
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/nodes/co-1/coverage").get_data(as_text=True)
    assert "Checkout has no units below it" in page

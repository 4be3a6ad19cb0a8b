"""Confirmations that say what will happen before a unit is archived or a node retired."""

from __future__ import annotations

import re

import sqlalchemy as sa

from cascade import clock
from cascade.db import db
from cascade.findings.analysis import analysis_of
from cascade.models import Acknowledgement, Node, Unit
from tests.factories import make_node, make_note


def _impact(page: str) -> list[str]:
    block = page[page.index('<ul class="impact"'):]
    block = block[:block.index("</ul>")]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", block)]


def test_archiving_a_unit_with_people_and_nodes_says_what_it_changes(client, login, org):
    co = make_node(org.workspace, org.units["checkout"], "co-1", "Checkout goal")
    make_note(co, unit=org.units["search"], stance="concern")
    db.session.commit()
    found = [f for f in analysis_of(org.workspace, clock.today()).findings
             if "co-1" in f.nodes or "checkout" in f.units]
    db.session.add(Acknowledgement(workspace_id=org.workspace.id, code=found[0].code,
                                   fingerprint=found[0].fingerprint, comment="Known."))
    db.session.commit()
    login(org.people["admin"])
    page = client.post("/w/acme/units/checkout/archive").get_data(as_text=True)
    assert "Archive Checkout?" in page
    others = len(found) - 1
    expected = ["1 person holds a role there", "1 node leaves the analysis"]
    if others:
        expected.append(f"{others} open finding{'s' if others != 1 else ''} about Checkout "
                        "will change or go away")
    expected += ["1 acknowledgement of findings about Checkout will stop applying",
                 "1 note still waiting for an answer there"]
    assert _impact(page) == expected
    assert not db.session.get(Unit, org.units["checkout"].id).archived
    client.post("/w/acme/units/checkout/archive", data={"confirm": "yes"})
    db.session.expire_all()
    assert db.session.get(Unit, org.units["checkout"].id).archived


def test_an_empty_unit_is_archived_at_once(client, login, org):
    login(org.people["admin"])
    client.post("/w/acme/units/payments/archive")
    assert db.session.get(Unit, org.units["payments"].id).archived


def test_retiring_an_agreed_objective_says_what_it_changes(client, login, org):
    goal = make_node(org.workspace, org.units["shop"], "shop-1", "Shop faster")
    make_node(org.workspace, org.units["checkout"], "co-1", parent=goal)
    make_node(org.workspace, org.units["search"], "se-1", parent=goal)
    make_note(goal, unit=org.units["checkout"], stance="question")
    db.session.commit()
    login(org.people["tribe_leader"])
    page = client.post("/w/acme/nodes/shop-1/status",
                       data={"status": "retired"}).get_data(as_text=True)
    items = _impact(page)
    assert items[:3] == ["1 person holds a role there", "1 node leaves the analysis",
                         "2 nodes below are left orphaned until moved or retired"]
    assert items[-1] == "1 note still waiting for an answer there"
    db.session.expire_all()
    assert db.session.scalar(sa.select(Node.status).where(Node.key == "shop-1")) == "agreed"


def test_a_draft_without_children_retires_at_once(client, login, org):
    make_node(org.workspace, org.units["shop"], "idea", status="draft")
    db.session.commit()
    login(org.people["tribe_leader"])
    client.post("/w/acme/nodes/idea/status", data={"status": "retired"})
    db.session.expire_all()
    assert db.session.scalar(sa.select(Node.status).where(Node.key == "idea")) == "retired"

"""Pieces that repeat across pages come from one macro each (a finding card, the unit tree),
and every form that POSTs carries its CSRF token through a form object: asserted on the
pages people see, in the demo workspace."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from cascade import interchange
from cascade.clock import today
from cascade.db import db
from cascade.findings import operations
from cascade.findings.analysis import analysis_of
from cascade.interchange.demo import document
from cascade.models import Person, Unit, Workspace

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
OLD_FINDING_MARKUP = ('class="finding"', 'class="finding ', "node-finding-list",
                      "badge sev-high\">high", "badge sev-medium\">medium")


def _load_demo() -> Workspace:
    interchange.load(document(datetime.now(UTC)))
    db.session.commit()
    return db.session.scalar(sa.select(Workspace).where(Workspace.slug == "northwind"))


def _person(email: str) -> Person:
    return db.session.scalar(sa.select(Person).where(Person.email == email))


def _acknowledge_one(ws: Workspace):
    found = analysis_of(ws, today()).findings[0]
    operations.acknowledge(ws, found, "Known: the cycle is being untangled.",
                           by=_person("chloe@northwind.test"))
    db.session.commit()
    return analysis_of(ws, today())


@pytest.fixture
def demo(app):
    return _load_demo()


def _cards(page: str) -> int:
    for old in OLD_FINDING_MARKUP:
        assert old not in page
    return page.count('<li class="finding-card severity-')


def test_finding_cards_come_from_one_macro_on_every_page(client, login, demo):
    analysis = _acknowledge_one(demo)
    login(_person("chloe@northwind.test"))
    page = client.get("/w/northwind/findings").get_data(as_text=True)
    assert _cards(page) == len(analysis.findings)
    assert page.count("finding-card severity-high is-acknowledged") == 1
    assert "Withdraw acknowledgement" in page and "Suggested conversation:" in page
    ids = re.findall(r'<textarea[^>]* id="(comment-[^"]+)"', page)
    assert len(ids) == len(set(ids)) == len(analysis.findings) - 1
    assert all(f'<label for="{i}">' in page for i in ids)

    key = next(k for k, found in analysis.by_node.items() if found)
    page = client.get(f"/w/northwind/nodes/{key}").get_data(as_text=True)
    assert _cards(page) == len(analysis.by_node[key])
    assert 'class="finding-list compact"' in page and "Conversation to have:" in page

    page = client.get("/w/northwind/graph/view").get_data(as_text=True)
    assert _cards(page) == len(analysis.findings)
    assert page.count("data-focus=") == _cards(page)


def test_units_indented_by_depth_come_from_one_macro(client, login, demo):
    units = db.session.scalar(sa.select(sa.func.count(Unit.id))
                              .where(Unit.workspace_id == demo.id))
    login(_person("ada@northwind.test"))
    for path in ("/w/northwind/units", "/w/northwind/"):
        page = client.get(path).get_data(as_text=True)
        assert page.count('<li class="unit-row depth-') == units, path
        assert 'class="depth-' not in page
    login(_person("chloe@northwind.test"))
    page = client.get("/w/northwind/pulses/new").get_data(as_text=True)
    rows = re.findall(r'<li class="unit-row depth-(\d)"><label><input[^>]*type="checkbox"', page)
    assert len(rows) == units and set(rows) == {"0", "1", "2"}


def test_no_template_writes_a_csrf_token_by_hand():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert "csrf_token()" not in text and 'name="csrf_token"' not in text, template.name


def test_every_form_that_posts_carries_its_csrf_token(csrf_app):
    ws = _load_demo()
    _acknowledge_one(ws)
    pages = {"lea@northwind.test": ["/w/northwind/nodes/checkout-2", "/w/northwind/nodes/vision",
                                    "/w/northwind/"],
             "chloe@northwind.test": ["/w/northwind/findings", "/w/northwind/pulses/new"],
             "ada@northwind.test": ["/w/northwind/units", "/w/northwind/people"]}
    seen = 0
    for email, paths in pages.items():
        client = csrf_app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = _person(email).get_id()
        for path in paths:
            page = client.get(path).get_data(as_text=True)
            forms = re.findall(r'<form[^>]*method="post".*?</form>', page, re.S)
            assert forms, path
            for form in forms:
                assert re.search(r'<input[^>]*name="csrf_token"[^>]*value="[^"]+"', form), \
                    f"{path}: {form[:200]}"
            seen += len(forms)
    assert seen > 40

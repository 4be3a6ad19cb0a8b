"""Filter forms are WTForms GET forms rendered by render_field: the query-string names stay,
the chosen values are shown selected, and a value that makes no sense is dropped."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cascade.db import db
from cascade.models import PulseStatement
from tests.factories import make_node, make_note, make_pulse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _selected(page: str, field_id: str) -> str | None:
    select = re.search(rf'<select[^>]* id="{field_id}"[^>]*>(.*?)</select>', page, re.S)
    assert select, field_id
    chosen = re.search(r'<option selected value="([^"]*)"', select.group(1))
    return chosen.group(1) if chosen else None


def test_no_template_writes_a_select_by_hand():
    for template in TEMPLATES.rglob("*.html"):
        assert "<select" not in template.read_text(), template.name


def test_tree_filter_shows_its_choices_and_drops_nonsense(client, login, org):
    root = make_node(org.workspace, org.units["acme"], "vision", title="The vision")
    make_node(org.workspace, org.units["shop"], "shop-1", title="Shop objective", parent=root,
              status="draft")
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/nodes/?unit=shop&status=draft&q=+shop+").get_data(as_text=True)
    assert _selected(page, "filter-unit") == "shop" and _selected(page, "filter-status") == "draft"
    assert 'id="filter-q" name="q" placeholder="Words in a title or key" type="search" ' \
           'value="shop"' in page
    assert '<label for="filter-unit">Unit</label>' in page
    assert "1 node matches" in page
    page = client.get("/w/acme/nodes/?unit=nowhere&status=lost").get_data(as_text=True)
    assert _selected(page, "filter-unit") == "" and _selected(page, "filter-status") == ""
    assert "The vision" in page and "Shop objective" in page and "matches" not in page
    assert 'class="errors"' not in page


def test_feedback_filter_shows_its_choices_and_drops_nonsense(client, login, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1")
    make_note(node, unit=org.units["checkout"], kind="feasibility", stance="concern",
              body="Old concern", created_at=datetime.now(UTC) - timedelta(days=20))
    make_note(node, unit=org.units["search"], kind="emergence", stance="blocker",
              body="New blocker")
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/feedback?kind=feasibility&unit=checkout&older=3&sort=stance"
                      ).get_data(as_text=True)
    assert _selected(page, "f-kind") == "feasibility"
    assert re.search(r'<input id="f-unit"[^>]* type="search" value="checkout"', page)
    assert _selected(page, "f-sort") == "stance" and _selected(page, "f-stance") == ""
    assert re.search(r'<input id="f-older"[^>]* min="0" name="older" type="number" value="3"',
                     page)
    assert "Old concern" in page and "New blocker" not in page
    for nonsense in ("older=-3", "older=many", "older=99999999999", "kind=gossip",
                     "stance=shrug", "sort=sideways", "unit=nowhere"):
        response = client.get(f"/w/acme/feedback?{nonsense}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200, nonsense
        assert "Old concern" in page and "New blocker" in page, nonsense
        assert page.index("Old concern") < page.index("New blocker"), nonsense  # oldest first
        assert 'class="errors"' not in page and "matches these filters" not in page


def test_graph_filter_shows_the_options_it_applied(client, login, org):
    root = make_node(org.workspace, org.units["acme"], "vision", title="The vision")
    make_node(org.workspace, org.units["shop"], "shop-1", title="Shop objective", parent=root)
    db.session.commit()
    login(org.people["coach"])
    page = client.get("/w/acme/graph?unit=shop&depth=2&status=agreed&expand=vision"
                      ).get_data(as_text=True)
    assert _selected(page, "f-unit") == "shop" and _selected(page, "f-depth") == "2"
    assert _selected(page, "f-status") == "agreed" and _selected(page, "f-root") == ""
    assert '<input id="f-expand" name="expand" type="hidden" value="vision">' in page
    assert re.search(r'<option value="vision">The vision</option>', page)
    assert '<option value="payments">\u00a0\u00a0\u00a0\u00a0Payments</option>' in page
    page = client.get("/w/acme/graph?depth=deep&status=gone").get_data(as_text=True)
    assert _selected(page, "f-depth") == "" and _selected(page, "f-status") == ""


def test_revision_compare_is_a_form_that_shows_what_it_compares(client, login, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1", title="First")
    db.session.commit()
    login(org.people["tribe_leader"])
    for title in ("Second", "Third"):
        client.post("/w/acme/nodes/shop-1/edit", data={"title": title, "statement": "",
                                                        "version": node.version})
    page = client.get("/w/acme/nodes/shop-1").get_data(as_text=True)
    assert _selected(page, "diff-from") == "2" and _selected(page, "diff-to") == "3"
    assert '<select id="diff-from" name="from">' in page
    page = client.get("/w/acme/nodes/shop-1?from=1&to=3").get_data(as_text=True)
    assert _selected(page, "diff-from") == "1" and "Changes from revision 1 to 3" in page
    page = client.get("/w/acme/nodes/shop-1?from=99&to=x").get_data(as_text=True)
    assert "Changes from revision 2 to 3" in page


def test_panorama_form_shows_the_pulse_and_statement_shown(client, login, org):
    root = make_node(org.workspace, org.units["acme"], "vision", title="The vision")
    theme = make_node(org.workspace, org.units["acme"], "t-fast", title="Fast", parent=root)
    older = make_pulse(org.workspace, [org.units["checkout"]], key="old", texts=(),
                       title="Spring", opens_on=date(2026, 3, 1))
    newer = make_pulse(org.workspace, [org.units["checkout"]], key="new", texts=(),
                       title="Autumn", opens_on=date(2026, 9, 1))
    for pulse in (older, newer):
        pulse.statements = [PulseStatement(position=i, text=text, node=theme)
                            for i, text in enumerate(("I understand it", "I believe it"))]
    db.session.commit()
    login(org.people["coach"])
    page = client.get("/w/acme/pulses/panorama").get_data(as_text=True)
    assert _selected(page, "pulse") == "new" and _selected(page, "statement") == ""
    assert '<option value="old">Spring (2026-03-01)</option>' in page
    page = client.get("/w/acme/pulses/panorama?pulse=old&statement=I+believe+it"
                      ).get_data(as_text=True)
    assert _selected(page, "pulse") == "old" and _selected(page, "statement") == "I believe it"
    page = client.get("/w/acme/pulses/panorama?pulse=gone&statement=nonsense"
                      ).get_data(as_text=True)
    assert _selected(page, "pulse") == "new" and _selected(page, "statement") == ""

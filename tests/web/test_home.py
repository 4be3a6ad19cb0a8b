"""The front door and the workspace overview."""

import re

from cascade.clock import today
from cascade.db import db
from cascade.findings.analysis import analysis_of
from tests.factories import make_node, make_note


def test_anonymous_visitor_sees_the_welcome_page(client):
    page = client.get("/").get_data(as_text=True)
    assert "Strategy that flows both ways" in page
    assert 'href="/sign-in"' in page


def test_home_lists_only_my_workspaces_with_their_size(client, login, org):
    make_node(org.workspace, org.units["acme"], "vision")
    make_node(org.workspace, org.units["shop"], "shop-1")
    db.session.commit()
    login(org.people["member"])
    page = client.get("/").get_data(as_text=True)
    assert "Acme Digital" in page
    assert "6 units" in page and "2 nodes" in page and "5 people" in page
    assert "Other Org" not in page


def test_workspace_overview_shows_units_and_the_units_page_their_people(client, login, org):
    login(org.people["member"])
    page = client.get("/w/acme/").get_data(as_text=True)
    assert "Checkout" in page and 'href="/w/acme/units"' in page
    page = client.get("/w/acme/units").get_data(as_text=True)
    assert "Checkout" in page and "Sam" in page.split('id="unit-checkout"')[1].split("</li>")[0]


def test_outsider_gets_404_for_a_workspace(client, login, org):
    login(org.people["outsider"])
    assert client.get("/w/acme/").status_code == 404
    assert client.get("/w/no-such-workspace/").status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, org):
    response = client.get("/w/acme/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_overview_shows_what_needs_attention_at_a_glance(client, login, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1", title="Faster checkout")
    make_note(node, author=org.people["member"], body="Can we?")
    db.session.commit()
    login(org.people["coach"])
    page = client.get("/w/acme/").get_data(as_text=True)
    analysis = analysis_of(org.workspace, today())
    assert f"{analysis.score_tenths:.1f}<small>/100</small>" in page
    assert f"coherence score · {len(analysis.open_findings)} open findings" in page
    assert re.search(r">1</span>\s*<span class=\"glance-label\">note waits for an answer", page)
    login(org.people["member"])
    page = client.get("/w/acme/").get_data(as_text=True)
    assert "coherence score" not in page  # findings are for coaches, leaders and admins

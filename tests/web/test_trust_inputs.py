"""Issue 14's input problems, with its own inputs: a unit name that took the graph down (3),
an open redirect (5), query strings and NUL bytes that answered 500 (8)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade.db import db
from cascade.graph.labels import clean
from cascade.inputs import UNSTORABLE
from cascade.models import Node
from tests.factories import PASSWORD, make_node
from tests.profiles import examples


@pytest.mark.parametrize("reference", ["&#xD800;", "&#1;", "&#x1F;", "&#x7F;", "&#xFFFE;",
                                       "&#xFFFF;", "&#0;", "&#x110000;", "&#55296;",
                                       "&amp;", "&lt;script&gt;", "&#x1F600;"])
def test_a_unit_named_with_a_character_reference_keeps_the_graph_up(client, login, org,
                                                                    reference):
    org.units["checkout"].name = f"Checkout {reference}"
    root = make_node(org.workspace, org.units["acme"], "vision", f"Vision {reference}")
    make_node(org.workspace, org.units["checkout"], "pay", f"Pay {reference}", parent=root)
    db.session.commit()
    login(org.people["coach"])
    for url in ("/w/acme/graph", "/w/acme/graph/view", "/w/acme/graph.svg",
                "/w/acme/graph.dot", "/w/acme/graph?unit=checkout"):
        response = client.get(url)
        assert response.status_code == 200, url
    svg = client.get("/w/acme/graph.svg").data
    root_element = ET.fromstring(svg)  # well-formed XML
    texts = " ".join(t.text or "" for t in root_element.iter("{http://www.w3.org/2000/svg}text"))
    assert f"Checkout {reference}" in texts  # drawn as typed, not as the character it names


@pytest.mark.parametrize("target", ["/%09/evil.test", "/%0a", "/%0d%0aSet-Cookie:%20x=1",
                                    "//evil.test", "/\\evil.test", "/%5Cevil.test",
                                    "https://evil.test/", "/%20/evil.test", "%2F%2Fevil.test",
                                    "/%E2%80%8B/evil.test"])
def test_sign_in_never_redirects_off_the_site(client, org, target):
    response = client.post(f"/sign-in?next={target}",
                           data={"email": "sam@acme.test", "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/", f"{target} led to {location!r}"


def test_sign_in_still_follows_a_path_of_this_site(client, org):
    response = client.post("/sign-in?next=/w/acme/nodes/%3Fq%3D1",
                           data={"email": "sam@acme.test", "password": PASSWORD})
    assert response.headers["Location"] == "/w/acme/nodes/?q=1"


@pytest.mark.parametrize("url", [
    "/w/acme/feedback?older=2147483648",
    "/w/acme/feedback?older=" + "9" * 5000,
    "/w/acme/graph?depth=⁰⁴⁵",
    "/w/acme/graph/view?depth=⁰⁴⁵",
    "/w/acme/graph.svg?depth=⁰⁴⁵",
    "/w/acme/graph.dot?depth=₀₁₂",
    "/w/acme/audit?page=" + "1" * 400,
    "/w/acme/audit?page=⁰⁴⁵",
    "/w/acme/nodes/vision?from=⁰⁴⁵&to=" + "9" * 400,
    "/w/acme/nodes/vision?from=2147483648&to=-1",
])
def test_odd_numbers_in_query_strings_are_read_not_crashed_on(client, login, org, url):
    make_node(org.workspace, org.units["acme"], "vision", "Vision")
    db.session.commit()
    login(org.people["admin"])
    assert client.get(url).status_code in (200, 400), url


NUL_URLS = [
    ("GET", "/w/acme/nodes/search.json?q=%00"),
    ("GET", "/w/acme/nodes/vi%00sion"),
    ("GET", "/w/acme/nodes/?q=%00"),
    ("GET", "/w/acme/nodes/?unit=%00"),
    ("GET", "/w/acme/feedback?unit=%00"),
    ("GET", "/w/acme/feedback?kind=%00&stance=%00"),
    ("GET", "/w/acme/graph?root=%00"),
    ("GET", "/w/acme/graph/view?unit=%00"),
    ("GET", "/w/acme/graph.svg?code=%00"),
    ("GET", "/w/acme/findings/?code=%00"),
    ("GET", "/w/acme/audit?action=%00"),
    ("GET", "/w/acme/pulses/p%00"),
    ("GET", "/w/acme/units/check%00out/edit"),
    ("GET", "/w/ac%00me/"),
    ("GET", "/invitations/tok%00en"),
    ("GET", "/w/acme/pulses/panorama?pulse=%00"),
    ("POST", "/w/acme/nodes/new?parent=%00"),
    ("POST", "/sign-in?next=/%00"),
    ("POST", "/w/acme/nodes/vision/notes"),
    ("POST", "/w/acme/units/new"),
]


@pytest.mark.parametrize("method, url", NUL_URLS)
def test_a_nul_byte_anywhere_is_refused_with_a_message(client, login, org, method, url):
    make_node(org.workspace, org.units["acme"], "vision", "Vision")
    db.session.commit()
    login(org.people["admin"])
    form = {"title": "A\x00B", "body": "x\x00", "name": "N\x00", "kind": "validation"} \
        if method == "POST" else None
    response = client.open(url, method=method, data=form)
    assert response.status_code == 400, url
    assert "cannot be stored" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["\x01", "\x1f", "\ufffe", "\uffff", "\x0b"])
def test_other_characters_xml_cannot_hold_are_refused_in_forms(client, login, org, value):
    login(org.people["admin"])
    response = client.post("/w/acme/units/new", data={"name": f"Check{value}out", "parent": ""})
    assert response.status_code == 400
    assert "cannot be stored" in response.get_data(as_text=True)


def test_tabs_newlines_and_emoji_are_kept(client, login, org):
    make_node(org.workspace, org.units["acme"], "vision", "Vision")
    db.session.commit()
    login(org.people["leader"])
    response = client.post("/w/acme/nodes/vision/notes", data={
        "kind": "validation", "stance": "support", "unit": org.units["acme"].id,
        "body": "Line one\r\n\tLine two 😀 \u202e"})
    assert response.status_code == 302


_any_text = st.text(st.characters(blacklist_categories=("Cs",)).filter(
    lambda c: not UNSTORABLE.match(c)), min_size=1, max_size=30)
_references = st.builds(lambda n, hexa: f"&#x{n:X};" if hexa else f"&#{n};",
                        st.integers(0, 0x10FFFF + 5), st.booleans())


@settings(max_examples=examples(40), deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(name=st.lists(_any_text | _references, min_size=1, max_size=4).map(" ".join))
def test_any_storable_text_and_any_reference_draws_as_valid_svg(client, login, org, name):
    """Every code point a backend stores, and every character reference, in unit names and
    titles: the SVG stays well-formed XML."""
    org.units["checkout"].name = name[:200]
    db.session.merge(org.units["checkout"])
    node = db.session.scalar(sa.select(Node).where(Node.key == "fuzzed"))
    if node is None:
        node = make_node(org.workspace, org.units["checkout"], "fuzzed", "x")
    node.title = name[:200]
    db.session.commit()
    login(org.people["coach"])
    response = client.get("/w/acme/graph.svg")
    assert response.status_code == 200
    drawn = "".join(t.text or "" for t in ET.fromstring(response.data).iter(
        "{http://www.w3.org/2000/svg}text")).replace(" ", "")
    shown = clean(name, 60).replace(" ", "")[:8].rstrip("…")
    assert shown in drawn  # this very name was drawn, not an earlier picture

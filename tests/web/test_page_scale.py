"""Issue 13: the findings, webhooks, pulses, pulse and session pages of a generated
organisation of 3,000 nodes (157 units) run the statements they run at 100 nodes (9 units)
and do not carry every unit or subtree: past 60 the filters' selects become typed fields
with suggestions, which still take a key or a name and refuse anything else clearly."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from benchmarks.organisation import document
from cascade import interchange
from cascade.db import db
from cascade.models import Membership, Person, Role

SIZES = (100, 3000)


@pytest.fixture
def orgs(login):
    """`org100` and `org3000`, signed in as their coach (an admin too, for webhooks)."""
    for size in SIZES:
        doc = document(size)
        doc["workspace"]["slug"] = f"org{size}"
        interchange.load(doc)
    db.session.flush()
    coach = db.session.scalar(sa.select(Person).where(Person.email == "coach@synthetic.test"))
    for ms in db.session.scalars(sa.select(Membership).where(
            Membership.person_id == coach.id, Membership.role == Role.COACH)).all():
        db.session.add(Membership(workspace_id=ms.workspace_id, person_id=coach.id,
                                  unit_id=ms.unit_id, role=Role.ADMIN))
    db.session.commit()
    login(coach)


def _measured(client, count_queries, path: str) -> tuple[int, str]:
    client.get(path)  # the first stores the analysis
    with count_queries() as counted:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return counted.count, response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["findings", "webhooks", "pulses", "pulses/pulse-d0"])
def test_statements_and_html_do_not_grow_with_the_organisation(client, count_queries, orgs,
                                                                path):
    small, small_page = _measured(client, count_queries, f"/w/org100/{path}")
    big, big_page = _measured(client, count_queries, f"/w/org3000/{path}")
    assert big == small, (small, big)
    assert big_page.count("<option") < 200, big_page.count("<option")  # 60 a picker at most
    assert len(big_page) < 200_000, len(big_page)


def test_a_session_page_does_not_grow_with_the_organisation(client, count_queries, orgs):
    """A session on five findings: its notes are read by the findings' nodes, not from
    every note of the workspace, and the findings are looked up once per analysis."""
    from cascade import clock
    from cascade.findings.analysis import analysis_of
    from cascade.models import SessionTemplate, Workspace
    from cascade.sessions import operations as sessions

    coach = db.session.scalar(sa.select(Person).where(Person.email == "coach@synthetic.test"))
    for size in SIZES:
        ws = db.session.scalar(sa.select(Workspace).where(Workspace.slug == f"org{size}"))
        found = analysis_of(ws, clock.today()).open_findings
        sessions.create_session(
            ws, by=coach, title="Review", template=SessionTemplate.COHERENCE_REVIEW,
            node=None, unit=None, fingerprints=[f.fingerprint for f in found[:5]], pulse=None,
            statement="", anonymised=False, step_minutes=10, today=clock.today())
    db.session.commit()
    small, small_page = _measured(client, count_queries, "/w/org100/sessions/review")
    big, big_page = _measured(client, count_queries, "/w/org3000/sessions/review")
    assert big == small and "Review" in big_page
    assert len(big_page) < 2 * len(small_page), (len(small_page), len(big_page))


def test_the_findings_filters_are_typed_fields_in_a_large_organisation(client, orgs):
    small = client.get("/w/org100/findings").get_data(as_text=True)
    assert '<select id="unit" name="unit">' in small
    assert '<select id="subtree" name="subtree">' in small
    big = client.get("/w/org3000/findings").get_data(as_text=True)
    assert 'data-units="/w/org3000/units/search.json"' in big
    assert 'data-picker="/w/org3000/nodes/search.json"' in big
    assert "js/picker.js" in big
    by_key = client.get("/w/org3000/findings?unit=t7").get_data(as_text=True)
    by_name = client.get("/w/org3000/findings?unit=team+7").get_data(as_text=True)
    assert 'value="t7"' in by_name
    assert _counts(by_name) == _counts(by_key) != _counts(big)
    unknown = client.get("/w/org3000/findings?unit=Team+999").get_data(as_text=True)
    assert "No unit is called “Team 999”." in unknown
    assert "No node with children has the key “nowhere”." in client.get(
        "/w/org3000/findings?subtree=nowhere").get_data(as_text=True)


def _counts(page: str) -> str:
    return page.split('id="counts-heading">', 1)[1].split("<", 1)[0]


def test_a_webhook_is_limited_to_a_unit_typed_in_a_large_organisation(client, orgs,
                                                                   http_receiver):
    small = client.get("/w/org100/webhooks").get_data(as_text=True)
    assert '<select id="unit" name="unit">' in small and small.count("<option") < 60
    big = client.get("/w/org3000/webhooks").get_data(as_text=True)
    assert 'data-units="/w/org3000/units/search.json"' in big and big.count("<option") < 70
    form = {"url": http_receiver.url, "format": "cascade"}
    refused = client.post("/w/org3000/webhooks", data=form | {"unit": "Team 999"})
    assert refused.status_code == 400
    assert "No unit is called “Team 999”." in refused.get_data(as_text=True)
    made = client.post("/w/org3000/webhooks", data=form | {"unit": "team 7"})
    assert made.status_code == 201
    listed = client.get("/w/org3000/webhooks").get_data(as_text=True)
    assert "<td>Team 7</td>" in listed


def test_the_graph_filters_by_a_unit_typed_in_a_large_organisation(client, orgs):
    small = client.get("/w/org100/graph").get_data(as_text=True)
    assert '<select id="f-unit" name="unit">' in small
    big = client.get("/w/org3000/graph").get_data(as_text=True)
    assert 'data-units="/w/org3000/units/search.json"' in big and "js/picker.js" in big
    assert big.count("<option") < small.count("<option") + 60
    chosen = client.get("/w/org3000/graph?unit=t7").get_data(as_text=True)
    assert 'value="t7"' in chosen and "No unit has the key" not in chosen
    unknown = client.get("/w/org3000/graph?unit=Team+999").get_data(as_text=True)
    assert "No unit has the key “Team 999”: pick one of the suggestions." in unknown
    # a unit typed by its name, any case, draws what its key draws, page and fragment alike
    by_name = client.get("/w/org3000/graph?unit=team+7").get_data(as_text=True)
    assert 'value="t7"' in by_name and "No unit has the key" not in by_name
    assert client.get("/w/org3000/graph/view?unit=TEAM+7").get_data() == \
        client.get("/w/org3000/graph/view?unit=t7").get_data()

"""Reading a workspace through the API: the same things the pages show, paged by cursor,
filtered, with e-mails and the audit trail only for admins, and pulse results only as the
results page shows them. Each page costs the same SQL statements at 50 and 2,000 nodes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cascade import audit, clock
from cascade.db import db
from cascade.feedback.operations import answer_note, reply
from cascade.findings.analysis import analysis_of
from cascade.findings.operations import record_score
from cascade.models import Link, Node, NodeRevision, Note, Reply
from tests.factories import make_answers, make_measure, make_node, make_note, make_pulse, make_token


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def token_of(org):
    """`token_of("member", "read")`: a new token's Authorization header for one of the org."""
    def make(role: str, *scopes: str) -> dict:
        _, secret = make_token(org.workspace, org.people[role], scopes or ("read",))
        db.session.commit()
        return bearer(secret)
    return make


def follow(client, url, headers) -> list[dict]:
    items, pages = [], 0
    while url:
        answer = client.get(url, headers=headers)
        assert answer.status_code == 200, answer.json
        items += answer.json["items"]
        url, pages = answer.json["next"], pages + 1
        if url:
            assert answer.headers["Link"] == f'<{url}>; rel="next"'
    return items, pages


def test_lists_page_by_cursor_without_repeats_or_gaps(client, org, token_of):
    headers = token_of("member")
    items, pages = follow(client, "/api/v1/w/acme/units?limit=2", headers)
    assert [u["key"] for u in items] == ["acme", "shop", "checkout", "search", "platform",
                                         "payments"]
    assert pages == 3
    assert items[2]["parent"] == "shop"


def test_bad_query_strings_answer_400_with_json_paths(client, org, token_of):
    headers = token_of("member")
    for query, path in (("limit=101", "$.limit"), ("limit=zero", "$.limit"),
                        ("cursor=%21%21", "$.cursor"), ("cursor=bm9wZQ", "$.cursor"),
                        ("colour=red", "$.colour"), ("updated_since=yesterday",
                                                     "$.updated_since")):
        answer = client.get(f"/api/v1/w/acme/units?{query}", headers=headers)
        assert answer.status_code == 400, query
        assert answer.mimetype == "application/problem+json"
        assert [e["path"] for e in answer.json["errors"]] == [path], answer.json
        assert answer.json["errors"][0]["in"] == "query"


def test_emails_only_for_admins_with_the_admin_scope(client, org, token_of):
    def emails(headers):
        items, _ = follow(client, "/api/v1/w/acme/people", headers)
        return {p["name"]: p["email"] for p in items}
    assert set(emails(token_of("member")).values()) == {None}
    assert set(emails(token_of("admin")).values()) == {None}
    shown = emails(token_of("admin", "read", "admin"))
    assert shown["Sam"] == "sam@acme.test" and "Eve" not in shown
    roles, _ = follow(client, "/api/v1/w/acme/memberships", token_of("member"))
    assert {(m["person_name"], m["unit"], m["role"]) for m in roles} >= {
        ("Sam", "checkout", "member"), ("Lea", "acme", "leader")}


def test_nodes_with_links_revisions_filters_and_updated_since(client, org, token_of):
    ws, units = org.workspace, org.units
    vision = make_node(ws, units["acme"], "vision", "Vision")
    goal = make_node(ws, units["checkout"], "goal", "Goal", parent=vision, status="draft")
    db.session.add(Link(workspace_id=ws.id, source=goal, target=vision, kind="depends_on"))
    db.session.commit()
    headers = token_of("member")
    items, _ = follow(client, "/api/v1/w/acme/nodes", headers)
    by_key = {n["key"]: n for n in items}
    assert by_key["goal"]["links"] == [{"kind": "depends_on", "target": "vision"}]
    assert by_key["goal"]["parent"] == "vision" and by_key["goal"]["unit"] == "checkout"
    assert by_key["goal"]["revisions"] is None
    drafts, _ = follow(client, "/api/v1/w/acme/nodes?status=draft&unit=checkout", headers)
    assert [n["key"] for n in drafts] == ["goal"]
    later = (clock.now() + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    assert follow(client, f"/api/v1/w/acme/nodes?updated_since={later}", headers)[0] == []
    one = client.get("/api/v1/w/acme/nodes/goal", headers=headers)
    assert one.json["revisions"][0]["title"] == "Goal"
    assert one.headers["ETag"] == f'"{one.json["version"]}"'
    assert client.get("/api/v1/w/acme/nodes/nope", headers=headers).status_code == 404


def test_notes_with_answers_and_replies(client, org, token_of):
    ws, units, people = org.workspace, org.units, org.people
    node = make_node(ws, units["checkout"], "goal", "Goal")
    note = make_note(node, author=people["member"], unit=units["checkout"])
    answer_note(note, people["leader"], status="declined", response="Not now.")
    reply(note, people["member"], "Fair enough.")
    db.session.commit()
    items, _ = follow(client, "/api/v1/w/acme/notes?status=declined", token_of("coach"))
    assert len(items) == 1
    got = items[0]
    assert (got["node"], got["author"], got["responded_by"], got["response"]) == \
        ("goal", "Sam", "Lea", "Not now.")
    assert [r["body"] for r in got["replies"]] == ["Fair enough."]
    assert client.get(f"/api/v1/w/acme/notes/{note.id}",
                      headers=token_of("coach")).json["replies"][0]["author"] == "Sam"


def test_pulse_results_only_as_the_results_page_shows_them(client, org, token_of):
    ws, units = org.workspace, org.units
    node = make_node(ws, units["acme"], "vision", "Vision")
    pulse = make_pulse(ws, [units["checkout"], units["search"]], node=node, status="closed")
    statement = pulse.statements[0]
    make_answers(statement, units["checkout"], [1, 5, 4], comments=["Unclear to us"])
    make_answers(statement, units["search"], [2, 2])  # below the threshold of 3
    db.session.commit()
    got = client.get("/api/v1/w/acme/pulses/p1", headers=token_of("member")).json
    result = got["results"][0]
    shown = {u["unit"]: u for u in result["units"]}
    assert shown["checkout"]["distribution"]["counts"] == [1, 0, 0, 1, 1]
    assert shown["search"] == {"unit": "search", "shown": False, "distribution": None}
    assert result["overall"]["n"] == 3 and result["hidden_answers"] == 2
    assert result["comments"] == ["Unclear to us"] and got["min_answers"] == 3
    listed, _ = follow(client, "/api/v1/w/acme/pulses", token_of("member"))
    assert listed[0]["results"] is None


def test_findings_as_of_a_day_with_filters_and_the_score_history(client, org, token_of):
    make_node(org.workspace, org.units["shop"], "lonely", "Lonely")  # UNALIGNED
    db.session.commit()
    headers = token_of("coach")
    day = clock.today() - timedelta(days=10)
    record_score(org.workspace, analysis_of(org.workspace, day), by=None)
    db.session.commit()
    got = client.get(f"/api/v1/w/acme/findings?as_of={day.isoformat()}", headers=headers).json
    assert got["as_of"] == day.isoformat()
    codes = {f["code"] for f in got["findings"]}
    assert "UNALIGNED" in codes
    for never in (day - timedelta(days=1), clock.today() + timedelta(days=1)):
        refused = client.get(f"/api/v1/w/acme/findings?as_of={never.isoformat()}",
                             headers=headers)
        assert refused.status_code == 400 and "recorded day" in refused.json["detail"]
    only = client.get("/api/v1/w/acme/findings?code=UNALIGNED&severity=high",
                      headers=headers).json["findings"]
    assert {f["code"] for f in only} == {"UNALIGNED"} and only[0]["fingerprint"]
    assert client.get("/api/v1/w/acme/findings?as_of=01/01/2026",
                      headers=headers).status_code == 400
    assert client.get("/api/v1/w/acme/findings", headers=token_of("member")).status_code == 403
    [point] = client.get("/api/v1/w/acme/score-history", headers=headers).json["items"]
    assert point["as_of"] == day.isoformat()


def test_the_audit_trail_needs_an_admin_with_the_admin_scope(client, org, token_of):
    client.get("/w/acme/tokens")  # nothing: anonymous
    make_token(org.workspace, org.people["admin"])
    audit.record(org.people["admin"], org.workspace.id, "unit.create", "unit", "search")
    db.session.commit()
    assert client.get("/api/v1/w/acme/audit", headers=token_of("admin")).status_code == 403
    entries = client.get("/api/v1/w/acme/audit?action=unit.create",
                         headers=token_of("admin", "read", "admin")).json["items"]
    assert [(e["person"], e["target"]) for e in entries] == [("Ada", "search")]


PAGED = ("nodes", "notes", "units", "people", "memberships", "pulses", "measures", "audit")


def _grow(ws, unit, author, replier, start: int, total: int) -> None:
    """Nodes start…total-1, each with a note, a reply, a revision and a link to the last."""
    nodes = [Node(workspace_id=ws.id, unit=unit, key=f"n{i}", title=f"Node {i}",
                  status="agreed", revision=1) for i in range(start, total)]
    for node in nodes:
        node.revisions.append(NodeRevision(revision=1, title=node.title, statement=""))
    db.session.add_all(nodes)
    db.session.flush()
    notes = [Note(workspace_id=ws.id, node=n, author=author, unit=unit, kind="feasibility",
                  stance="concern", body="Hm.") for n in nodes]
    db.session.add_all(notes)
    db.session.flush()
    db.session.add_all([Reply(note=note, author=replier, body="ok") for note in notes])
    db.session.add_all([Link(workspace_id=ws.id, source_id=b.id, target_id=a.id,
                             kind="depends_on") for a, b in zip(nodes, nodes[1:], strict=False)])
    for node in nodes[::10]:
        make_pulse(ws, [unit], node=node, key=f"p-{node.key}")
        make_measure(node)
    for node in nodes:
        audit.record(author, ws.id, "node.create", "node", node.key)
    db.session.commit()


def test_a_page_costs_the_same_statements_at_50_and_2000_nodes(client, org, token_of,
                                                               count_queries):
    ws, checkout, people = org.workspace, org.units["checkout"], org.people
    headers = token_of("admin", "read", "admin")

    def statements() -> dict[str, int]:
        found = {}
        for path in PAGED:
            client.get(f"/api/v1/w/acme/{path}?limit=100", headers=headers)  # records last use
            with count_queries() as counter:
                answer = client.get(f"/api/v1/w/acme/{path}?limit=100", headers=headers)
            assert answer.status_code == 200 and answer.json["items"], path
            found[path] = counter.count
        return found

    _grow(ws, checkout, people["member"], people["leader"], 0, 50)
    small = statements()
    _grow(ws, checkout, people["member"], people["leader"], 50, 2000)
    assert statements() == small

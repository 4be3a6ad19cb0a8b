"""Writing through the API: the web's operations and rules behind every endpoint, versions
with If-Match, problems at JSON paths, retries that make one note, and a whole loop of the
product driven through the API alone."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from cascade.db import db
from cascade.models import AuditEntry, Note
from tests.factories import make_node, make_note, make_token


@pytest.fixture
def as_(org):
    """`as_("leader", "write:strategy")`: headers with a new token of one of the org."""
    def make(role: str, *scopes: str) -> dict:
        _, secret = make_token(org.workspace, org.people[role], ("read", *scopes))
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}
    return make


def test_a_whole_loop_through_the_api_alone(client, org, as_):
    """A leader writes an objective; a team translates it and leaves a note; the leader
    answers and revises; the coach reads the findings, the translation turns stale, and
    the team confirms it."""
    lea, sam, chloe = (as_("leader", "write:strategy", "write:notes"),
                       as_("member", "write:strategy", "write:notes"), as_("coach"))
    base = "/api/v1/w/acme"
    vision = client.post(f"{base}/nodes", headers=lea, json={
        "title": "Grow repeat purchases", "unit": "acme", "key": "vision"})
    assert vision.status_code == 201, vision.json
    objective = client.post(f"{base}/nodes", headers=lea, json={
        "title": "Checkout in one minute", "unit": "shop", "parent": "vision",
        "statement": "Fewer steps.", "horizon": "2027"}).json
    for status in ("proposed", "agreed"):
        for key in ("vision", objective["key"]):
            moved = client.post(f"{base}/nodes/{key}/status", headers=lea,
                                json={"status": status})
            assert moved.status_code == 200 and moved.json["status"] == status
    translation = client.post(f"{base}/nodes/{objective['key']}/translations", headers=sam,
                              json={"title": "One-page checkout", "unit": "checkout"})
    assert translation.status_code == 201, translation.json
    assert translation.json["parent"] == objective["key"]
    assert translation.json["unit"] == "checkout"
    note = client.post(f"{base}/nodes/{objective['key']}/notes", headers=sam, json={
        "kind": "feasibility", "stance": "concern", "body": "The payment step needs Payments."})
    assert note.status_code == 201 and note.json["unit"] == "checkout"
    answered = client.post(f"{base}/notes/{note.json['id']}/answer", headers=lea,
                           json={"status": "incorporated", "response": "Added a dependency.",
                                 "revision": 1})
    assert answered.status_code == 200, answered.json
    assert answered.json["responded_by"] == "Lea"

    def findings() -> dict[str, list[list[str]]]:
        got = client.get(f"{base}/findings", headers=chloe)
        assert got.status_code == 200
        found: dict[str, list[list[str]]] = {}
        for f in got.json["findings"]:
            found.setdefault(f["code"], []).append(f["nodes"])
        return found

    assert "STALE_TRANSLATION" not in findings()
    current = client.get(f"{base}/nodes/{objective['key']}", headers=sam)
    revised = client.patch(f"{base}/nodes/{objective['key']}", headers={
        **lea, "If-Match": current.headers["ETag"]}, json={"statement": "Two steps at most."})
    assert revised.status_code == 200 and revised.json["revision"] == 2
    assert [translation.json["key"], objective["key"]] in findings()["STALE_TRANSLATION"]
    confirmed = client.post(f"{base}/nodes/{translation.json['key']}/confirm", headers=sam)
    assert confirmed.json["parent_revision_seen"] == 2
    assert "STALE_TRANSLATION" not in findings()
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"node.create", "node.status", "note.create", "note.answer", "node.edit",
            "node.confirm"} <= actions


def test_patch_needs_if_match_and_refuses_an_old_version(client, org, as_):
    make_node(org.workspace, org.units["checkout"], "goal", "Goal")
    db.session.commit()
    sam = as_("member", "write:strategy")
    url = "/api/v1/w/acme/nodes/goal"
    missing = client.patch(url, headers=sam, json={"title": "New"})
    assert missing.status_code == 428 and missing.mimetype == "application/problem+json"
    etag = client.get(url, headers=sam).headers["ETag"]
    assert client.patch(url, headers={**sam, "If-Match": etag},
                        json={"title": "New"}).status_code == 200
    stale = client.patch(url, headers={**sam, "If-Match": etag}, json={"title": "Newer"})
    assert stale.status_code == 412
    assert stale.json["version"] == int(client.get(url, headers=sam).headers["ETag"].strip('"'))
    assert client.get(url, headers=sam).json["title"] == "New"


def test_bodies_are_validated_whole_with_json_paths(client, org, as_):
    lea = as_("leader", "write:strategy")
    bad = client.post("/api/v1/w/acme/nodes", headers=lea,
                      json={"title": "   ", "unit": "no such unit!", "colour": "red"})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert sorted(e["path"] for e in bad.json["errors"]) == ["$.colour", "$.title", "$.unit"]
    assert {e["in"] for e in bad.json["errors"]} == {"body"}
    nul = client.post("/api/v1/w/acme/nodes", headers=lea, json={"title": "a\x00b",
                                                                  "unit": "acme"})
    assert [e["path"] for e in nul.json["errors"]] == ["$.title"]
    for data, kind in (("not json", "text/plain"), ("[1, 2]", "application/json"),
                       ("[" * 100_000, "application/json")):
        answer = client.post("/api/v1/w/acme/nodes", headers=lea, data=data, content_type=kind)
        assert answer.status_code == 400, data[:10]
    refused = client.post("/api/v1/w/acme/nodes", headers=lea,
                          json={"title": "Goal", "unit": "acme", "key": "new"})
    assert refused.status_code == 422 and refused.json["errors"][0]["path"] == "$.key"


def test_the_rules_are_the_web_pages_rules(client, org, as_):
    vision = make_node(org.workspace, org.units["acme"], "vision", "Vision", status="draft")
    make_node(org.workspace, org.units["checkout"], "goal", "Goal", parent=vision)
    db.session.commit()
    coach = as_("coach", "write:strategy", "write:notes")
    assert client.post("/api/v1/w/acme/nodes", headers=coach,
                       json={"title": "Mine", "unit": "acme"}).status_code == 403
    sam = as_("member", "write:strategy")
    assert client.post("/api/v1/w/acme/nodes/goal/status", headers=sam,
                       json={"status": "retired"}).status_code == 403  # members only propose
    reader = as_("leader")
    assert client.post("/api/v1/w/acme/nodes", headers=reader,
                       json={"title": "Mine", "unit": "acme"}).status_code == 403
    lea = as_("leader", "write:strategy")
    wrong = client.post("/api/v1/w/acme/nodes/vision/status", headers=lea,
                        json={"status": "agreed"})
    assert wrong.status_code == 422 and wrong.json["errors"][0]["path"] == "$.status"
    retire = client.post("/api/v1/w/acme/nodes/vision/status", headers=lea,
                         json={"status": "retired"})
    assert retire.status_code == 422 and "goal" in retire.json["detail"]
    assert client.post("/api/v1/w/acme/nodes/vision/status", headers=lea,
                       json={"status": "retired", "confirm": True}).json["status"] == "retired"


def test_a_retried_note_with_the_same_idempotency_key_is_made_once(client, org, as_):
    make_node(org.workspace, org.units["acme"], "vision", "Vision")
    db.session.commit()
    sam = {**as_("member", "write:notes"), "Idempotency-Key": "sync-42"}
    body = {"kind": "execution", "stance": "support", "body": "Shipped."}
    first = client.post("/api/v1/w/acme/nodes/vision/notes", headers=sam, json=body)
    again = client.post("/api/v1/w/acme/nodes/vision/notes", headers=sam, json=body)
    assert first.json["id"] == again.json["id"]
    assert db.session.scalar(sa.select(sa.func.count(Note.id))) == 1


def test_notes_are_edited_by_their_author_and_replied_to(client, org, as_):
    node = make_node(org.workspace, org.units["acme"], "vision", "Vision")
    note = make_note(node, author=org.people["member"], unit=org.units["checkout"])
    db.session.commit()
    url = f"/api/v1/w/acme/notes/{note.id}"
    lea, sam = as_("leader", "write:notes"), as_("member", "write:notes")
    etag = client.get(url, headers=sam).headers["ETag"]
    assert client.patch(url, headers={**lea, "If-Match": etag},
                        json={"body": "Mine now"}).status_code == 403
    edited = client.patch(url, headers={**sam, "If-Match": etag}, json={"body": "Clearer."})
    assert edited.status_code == 200 and edited.json["body"] == "Clearer."
    replied = client.post(f"{url}/replies", headers=lea, json={"body": "Thanks."})
    assert replied.status_code == 201 and replied.json["replies"][0]["author"] == "Lea"


def test_coaches_acknowledge_and_withdraw_findings(client, org, as_):
    make_node(org.workspace, org.units["shop"], "lonely", "Lonely")
    db.session.commit()
    chloe = as_("coach", "write:notes")
    found = client.get("/api/v1/w/acme/findings?code=UNALIGNED", headers=chloe).json
    fingerprint = found["findings"][0]["fingerprint"]
    ack = client.post(f"/api/v1/w/acme/findings/{fingerprint}/acknowledge", headers=chloe,
                      json={"comment": "A pilot, on purpose."})
    assert ack.status_code == 200 and ack.json["by"] == "Chloé"
    again = client.get("/api/v1/w/acme/findings?code=UNALIGNED", headers=chloe).json
    assert again["findings"][0]["acknowledged"] is True
    gone = client.post(f"/api/v1/w/acme/findings/{fingerprint}/withdraw", headers=chloe)
    assert gone.status_code == 200
    assert client.post(f"/api/v1/w/acme/findings/{fingerprint}/withdraw",
                       headers=chloe).status_code == 404
    assert client.post("/api/v1/w/acme/findings/0123/acknowledge", headers=chloe,
                       json={"comment": "x"}).status_code == 404


def test_export_and_import_a_workspace_file(client, org, as_):
    make_node(org.workspace, org.units["acme"], "vision", "Vision")
    db.session.commit()
    ada, lea = as_("admin", "admin"), as_("leader", "admin")
    assert client.get("/api/v1/w/acme/export", headers=lea).status_code == 403
    exported = client.get("/api/v1/w/acme/export", headers=ada)
    assert exported.status_code == 200 and exported.json["format"] == "cascade/v1"
    doc = exported.json
    doc["nodes"][0]["title"] = "Vision, imported"
    broken = client.post("/api/v1/w/acme/import?replace=true", headers=ada,
                         json={**doc, "nodes": [{"key": "x"}]})
    assert broken.status_code == 422
    assert "$.nodes[0].title" in {e["path"] for e in broken.json["errors"]}
    done = client.post("/api/v1/w/acme/import?replace=true", headers=ada,
                       data=json.dumps(doc), content_type="application/json")
    assert done.status_code == 201, done.json
    assert done.json["workspace"] == "acme"
    assert client.get("/api/v1/w/acme", headers=ada).status_code == 401  # a new workspace


def test_the_nodes_own_people_check_in_with_a_checkins_token(client, org, as_):
    node = make_node(org.workspace, org.units["checkout"], "goal", "Goal", horizon="2027")
    db.session.commit()
    lea = as_("leader", "write:strategy")
    made = client.post("/api/v1/w/acme/nodes/goal/measures", headers=lea, json={
        "name": "Orders per day", "direction": "increase", "baseline": 10, "target": 50})
    assert made.status_code == 201, made.json
    assert made.json["start"] is None and made.json["check_ins"] == []
    url = f"/api/v1/w/acme/measures/{made.json['id']}/check-ins"
    body = {"value": 20, "confidence": 7, "comment": "Better."}
    assert client.post(url, headers=as_("member", "write:strategy"),
                       json=body).status_code == 403  # not the scope for check-ins
    assert client.post(url, headers=as_("coach", "write:checkins"),
                       json=body).status_code == 403  # not the node's people
    done = client.post(url, headers=as_("member", "write:checkins"), json=body)
    assert done.status_code == 201
    assert [(c["value"], c["unit"], c["author"]) for c in done.json["check_ins"]] == \
        [(20.0, "checkout", "Sam")]
    for bad in ({"value": "NaN"}, {"value": 1e300}, {"value": 1, "confidence": 11}):
        assert client.post(url, headers=as_("member", "write:checkins"),
                           json=bad).status_code == 422
    listed = client.get("/api/v1/w/acme/measures?node=goal", headers=as_("coach")).json
    assert [m["name"] for m in listed["items"]] == ["Orders per day"]
    assert node.key == "goal"

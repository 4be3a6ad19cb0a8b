"""Personal API tokens: made on a page, shown once, stored hashed, expiring, revocable, limited;
and the contract: the served OpenAPI document is the reviewed one in docs/openapi.json."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from cascade import clock
from cascade.db import db
from cascade.models import ApiToken, AuditEntry
from cascade.organisation import tokens
from cascade.organisation.policy import actor_for
from cascade.refusals import Refusal
from tests.factories import make_token

DOCUMENT = Path(__file__).parents[2] / "docs" / "openapi.json"


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(client, login, org):
    login(org.people["member"])
    made = client.post("/w/acme/tokens", data={"name": "Jira sync", "scopes": ["read"],
                                               "days": "30"})
    assert made.status_code == 302
    page = client.get("/w/acme/tokens").get_data(as_text=True)
    secret = re.search(r'value="(cascade_[^"]+)"', page).group(1)
    stored = db.session.scalar(sa.select(ApiToken))
    assert stored.name == "Jira sync" and stored.scopes == ["read"]
    assert secret not in json.dumps([stored.token_hash, stored.prefix])
    assert secret.startswith(stored.prefix)
    assert secret not in client.get("/w/acme/tokens").get_data(as_text=True)
    answer = client.get("/api/v1/w/acme/token", headers=bearer(secret))
    assert answer.status_code == 200
    assert answer.json["owner"] == "Sam" and answer.json["roles"] == ["member"]
    assert db.session.scalar(sa.select(AuditEntry.action).where(
        AuditEntry.target_type == "token")) == "token.create"


def test_only_admins_give_a_token_the_admin_scope(client, login, org):
    login(org.people["leader"])
    response = client.post("/w/acme/tokens", data={"name": "x", "scopes": ["read", "admin"],
                                                   "days": "30"})
    assert response.status_code == 400
    assert 'value="admin"' not in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0
    with pytest.raises(Refusal, match="Only admins"):  # the rule itself, whoever asks
        tokens.create_token(org.workspace, org.people["leader"], actor_for(
            org.people["leader"].id, org.people["leader"].memberships, {}),
            name="x", scopes=["admin"], days=None)


def test_missing_unknown_revoked_expired_and_disabled_tokens_get_401(client, org):
    ws, sam = org.workspace, org.people["member"]
    revoked, revoked_secret = make_token(ws, sam)
    revoked.revoked_at = clock.now()
    expired, expired_secret = make_token(ws, sam)
    expired.expires_at = clock.now() - timedelta(seconds=1)
    _, ada_secret = make_token(ws, org.people["admin"])
    org.people["admin"].active = False
    db.session.commit()
    for headers in ({}, bearer("cascade_nope"), {"Authorization": "Basic abc"},
                    bearer(revoked_secret), bearer(expired_secret), bearer(ada_secret)):
        response = client.get("/api/v1/w/acme", headers=headers)
        assert response.status_code == 401, headers
        assert response.mimetype == "application/problem+json"
        assert response.json["status"] == 401 and response.json["title"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_works_only_in_its_own_workspace(client, org):
    _, secret = make_token(org.workspace, org.people["member"])
    db.session.commit()
    assert client.get("/api/v1/w/acme", headers=bearer(secret)).status_code == 200
    assert client.get("/api/v1/w/other", headers=bearer(secret)).status_code == 404
    assert client.get("/api/v1/w/nowhere", headers=bearer(secret)).status_code == 404


def test_a_token_without_the_scope_is_refused_and_last_use_is_recorded(client, org):
    token, secret = make_token(org.workspace, org.people["member"], ["write:notes"])
    reader, read_secret = make_token(org.workspace, org.people["member"], ["read"])
    db.session.commit()
    refused = client.get("/api/v1/w/acme", headers=bearer(secret))
    assert refused.status_code == 403 and refused.json["scope"] == "read"
    assert client.get("/api/v1/w/acme", headers=bearer(read_secret)).status_code == 200
    db.session.refresh(token)
    db.session.refresh(reader)
    assert token.last_used_at is None and reader.last_used_at is not None


def test_requests_per_token_are_limited(app, client, org):
    app.config.update(RATELIMIT_ENABLED=True, API_LIMITS="3 per minute")
    _, secret = make_token(org.workspace, org.people["member"])
    _, other = make_token(org.workspace, org.people["member"])
    db.session.commit()
    codes = [client.get("/api/v1/w/acme", headers=bearer(secret)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/w/acme", headers=bearer(secret))
    assert limited.headers["Retry-After"] and limited.mimetype == "application/problem+json"
    assert client.get("/api/v1/w/acme", headers=bearer(other)).status_code == 200


def test_people_revoke_their_own_tokens_after_confirming(client, login, org):
    token, secret = make_token(org.workspace, org.people["member"])
    db.session.commit()
    login(org.people["member"])
    ask = client.post(f"/w/acme/tokens/{token.id}/revoke")
    assert "Revoke it" in ask.get_data(as_text=True)
    assert client.get("/api/v1/w/acme", headers=bearer(secret)).status_code == 200
    done = client.post(f"/w/acme/tokens/{token.id}/revoke", data={"confirm": "yes"})
    assert done.status_code == 302
    assert client.get("/api/v1/w/acme", headers=bearer(secret)).status_code == 401
    assert "revoked" in client.get("/w/acme/tokens").get_data(as_text=True)


def test_admins_see_and_revoke_every_token_others_only_their_own(client, login, org):
    token, secret = make_token(org.workspace, org.people["member"], name="Sam sync")
    db.session.commit()
    login(org.people["leader"])
    assert client.post(f"/w/acme/tokens/{token.id}/revoke",
                       data={"confirm": "yes"}).status_code == 403
    assert client.get("/w/acme/tokens/all").status_code == 403
    login(org.people["admin"])
    listing = client.get("/w/acme/tokens/all").get_data(as_text=True)
    assert "Sam sync" in listing and "Sam" in listing
    client.post(f"/w/acme/tokens/{token.id}/revoke", data={"confirm": "yes", "from": "all"})
    assert client.get("/api/v1/w/acme", headers=bearer(secret)).status_code == 401


def test_unknown_api_paths_answer_problem_json(client):
    response = client.get("/api/v1/w/acme/nothing-here")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_the_served_document_is_the_reviewed_one(client):
    """A change to the contract shows in review: refresh it with `flask --app cascade openapi`."""
    served = client.get("/api/v1/openapi.json").json
    assert served["openapi"].startswith("3.1")
    assert served == json.loads(DOCUMENT.read_text(encoding="utf-8")), \
        "docs/openapi.json is out of date: run `flask --app cascade openapi`"


def test_the_reference_page_renders_every_operation(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    spec = client.get("/api/v1/openapi.json").json
    for path in spec["paths"]:
        assert path in page
    assert "src=\"http" not in page and "href=\"http" not in page  # nothing from a CDN

"""The API's authorization matrix: every API route × role × token scope, and outsiders.

API_MATRIX says, from the product brief, which roles may use each endpoint and which scope
its token needs. From it the test derives, for every role's token with all scopes and with
every scope but the needed one:

    no token               -> 401
    outsider's token       -> 404 (another workspace: never a hint that this one exists)
    lacking the scope      -> 403
    role not allowed       -> 403
    allowed                -> anything below 500 except 401, 403 and 404

and, with the outsider's token in their own workspace, the keys and ids of this one -> 404.
A route the table does not list fails, so no API route ships unreviewed. The world and the
URL values are the web matrix's (`test_access_matrix.py`).
"""

from __future__ import annotations

import pytest

from cascade.db import db
from cascade.models import Membership
from cascade.vocabulary import TOKEN_SCOPES
from tests.factories import make_token
from tests.web import test_access_matrix as web_matrix
from tests.web.test_access_matrix import (
    ADMIN,
    COACH,
    FINDING_READERS,
    IN_WORKSPACE,
    LEADER,
    MEMBER,
    OWNERS,
    url_for_rule,
)

world = web_matrix.world  # the web matrix's fixture: one of everything a URL can name

ROLES = ("anonymous", "outsider", "member", "leader", "coach", "admin")
PUBLIC = {"api.openapi", "api.docs"}

# endpoint -> {method: (scope, roles allowed)}
API_MATRIX: dict[str, dict[str, tuple[str, frozenset[str]]]] = {
    "api.workspace": {"GET": ("read", IN_WORKSPACE)},
    "api.token": {"GET": ("read", IN_WORKSPACE)},
    "api.units": {"GET": ("read", IN_WORKSPACE)},
    "api.unit": {"GET": ("read", IN_WORKSPACE)},
    "api.people": {"GET": ("read", IN_WORKSPACE)},
    "api.memberships": {"GET": ("read", IN_WORKSPACE)},
    "api.nodes": {"GET": ("read", IN_WORKSPACE)},
    "api.node": {"GET": ("read", IN_WORKSPACE)},
    "api.notes": {"GET": ("read", IN_WORKSPACE)},
    "api.note": {"GET": ("read", IN_WORKSPACE)},
    "api.pulses": {"GET": ("read", IN_WORKSPACE)},
    "api.pulse": {"GET": ("read", IN_WORKSPACE)},
    "api.findings": {"GET": ("read", FINDING_READERS)},
    "api.score_history": {"GET": ("read", FINDING_READERS)},
    "api.audit": {"GET": ("admin", ADMIN)},
    # writes: the web's rules (test_access_matrix.py), with the scope each needs
    "api.create_node": {"POST": ("write:strategy", LEADER)},
    "api.edit_node": {"PATCH": ("write:strategy", OWNERS)},
    "api.node_status": {"POST": ("write:strategy", OWNERS)},
    "api.translate_node": {"POST": ("write:strategy", MEMBER)},  # the root node, into Sam's team
    "api.confirm_node": {"POST": ("write:strategy", OWNERS)},
    "api.link_node": {"POST": ("write:strategy", OWNERS)},
    "api.create_note": {"POST": ("write:notes", IN_WORKSPACE)},
    "api.edit_note": {"PATCH": ("write:notes", MEMBER)},
    "api.answer_note": {"POST": ("write:notes", OWNERS)},
    "api.reply_to_note": {"POST": ("write:notes", IN_WORKSPACE)},
    "api.acknowledge_finding": {"POST": ("write:notes", COACH)},
    "api.withdraw_finding": {"POST": ("write:notes", COACH)},
    "api.measures": {"GET": ("read", IN_WORKSPACE)},
    "api.measure": {"GET": ("read", IN_WORKSPACE)},
    "api.create_measure": {"POST": ("write:strategy", OWNERS)},
    "api.check_in": {"POST": ("write:checkins", OWNERS)},
    "api.export_workspace": {"GET": ("admin", ADMIN)},
    "api.import_workspace": {"POST": ("admin", ADMIN)},
}


class SavedTables(web_matrix.SavedTables):
    """As the web matrix's, but a token's last use is no change: any authenticated request
    records it, refused or not."""

    @staticmethod
    def _read() -> dict:
        rows = web_matrix.SavedTables._read()
        for row in rows["api_token"]:
            row["last_used_at"] = None
        return rows


def api_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            yield rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_api_route_is_in_the_matrix(app):
    served = {rule.endpoint for rule, _ in api_rules(app)} - PUBLIC
    assert not served - set(API_MATRIX), f"add to API_MATRIX: {sorted(served - set(API_MATRIX))}"
    assert not set(API_MATRIX) - served, f"stale: {sorted(set(API_MATRIX) - served)}"
    for rule, methods in api_rules(app):
        if rule.endpoint not in PUBLIC:
            assert set(methods) == set(API_MATRIX[rule.endpoint]), rule.endpoint
            view = app.view_functions[rule.endpoint]
            for method in methods:
                assert view.api_operation.scope == API_MATRIX[rule.endpoint][method][0], \
                    f"{rule.endpoint} asks for the {view.api_operation.scope} scope"


def test_public_documents_need_no_token(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def _tokens(world) -> dict[str, dict[str, str]]:
    """role -> {"all": secret, "-scope": secret without that scope}."""
    found = {}
    for role in ROLES[1:]:
        person = world.people[role]
        ws = person.memberships[0].workspace
        found[role] = {"all": make_token(ws, person, TOKEN_SCOPES)[1]}
        for scope in TOKEN_SCOPES:
            found[role][f"-{scope}"] = make_token(
                ws, person, [s for s in TOKEN_SCOPES if s != scope])[1]
    db.session.commit()
    return found


def _expected(role: str, scope_given: bool, allowed: frozenset[str]) -> str:
    if role == "anonymous":
        return "401"
    if role == "outsider":
        return "404"
    if not scope_given or role not in allowed:
        return "403"
    return "allowed"


def _problem(response, outcome: str) -> str | None:
    status = response.status_code
    if outcome == "allowed":
        return None if status < 500 and status not in (401, 403, 404) else f"got {status}"
    if str(status) != outcome:
        return f"got {status}, expected {outcome}"
    if response.mimetype != "application/problem+json":
        return f"answered {response.mimetype}, not problem+json"
    return None


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(app, world, role):
    client = app.test_client()
    secrets = _tokens(world).get(role, {})
    saved = SavedTables()
    rules = [(rule, methods, url_for_rule(rule, world)) for rule, methods in api_rules(app)
             if rule.endpoint not in PUBLIC]
    db.session.rollback()
    wrong: list[str] = []
    for rule, methods, url in rules:
        for method in methods:
            scope, allowed = API_MATRIX[rule.endpoint][method]
            for variant in ("all", f"-{scope}"):
                headers = {"Authorization": f"Bearer {secrets[variant]}"} if secrets else {}
                outcome = _expected(role, variant == "all", allowed)
                with app.app_context():
                    response = client.open(url, method=method, json={}, headers=headers)
                    response.close()
                if problem := _problem(response, outcome):
                    wrong.append(f"{role} {variant} {method} {url} ({rule.endpoint}): {problem}")
                if outcome == "allowed" and method != "GET" and response.status_code < 400:
                    saved.restore()
                elif outcome != "allowed" and not saved.unchanged():
                    wrong.append(f"{role} {method} {url} was refused but changed the database")
                    saved.restore()
    assert not wrong, "\n".join(wrong)


def test_keys_of_another_workspace_are_not_found(app, world):
    """Eve's token in her own workspace, with this workspace's keys and ids: 404 always.
    She holds every role there, so that no refusal by role comes first."""
    eve = world.people["outsider"]
    home = eve.memberships[0]
    for role in ("leader", "member", "coach"):
        db.session.add(Membership(workspace_id=home.workspace_id, person=eve,
                                  unit_id=home.unit_id, role=role))
    secret = _tokens(world)["outsider"]["all"]
    client = app.test_client()
    wrong = []
    for rule, methods in api_rules(app):
        if rule.endpoint in PUBLIC or len(rule.arguments) < 2:
            continue
        url = url_for_rule(rule, world).replace("/w/acme", "/w/other", 1)
        for method in methods:
            with app.app_context():
                response = client.open(url, method=method, json={},
                                       headers={"Authorization": f"Bearer {secret}"})
            if response.status_code != 404:
                wrong.append(f"{method} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)

"""Who calls: a bearer token, found by its hash, in the workspace of the URL, within its
scopes and its rate limit. The token's owner becomes `g.actor` exactly as a signed-in person
does on the web (`access._load_workspace`): same memberships, same unit tree, same policy."""

from __future__ import annotations

from flask import g, request

from cascade import clock, throttle
from cascade.api.problems import ApiProblem
from cascade.findings.snapshot import unit_rows
from cascade.organisation import tokens
from cascade.organisation.policy import actor_for

CHALLENGE = 'Bearer realm="cascade"'


def authenticate(scope: str) -> None:
    """Set `g.workspace`, `g.actor`, `g.api_token` and `g.person`, or stop with a problem."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiProblem(401, "Send a personal token as 'Authorization: Bearer …'.",
                         headers={"WWW-Authenticate": CHALLENGE})
    token = tokens.find(secret.strip())
    if token is None:
        raise ApiProblem(401, "This token is unknown, revoked or expired.",
                         headers={"WWW-Authenticate": CHALLENGE + ', error="invalid_token"'})
    if not throttle.api_request(token.id):
        raise ApiProblem(429, "Too many requests with this token; slow down.",
                         headers={"Retry-After": "60"})
    memberships = [m for m in token.person.memberships if m.workspace_id == token.workspace_id]
    if token.workspace.slug != g.get("workspace_slug") or not memberships:
        raise ApiProblem(404, "No such workspace for this token.")
    if scope not in token.scopes:
        raise ApiProblem(403, f"This token lacks the {scope!r} scope.", scope=scope)
    g.workspace, g.api_token, g.person = token.workspace, token, token.person
    g.unit_rows = unit_rows(g.workspace)
    g.actor = actor_for(token.person_id, memberships,
                        {uid: parent for uid, _, _, parent, _ in g.unit_rows},
                        archived=[uid for uid, *_, archived in g.unit_rows if archived])
    tokens.note_use(token, clock.now())

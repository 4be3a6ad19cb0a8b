"""The workspace itself, and the token that is asking."""

from __future__ import annotations

from flask import g

from cascade.api import bp
from cascade.api import schemas as s
from cascade.api.spec import operation
from cascade.organisation.settings import settings_for


@operation(bp, "/w/<workspace>", "GET", summary="The workspace", scope="read",
           action="workspace.view", response=s.Workspace, tags=("workspace",))
def workspace():
    ws, settings = g.workspace, settings_for(g.workspace)
    return s.Workspace(slug=ws.slug, name=ws.name, created_at=ws.created_at, version=ws.version,
                       pulse_min_answers=max(1, settings.pulse_min_answers),
                       feedback_days=settings.feedback_days)


@operation(bp, "/w/<workspace>/token", "GET", summary="The token making this request",
           scope="read", action="workspace.view", response=s.Token, tags=("workspace",))
def token():
    t = g.api_token
    roles = sorted({str(r) for held in g.actor.roles.values() for r in held})
    return s.Token(name=t.name, prefix=t.prefix, scopes=t.scopes, created_at=t.created_at,
                   expires_at=t.expires_at, owner=t.person.name, roles=roles)

"""The public REST API, `/api/v1/w/<slug>/…`: other systems read and write a workspace.

Design. One blueprint; each resource in a small module of `resources/`. Every endpoint is
declared once with `spec.operation` — its token scope, the policy action, the loader of the
object its URL names, and the pydantic models (`schemas.py`) of its query, body and answer.
From those declarations the wrapper authenticates (`auth.py`), checks and validates, and
`spec.document()` writes the OpenAPI 3.1 document (served at `/api/v1/openapi.json`, kept in
`docs/openapi.json`, compared by a test).

One rule, two doors: the views call the same domain operations (`strategy/`, `feedback/`,
`findings/`…) and ask the same `Actor.can` (`organisation/policy.py`) with the same loaders
(`views/load.py`) as the web pages; there is no business rule in this package. A token acts
with its owner's roles; its scopes only narrow them. Errors are problem+json (`problems.py`).
Rules for clients (tokens, scopes, pagination, versions) are in `docs/api.md`.
"""

from __future__ import annotations

from importlib import import_module

from flask import Blueprint, Flask, g

bp = Blueprint("api", __name__, url_prefix="/api/v1")

RESOURCES = ("meta", "workspace", "organisation", "nodes", "notes", "pulses", "findings",
             "measures", "audit", "exchange")


@bp.url_value_preprocessor
def _pull_workspace(endpoint, values):
    if values and "workspace" in values:
        g.workspace_slug = values.pop("workspace")


@bp.url_defaults
def _add_workspace(endpoint, values):
    if "workspace" not in values and "workspace" in g:
        values["workspace"] = g.workspace.slug


def register_api(app: Flask) -> None:
    """Register the blueprint with every resource module; the API authenticates by bearer
    token only (never the session cookie), so it needs no CSRF token."""
    from cascade.extensions import csrf

    for name in RESOURCES:
        import_module(f"cascade.api.resources.{name}")
    csrf.exempt(bp)
    app.register_blueprint(bp)

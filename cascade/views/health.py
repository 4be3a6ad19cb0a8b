"""Health endpoints for load balancers and orchestrators; no sign-in, no workspace data."""

from __future__ import annotations

from flask import Blueprint, jsonify

from cascade.access import public
from cascade.serving.health import readiness

bp = Blueprint("health", __name__)


@bp.route("/healthz")
@public
def live():
    """Liveness: the process answers requests (nothing else is checked)."""
    return _uncached(jsonify(status="alive"), 200)


@bp.route("/readyz")
@public
def ready():
    """Readiness: 200 when the database, Redis (when configured) and `dot` answer, else 503."""
    checks = readiness()
    ok = all(check["ok"] for check in checks.values())
    return _uncached(jsonify(status="ready" if ok else "not ready", checks=checks),
                     200 if ok else 503)


def _uncached(response, status):
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response

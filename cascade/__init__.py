"""Cascade: strategy that flows down as translations and back up as notes."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

__version__ = "0.1.0"


def create_app(test_config: dict | None = None) -> Flask:
    """Build an app from layered configuration; wires things, does no I/O of its own.

    Flask is imported here, not at the top, so `cascade.coherence` stays importable alone.
    """
    from flask import Flask

    instance = os.environ.get("CASCADE_INSTANCE_PATH") or None
    app = Flask(__name__, instance_relative_config=True,
                instance_path=os.path.abspath(instance) if instance else None,
                template_folder="../templates", static_folder="../static")
    os.makedirs(app.instance_path, exist_ok=True)

    from cascade.config import load_config
    load_config(app, test_config)

    from cascade import access  # noqa: F401  (registers the user loader)
    from cascade.cli import register_cli
    from cascade.errors import register_error_handlers
    from cascade.extensions import init_extensions
    from cascade.filters import register_filters
    from cascade.findings import versions  # noqa: F401  (counts each workspace's versions)
    from cascade.findings.analysis import init_app as keep_analyses
    from cascade.graph.view import init_app as cache_graphs
    from cascade.jobs import init_app as queue_jobs
    from cascade.security import register_security, trust_proxies
    from cascade.serving.metrics import init_app as measure_requests
    from cascade.throttle import init_app as count_sign_ins
    from cascade.views import register_blueprints

    init_extensions(app)
    trust_proxies(app)
    count_sign_ins(app)
    keep_analyses(app)
    queue_jobs(app)
    cache_graphs(app)
    register_security(app)
    register_error_handlers(app)
    register_filters(app)
    register_blueprints(app)
    register_cli(app)
    measure_requests(app)
    app.config["VERSION"] = __version__
    return app

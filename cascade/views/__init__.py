"""One blueprint per area; the factory registers them all here."""

from importlib import import_module

from flask import Flask

BLUEPRINTS = ("home", "health", "auth", "workspaces", "account", "units", "people", "audit",
              "notifications", "unsubscribe", "webhooks",
              "pulses", "nodes", "coverage", "measures", "agreements", "quarters",
              "inbox", "notes",
              "graph", "findings", "sessions", "exchange", "tokens", "jobs")


def register_blueprints(app: Flask) -> None:
    for name in BLUEPRINTS:
        app.register_blueprint(import_module(f"cascade.views.{name}").bp)
    from cascade.views.sessions import join_bp  # the room's short link, outside workspaces
    app.register_blueprint(join_bp)
    from cascade.api import register_api
    register_api(app)

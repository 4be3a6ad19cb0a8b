"""Links back into Cascade from mails and chat messages, built outside any request: from
SERVER_NAME (and PREFERRED_URL_SCHEME) when set, else the address `make run` serves."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for

FALLBACK = "http://127.0.0.1:5000"


def base_url() -> str:
    config = current_app.config
    if config.get("SERVER_NAME"):
        return f"{config.get('PREFERRED_URL_SCHEME', 'http')}://{config['SERVER_NAME']}"
    return FALLBACK


def external(endpoint: str, **values) -> str:
    """An absolute URL for the endpoint, in a request or in a job alike."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=base_url()):
        return url_for(endpoint, _external=True, **values)

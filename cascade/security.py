"""Response headers and session lifetimes that every page gets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask, flash, session
from flask_login import current_user, logout_user

from cascade import clock

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def register_security(app: Flask) -> None:
    app.after_request(_headers)
    app.before_request(_expire_session)


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _expire_session() -> None:
    """End a session idle too long or older than the absolute limit, whatever the cookie says."""
    from flask import current_app

    if not current_user.is_authenticated:
        return
    now = clock.now()
    started = session.setdefault("started_at", now.timestamp())
    seen = session.get("seen_at", now.timestamp())
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    if now - datetime.fromtimestamp(seen, UTC) > idle or \
            now - datetime.fromtimestamp(started, UTC) > absolute:
        logout_user()
        session.clear()
        flash("Your session expired. Please sign in again.", "info")
        return
    session["seen_at"] = now.timestamp()

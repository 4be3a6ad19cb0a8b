"""Response headers and session lifetimes that every page gets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask, abort, current_app, flash, request, session
from flask_login import current_user, logout_user

from cascade import clock
from cascade.inputs import UNSTORABLE, UNSTORABLE_MESSAGE, unstorable

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For, -Proto and -Host only from the TRUSTED_PROXIES hops in front
    of the app (none by default): sign-in limits count the client's real address."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_security(app: Flask) -> None:
    app.after_request(_headers)
    app.before_request(_refuse_unstorable)
    app.before_request(_expire_session)


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]:
        response.headers["X-Frame-Options"] = "SAMEORIGIN"  # a page meant for our own frame
    else:
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
    if now.timestamp() - seen >= SEEN_STEP or "seen_at" not in session:
        session["seen_at"] = now.timestamp()  # a minute's step: not a new cookie per request


SEEN_STEP = 60  # seconds; idle limits are whole minutes, so a minute's slack is never seen


def takes_workspace_files(view):
    """Marks a view whose form carries a workspace file: its request may be as large as an
    import may be (IMPORT_MAX_BYTES, plus the form around it) rather than MAX_CONTENT_LENGTH."""
    view.upload_limit = "IMPORT_MAX_BYTES"
    return view


def _refuse_unstorable() -> None:
    """400 for a URL, query string or form holding a character no backend or XML can hold,
    before any view or query sees it (`cascade.inputs`)."""
    view = current_app.view_functions.get(request.endpoint)
    if (setting := getattr(view, "upload_limit", None)) is not None:
        request.max_content_length = int(current_app.config[setting]) + 64 * 1024
    if unstorable(request.path):
        abort(400, f"The address {UNSTORABLE_MESSAGE}.")
    for label, values in (("query parameter", request.args), ("form field", request.form)):
        for key, value in values.items(multi=True):
            if unstorable(key) or unstorable(value):
                shown = UNSTORABLE.sub(lambda m: f"U+{ord(m.group()):04X}", key)[:60]
                abort(400, f"The {label} {shown!r} {UNSTORABLE_MESSAGE}.")

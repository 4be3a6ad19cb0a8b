"""Friendly error pages; a failed request never leaves a half-done transaction behind."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from cascade.db import db, is_write_conflict
from cascade.extensions import login_manager

RACED = ("Someone else saved a change here at the same moment, so yours was not saved. "
         "Reload the page to see what is there now, then try again.")
UNAVAILABLE = ("The database is not answering just now, so nothing was changed. Try again "
               "in a minute.")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(StaleDataError, _raced)
    app.register_error_handler(sa.exc.IntegrityError, _integrity)
    app.register_error_handler(sa.exc.OperationalError, _unavailable)
    app.register_error_handler(sa.exc.TimeoutError, _unavailable)
    app.register_error_handler(500, _server_error)


def _render(status: int, title: str, message: str):
    if request.path.startswith("/api/"):
        from cascade.api.problems import problem

        return problem(status, message, title=title), status
    if request.path.endswith(".json") or request.accept_mimetypes.best == "application/json":
        return jsonify(error=title, message=message), status
    return render_template("errors/error.html", status=status, title=title,
                           message=message), status


def _http_error(error: HTTPException):
    if error.code and error.code >= 500:
        db.session.rollback()
    return _render(error.code or 500, error.name, error.description or "")


def _csrf_error(error: CSRFError):
    return _render(400, "Form expired",
                   "The form was open too long or came from elsewhere. Reload the page and "
                   "try again; nothing was changed.")


def _rollback() -> None:
    """Undo the request's writes; a connection that died meanwhile is dropped instead."""
    try:
        db.session.rollback()
    except sa.exc.DBAPIError:
        db.session.invalidate()


def _raced(error):
    """A version-checked row changed between reading and writing it: 409, never a 500."""
    _rollback()
    return _render(409, "Changed meanwhile", RACED)


def _integrity(error: sa.exc.IntegrityError):
    if not is_write_conflict(error):
        return _server_error(error)
    _rollback()
    return _render(409, "Changed meanwhile", RACED)


def _unavailable(error):
    """Connect or statement timeout, a server gone away, SQLite's write lock held too long."""
    _rollback()
    current_app.logger.error("database unavailable: %s", error)
    g._login_user = login_manager.anonymous_user()  # the page must not ask the database
    response = make_response(*_render(503, "Database unavailable", UNAVAILABLE))
    response.headers["Retry-After"] = "30"
    return response


def _server_error(error):
    db.session.rollback()
    return _render(500, "Something went wrong", "Nothing was changed. Please try again.")

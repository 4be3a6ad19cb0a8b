"""Friendly error pages; a failed request never leaves a half-done transaction behind."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from cascade.db import db


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(500, _server_error)


def _render(status: int, title: str, message: str):
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


def _server_error(error):
    db.session.rollback()
    return _render(500, "Something went wrong", "Nothing was changed. Please try again.")

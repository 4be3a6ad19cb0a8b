"""Per-request figures in response headers, for benchmarks (`benchmarks/pages.py`).

With `REQUEST_METRICS` on (`CASCADE_REQUEST_METRICS=true`), every response carries
`Server-Timing: app;dur=<ms>` (the app's own time, compression included, up to the moment
the headers are sent) and `X-SQL-Statements: <n>` (statements sent to the database while
handling it). Off by default: the figures tell any visitor how much work a page is, and
the listener costs a little on every statement.
"""

from __future__ import annotations

import time
from contextvars import ContextVar

import sqlalchemy as sa

# the statements counted for the request this thread is handling; None outside a request
_counted: ContextVar[list[int] | None] = ContextVar("cascade_statements", default=None)


def init_app(app) -> None:
    if not app.config["REQUEST_METRICS"]:
        return
    from cascade.db import db

    with app.app_context():
        for engine in db.engines.values():
            sa.event.listen(engine, "before_cursor_execute", _seen)
    app.wsgi_app = Measured(app.wsgi_app)


def _seen(*_args) -> None:
    counted = _counted.get()
    if counted is not None:
        counted[0] += 1


class Measured:
    """WSGI middleware around the whole Flask app, so the time includes every hook
    (Flask-Compress's too) and the count every statement up to the response's headers."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        counted = [0]
        token = _counted.set(counted)
        started = time.perf_counter()

        def start(status, headers, exc_info=None):
            ms = (time.perf_counter() - started) * 1000
            headers = [*headers, ("Server-Timing", f"app;dur={ms:.1f}"),
                       ("X-SQL-Statements", str(counted[0]))]
            return start_response(status, headers, exc_info)

        try:
            return self.wsgi_app(environ, start)
        finally:
            _counted.reset(token)

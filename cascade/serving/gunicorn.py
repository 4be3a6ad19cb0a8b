"""gunicorn's settings for Cascade, as `make run` uses them:

    gunicorn -c python:cascade.serving.gunicorn 'cascade:create_app()'


Sized for the machine it starts on: one worker process per core (at least two, so a worker
that is restarting or busy drawing a large graph never leaves the site unanswered) and
threads within each, since a page spends much of its time waiting on the database or `dot`.
Each value can be overridden by the environment (`CASCADE_WORKERS`, `CASCADE_THREADS`,
`CASCADE_BIND`, `CASCADE_TIMEOUT`) or on gunicorn's command line, which wins.

When ready, the master also starts the job consumer (`flask worker`, see
`cascade.serving.consumer`) unless `CASCADE_JOBS_WORKER=off`.

Forwarded headers are not gunicorn's business here: `CASCADE_TRUSTED_PROXIES` is the one
setting that makes the app believe them (`cascade.security.trust_proxies`), so gunicorn is
told to trust no peer's `X-Forwarded-Proto` on its own.
"""

from __future__ import annotations

import os


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def default_workers(cores: int | None = None) -> int:
    """One per core, at least two and at most eight (each holds its own database pool)."""
    cores = cores or os.cpu_count() or 1
    return max(2, min(8, cores))


bind = os.environ.get("CASCADE_BIND", "127.0.0.1:5000")
workers = _number("CASCADE_WORKERS", default_workers())
worker_class = "gthread"
threads = _number("CASCADE_THREADS", 4)
# above the longest thing one request may do: drawing a graph (GRAPH_DOT_TIMEOUT, 60 s)
timeout = _number("CASCADE_TIMEOUT", 90)
graceful_timeout = 30
keepalive = 5
# a worker is replaced after this many requests (with jitter, so not all at once), which
# bounds what a slow leak in a library could grow to
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
forwarded_allow_ips = ""  # see the docstring: the app decides whom to believe
proc_name = "cascade"
# no control socket: its default path is one per user, shared by every gunicorn they run
control_socket_disable = True


def when_ready(server) -> None:
    """Start the job consumer beside the workers (see `cascade.serving.consumer`)."""
    from cascade.serving.consumer import EmbeddedConsumer, wanted

    if wanted():
        server.cascade_consumer = EmbeddedConsumer(server.log)
        server.cascade_consumer.start()


def on_exit(server) -> None:
    consumer = getattr(server, "cascade_consumer", None)
    if consumer is not None:
        consumer.stop()

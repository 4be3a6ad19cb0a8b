"""Layered configuration: defaults, instance/config.py, CASCADE_* variables, test values."""

from __future__ import annotations

import os
from datetime import timedelta

from flask import Flask

DEFAULTS = {
    "SECRET_KEY": None,
    "DATABASE_URL": None,
    "REDIS_URL": None,
    "SQLALCHEMY_ENGINE_OPTIONS": {},  # merged over the options `engine_options` sets
    "DATABASE_CONNECT_TIMEOUT": 5,  # seconds to reach the database before a 503
    "DATABASE_STATEMENT_TIMEOUT": 5,  # seconds one statement may run (PostgreSQL); 0: none
    "SQLITE_JOURNAL_MODE": None,  # "wal" lets readers go on during a write (make run sets it)
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,  # any request but a workspace file's
    "IMPORT_MAX_BYTES": 32 * 1024 * 1024,  # a workspace file, on the web and the CLI
    "IMPORT_MAX_DEPTH": 32,
    "IMPORT_MAX_CONTAINERS": 1_000_000,  # objects and lists in one file
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SECURE": None,  # None: secure unless in development
    "REMEMBER_COOKIE_SECURE": None,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": timedelta(days=14),
    "SESSION_IDLE_MINUTES": 60,
    "SESSION_ABSOLUTE_HOURS": 12,
    # failed sign-ins (cascade/throttle.py): per account and address, per address, and per
    # account from browsers it does not know
    "SIGNIN_LIMITS": "5 per 15 minutes",
    "SIGNIN_ADDRESS_LIMITS": "30 per 15 minutes;100 per day",
    "SIGNIN_ACCOUNT_LIMITS": "20 per hour",
    # requests per API token (cascade/api/auth.py), whatever they ask
    "API_LIMITS": "120 per minute;5000 per hour",
    # reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are believed;
    # 0 (the default) believes none, so a client cannot choose the address it is counted by
    "TRUSTED_PROXIES": 0,
    "INVITATION_DAYS": 7,
    "PASSWORD_RESET_MINUTES": 60,  # how long a password-reset link works
    "SMTP_HOST": None,  # invitations are e-mailed only when this is set
    "SMTP_PORT": 587,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": True,
    "MAIL_FROM": "Cascade <cascade@localhost>",
    "MAIL_BATCH_MINUTES": 5,  # immediate mails wait this long to collect what follows
    "MAIL_RETRY_SECONDS": 60,  # first wait after a failed send; doubles each time
    "MAIL_MAX_ATTEMPTS": 8,
    # webhooks: hosts (names, addresses or networks) allowed although loopback, link-local
    # or this app's own; first retry wait (doubling), attempts per delivery, failed attempts
    # in a row that pause an endpoint, seconds per request, seconds a worker holds one
    "WEBHOOK_ALLOWED_HOSTS": [],
    "WEBHOOK_RETRY_SECONDS": 30,
    "WEBHOOK_MAX_ATTEMPTS": 6,
    "WEBHOOK_PAUSE_AFTER": 12,
    "WEBHOOK_TIMEOUT": 10,
    "WEBHOOK_CLAIM_SECONDS": 120,
    "DIGEST_HOUR": 7,  # UTC hour the daily digests (and Monday's weekly ones) go out
    "GRAPH_NODE_BUDGET": 300,  # visible nodes before subtrees fold into summaries
    "GRAPH_DOT_TIMEOUT": 60,  # seconds dot may take for one drawing
    "GRAPH_CACHE_PREFIX": "cascade:graph:",
    "ANALYSES_KEPT": 2,  # analysed workspace versions each process keeps in memory
    # True: analyse a changed workspace right after the commit, in the writing process,
    # instead of in a background job (None: only under TESTING)
    "ANALYSIS_INLINE": None,
    # seconds between a write and its analysis job, so that a burst of writes is analysed
    # once (None: 2, and 0 under TESTING)
    "ANALYSIS_DELAY": None,
    # response compression (Flask-Compress): pages, drawings and exports over 500 bytes, for
    # browsers that accept it; the SVG of a large graph shrinks about tenfold
    "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/javascript", "application/javascript",
                           "application/json", "image/svg+xml", "text/vnd.graphviz",
                           "text/plain", "text/csv", "application/xml"],
    "COMPRESS_MIN_SIZE": 500,
    # streamed bodies (static files, sent from an open file) stay as they are: Flask-Compress
    # replaces their iterator without closing the file, and they are small and cached anyway
    "COMPRESS_STREAMS": False,
    # background jobs (cascade/jobs): "sqlite" (instance/jobs.sqlite), "redis" (REDIS_URL) or
    # "memory" (one process: tests); unset chooses Redis when REDIS_URL is set, else SQLite
    "JOBS_QUEUE": None,
    "JOBS_QUEUE_NAME": "cascade",
    "JOBS_SQLITE_PATH": None,  # default: jobs.sqlite in the instance folder
    "PULSE_MIN_ANSWERS": 3,
    "FEEDBACK_DAYS": 14,
    "TRANSLATION_GRACE_DAYS": 14,
    "DEMO_PASSWORD": "cascade-demo-2026",
    # True: every response tells its app time and SQL statement count in headers
    # (cascade/serving/metrics.py), for benchmarks/pages.py; never on a public server
    "REQUEST_METRICS": False,
}


def load_config(app: Flask, test_config: dict | None) -> None:
    """Fill `app.config` from every layer, last wins, and refuse an unsafe production start."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CASCADE")
    if test_config:
        app.config.from_mapping(test_config)
    url = app.config["DATABASE_URL"] or app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        url = "sqlite:///" + os.path.join(app.instance_path, "cascade.sqlite")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config) | app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    development = app.debug or app.testing or os.environ.get("FLASK_DEBUG") == "1"
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config[name] is None:
            app.config[name] = not development
    if not app.config["SECRET_KEY"]:
        if not development:
            raise RuntimeError(
                "CASCADE_SECRET_KEY is not set. Set it in the environment or in "
                f"{os.path.join(app.instance_path, 'config.py')} (make run writes one).")
        app.config["SECRET_KEY"] = "development-only-not-secret"


def normalise_database_url(url: str) -> str:
    """Accept the usual postgres:// spellings and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def engine_options(url: str, config) -> dict:
    """Time limits, so that a database that stops answering costs a request a few seconds
    and a 503 (`errors`), not minutes: libpq's connect timeout, PostgreSQL's statement and
    lock timeouts, and TCP timeouts that notice a silent host on an open connection; the
    pool's wait for a free connection; SQLite's wait for the write lock."""
    connect = float(config["DATABASE_CONNECT_TIMEOUT"])
    statement_ms = int(float(config["DATABASE_STATEMENT_TIMEOUT"]) * 1000)
    options: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options["pool_timeout"] = connect
        options["connect_args"] = {
            "connect_timeout": max(1, round(connect)),
            "options": f"-c statement_timeout={statement_ms} -c lock_timeout={statement_ms}",
            "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
            "keepalives_count": 2, "tcp_user_timeout": int(connect * 1000)}
    elif url.startswith("sqlite"):
        options["connect_args"] = {"timeout": connect}
    return options

"""Readiness: can this process serve pages? Each check answers (ok, detail) within seconds."""

from __future__ import annotations

import subprocess

import sqlalchemy as sa
from flask import current_app

from cascade.db import db


def database() -> tuple[bool, str]:
    try:
        db.session.execute(sa.text("SELECT 1"))
        db.session.rollback()
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        return False, type(error.orig or error).__name__
    return True, db.engine.dialect.name


def redis() -> tuple[bool, str] | None:
    """None when no Redis is configured: the app then needs none."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    import redis as client

    try:
        client.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping()
    except client.RedisError as error:
        return False, type(error).__name__
    return True, "ping"


def dot() -> tuple[bool, str]:
    """Graphviz draws the graph; without it the graph page cannot be served."""
    try:
        done = subprocess.run(["dot", "-V"], capture_output=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, type(error).__name__
    if done.returncode != 0:
        return False, f"exit {done.returncode}"
    return True, done.stderr.decode("utf-8", "replace").strip()[:80]


def readiness() -> dict[str, dict]:
    """Every configured check by name, each {"ok": bool, "detail": str}."""
    checks = {"database": database(), "redis": redis(), "dot": dot()}
    return {name: {"ok": ok, "detail": detail}
            for name, result in checks.items() if result is not None
            for ok, detail in [result]}

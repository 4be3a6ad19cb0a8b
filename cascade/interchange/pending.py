"""A workspace file an admin uploaded to replace a workspace, kept on the server while they
read its preview, so confirming does not ask for the file again.

Kept in the instance folder under a random name for at most an hour; the signed session
holds the name, so only the admin who uploaded it, from the same session, can use it, and
only once."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from flask import current_app, session

LIFETIME = 3600  # seconds a preview stays usable


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "pending-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(data: bytes, workspace_id: int) -> str:
    """Store the bytes and return the token that names them; older files are removed."""
    folder = _folder()
    for old in folder.glob("*.json"):
        if old.stat().st_mtime < time.time() - LIFETIME:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.json").write_bytes(data)
    session["pending_import"] = {"token": token, "workspace": workspace_id}
    return token


def take(token: str, workspace_id: int) -> bytes | None:
    """The kept bytes when the token is this session's, for this workspace, and still fresh;
    the file is removed either way."""
    mine = session.pop("pending_import", None) or {}
    if not secrets.compare_digest(str(mine.get("token", "")), token) \
            or mine.get("workspace") != workspace_id:
        return None
    path = _folder() / f"{mine['token']}.json"
    try:
        fresh = path.stat().st_mtime >= time.time() - LIFETIME
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    finally:
        path.unlink(missing_ok=True)
    return data if fresh else None

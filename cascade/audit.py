"""Recording who changed what, when — one call from every write use case."""

from __future__ import annotations

from flask_login import current_user

from cascade.db import db
from cascade.models import AuditEntry


def record(workspace_id: int | None, action: str, target_type: str, target: str,
           before: dict | None = None, after: dict | None = None) -> AuditEntry:
    """Add an audit entry for the signed-in person (or none, for CLI and imports); no commit."""
    person_id = current_user.id if current_user and current_user.is_authenticated else None
    entry = AuditEntry(workspace_id=workspace_id, person_id=person_id, action=action,
                       target_type=target_type, target=str(target)[:200],
                       before=before, after=after)
    db.session.add(entry)
    return entry


def changes(obj, fields: list[str], new: dict) -> tuple[dict, dict]:
    """The before/after pair for just the fields that change."""
    before = {f: _plain(getattr(obj, f)) for f in fields if _plain(getattr(obj, f)) != new[f]}
    return before, {f: new[f] for f in before}


def _plain(value):
    return str(value) if hasattr(value, "value") else value

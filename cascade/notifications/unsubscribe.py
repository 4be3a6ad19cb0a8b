"""Unsubscribe links: a signed token naming one person, one workspace and one setting, so
that the link in a mail turns off exactly that setting, without signing in.

Signed with the app's secret by itsdangerous (salted for this one use); they do not expire,
since an old mail's link must still work. Nothing else can be done with one.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from cascade.notifications.preferences import DIGESTS, KINDS, REMINDERS

SALT = "cascade.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    person_id: int
    workspace_id: int
    setting: str  # an event kind, `reminders`, or a digest (`digest.daily`, `digest.weekly`)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(person_id: int, workspace_id: int, setting: str) -> str:
    return _serializer().dumps([person_id, workspace_id, setting])


def read(token: str) -> Unsubscribe | None:
    """The setting a token names, or None for anything forged, altered or malformed."""
    if not token or len(token) > 300:
        return None
    try:
        person_id, workspace_id, setting = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(person_id, int) and isinstance(workspace_id, int)
            and setting in (*KINDS, REMINDERS, *DIGESTS)):
        return None
    return Unsubscribe(person_id, workspace_id, setting)

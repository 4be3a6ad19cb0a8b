"""Personal API tokens: made, found and revoked here; the API authenticates with `find`.

A token is `cascade_` and 43 random URL-safe characters, shown once to its owner. Only its
SHA-256 is kept (as for invitation and reset links): a copy of the database lets nobody in.
A token acts with its owner's roles in its workspace, never more; its scopes only narrow
what it may be used for (a `read` token cannot write, whatever its owner may do).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade import audit, clock
from cascade.db import db
from cascade.models import ApiToken, Membership, Person, Workspace
from cascade.organisation.policy import Actor
from cascade.refusals import Refusal
from cascade.vocabulary import TOKEN_SCOPES, Role, TokenScope

PREFIX = "cascade_"
MAX_DAYS = 366
LAST_USE_STEP = timedelta(minutes=1)  # last use is written at most this often per token


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(ws: Workspace, person: Person, actor: Actor, *, name: str, scopes: list[str],
                 days: int | None) -> tuple[ApiToken, str]:
    """A new token for `person` in `ws` and its secret, which is never shown again.

    The `admin` scope is for admins only: a token never claims more than its owner holds."""
    scopes = [s for s in TOKEN_SCOPES if s in set(scopes)]
    if not scopes:
        raise Refusal("scopes", "Choose at least one scope.")
    if TokenScope.ADMIN in scopes and not actor.has(Role.ADMIN):
        raise Refusal("scopes", "Only admins of this workspace may give a token the admin "
                                "scope.")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise Refusal("days", f"A token lasts from 1 to {MAX_DAYS} days.")
    secret = PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken(workspace_id=ws.id, person_id=person.id, name=name.strip(),
                     prefix=secret[:len(PREFIX) + 6], token_hash=digest(secret),
                     scopes=scopes, created_at=now,
                     expires_at=now + timedelta(days=days) if days else None)
    db.session.add(token)
    db.session.flush()
    audit.record(person, ws.id, "token.create", "token", f"{token.prefix}… {token.name}",
                 after={"scopes": scopes, "expires_at": _iso(token.expires_at)})
    return token, secret


def revoke_token(token: ApiToken, *, by: Person) -> None:
    """Stop a token working at once; it stays listed as revoked."""
    if token.revoked_at is not None:
        return
    token.revoked_at, token.revoked_by_id = clock.now(), by.id
    db.session.flush()
    audit.record(by, token.workspace_id, "token.revoke", "token",
                 f"{token.prefix}… {token.name}", after={"owner": token.person.email})


def find(secret: str) -> ApiToken | None:
    """The usable token with this secret, with its owner, their memberships and its
    workspace, in one query; None for anything else (unknown, revoked, expired, disabled)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == digest(secret))
        .options(joinedload(ApiToken.workspace),
                 joinedload(ApiToken.person).selectinload(Person.memberships)
                 .joinedload(Membership.workspace)))
    if token is None or not token.usable(clock.now()):
        return None
    return token


def note_use(token: ApiToken, now: datetime) -> None:
    """Record when a token was last used, at most once a minute, so reads stay reads; a
    database too busy to take the write (SQLite's lock) costs the record, not the request."""
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_STEP:
        token.last_used_at = now
        try:
            db.session.commit()
        except sa.exc.OperationalError:
            db.session.rollback()


def tokens_of(ws: Workspace, person: Person | None = None) -> list[ApiToken]:
    """The workspace's tokens (one person's, when given), newest first, with their owners."""
    query = sa.select(ApiToken).where(ApiToken.workspace_id == ws.id)
    if person is not None:
        query = query.where(ApiToken.person_id == person.id)
    return list(db.session.scalars(query.options(joinedload(ApiToken.person))
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None

"""Password resets: a single-use link, valid for PASSWORD_RESET_MINUTES, that lets its
holder choose a new password. Only a SHA-256 of the token is stored (as for invitations),
and a disabled account's links open nothing (writes: `operations`)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade.db import db, utcnow
from cascade.models import PasswordReset, Person
from cascade.organisation.invitations import token_hash


def find(token: str) -> PasswordReset | None:
    """The open reset behind a token: unused, unexpired, for an active account; or None."""
    if not token or len(token) > 100:
        return None
    reset = db.session.scalar(sa.select(PasswordReset)
                              .where(PasswordReset.token_hash == token_hash(token))
                              .options(joinedload(PasswordReset.person)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow() \
            or not reset.person.active:
        return None
    return reset


def account_for(email: str) -> Person | None:
    """The active account with this address, if there is one."""
    return db.session.scalar(sa.select(Person).where(Person.email == email.strip().lower(),
                                                     Person.active.is_(True)))

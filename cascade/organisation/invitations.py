"""Invitations: a single-use, expiring link that grants a role in a unit. Only a SHA-256 of
the token is stored, so a database leak yields no usable links (writes: `operations`)."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade.db import db, utcnow
from cascade.models import Invitation, Workspace
from cascade.paging import Page, page_of


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find(token: str) -> Invitation | None:
    """The open invitation behind a token: unused and not expired, or None."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == token_hash(token))
        .options(joinedload(Invitation.workspace), joinedload(Invitation.unit)))
    if invitation is None or invitation.accepted_at is not None \
            or invitation.expires_at <= utcnow() or invitation.unit.archived:
        return None
    return invitation


def pending(ws: Workspace, number: int | None = 1) -> Page:
    """A page of the invitations still open, oldest first."""
    return page_of(
        sa.select(Invitation).where(Invitation.workspace_id == ws.id,
                                    Invitation.accepted_at.is_(None),
                                    Invitation.expires_at > utcnow())
        .options(joinedload(Invitation.unit)).order_by(Invitation.created_at, Invitation.id),
        number)

"""Invitations: a single-use, expiring link that grants a role in a unit.

Only a SHA-256 of the token is stored, so a database leak yields no usable links.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade.audit import record
from cascade.db import db, utcnow
from cascade.models import Invitation, Membership, Person, Role, Unit, Workspace
from cascade.organisation import memberships
from cascade.refusals import Refusal


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(ws: Workspace, email: str, unit: Unit, role: Role, by: Person,
           days: int) -> tuple[Invitation, str]:
    """A new invitation and its token (shown once); refused for someone already in that role."""
    email = email.strip().lower()
    if unit.archived:
        raise Refusal("unit", "That unit is archived; invite people to an active unit.")
    if db.session.scalar(sa.select(Membership.id).join(Person).where(
            Person.email == email, Membership.unit_id == unit.id, Membership.role == role)):
        raise Refusal("email", f"{email} is already {role} of {unit.name}.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(workspace_id=ws.id, email=email, unit=unit, role=role,
                            token_hash=token_hash(token), invited_by=by,
                            expires_at=utcnow() + timedelta(days=days))
    db.session.add(invitation)
    db.session.flush()
    record(ws.id, "invitation.create", "invitation", email,
           after={"email": email, "unit": unit.key, "role": str(role)})
    return invitation, token


def find(token: str) -> Invitation | None:
    """The open invitation behind a token: unused and not expired, or None."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == token_hash(token))
        .options(joinedload(Invitation.workspace), joinedload(Invitation.unit)))
    if invitation is None or invitation.accepted_at is not None \
            or invitation.expires_at <= utcnow() or invitation.unit.archived:
        return None
    return invitation


def pending(ws: Workspace) -> list[Invitation]:
    return list(db.session.scalars(
        sa.select(Invitation).where(Invitation.workspace_id == ws.id,
                                    Invitation.accepted_at.is_(None),
                                    Invitation.expires_at > utcnow())
        .options(joinedload(Invitation.unit)).order_by(Invitation.created_at)))


def accept(invitation: Invitation, person: Person) -> None:
    """Link the person to the invitation's unit and role; the link is used up either way."""
    if person.email != invitation.email:
        raise Refusal("email", f"This invitation is for {invitation.email}; sign out and "
                               "open the link again to accept it.")
    invitation.accepted_at = utcnow()
    try:
        memberships.grant(invitation.workspace, person, invitation.unit, invitation.role)
    except Refusal:
        pass  # already holds the role: accepting changes nothing but uses the link
    record(invitation.workspace_id, "invitation.accept", "invitation", invitation.email)


def revoke(invitation: Invitation) -> None:
    record(invitation.workspace_id, "invitation.revoke", "invitation", invitation.email,
           before={"unit": invitation.unit.key, "role": str(invitation.role)})
    db.session.delete(invitation)
    db.session.flush()

"""Loaders for `access.requires(..., load=...)`: the object a URL names, in the workspace of
the URL, or None (which the decorator turns into 404). Nothing outside the workspace is ever
returned, so a key or id from another workspace reads as "not found"."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, g
from sqlalchemy.orm import joinedload, selectinload

from cascade import clock
from cascade.coherence.model import Finding
from cascade.db import db
from cascade.findings import listing
from cascade.findings.analysis import analysis_of
from cascade.models import (
    ApiToken,
    FacilitatedSession,
    Invitation,
    Link,
    Measure,
    Membership,
    Node,
    Note,
    Person,
    Pulse,
    PulseStatement,
    Reply,
    SessionDecision,
    Unit,
)


def node_by_key(key: str) -> Node | None:
    return db.session.scalar(sa.select(Node).where(Node.workspace_id == g.workspace.id,
                                                   Node.key == key))


def link_by_id(key: str, link_id: int) -> Link | None:
    """A link leaving the node named by `key`."""
    link = db.session.get(Link, link_id)
    if link is None or link.workspace_id != g.workspace.id or link.source.key != key:
        return None
    return link


def measure_by_id(measure_id: int) -> Measure | None:
    """A measure of the workspace, with its node."""
    return db.session.scalar(sa.select(Measure).where(
        Measure.id == measure_id, Measure.workspace_id == g.workspace.id)
        .options(joinedload(Measure.node)))


def dependency_by_id(link_id: int) -> Link | None:
    """A depends_on link of the workspace (a dependency request), with both nodes."""
    return db.session.scalar(sa.select(Link).where(
        Link.id == link_id, Link.workspace_id == g.workspace.id, Link.kind == "depends_on")
        .options(joinedload(Link.source), joinedload(Link.target)))


def note_by_id(note_id: int) -> Note | None:
    """The note with what its pages show: node, author, unit, replies and edits."""
    return db.session.scalar(sa.select(Note).where(
        Note.id == note_id, Note.workspace_id == g.workspace.id).options(
        joinedload(Note.node), joinedload(Note.author), joinedload(Note.unit),
        selectinload(Note.replies).joinedload(Reply.author),
        selectinload(Note.edits)))


def unit_by_key(unit: str) -> Unit | None:
    return db.session.scalar(sa.select(Unit).where(Unit.workspace_id == g.workspace.id,
                                                   Unit.key == unit))


def pulse_by_key(key: str) -> Pulse | None:
    """The pulse with its node, units and statements."""
    return db.session.scalar(
        sa.select(Pulse).where(Pulse.workspace_id == g.workspace.id, Pulse.key == key)
        .options(selectinload(Pulse.node), selectinload(Pulse.units),
                 selectinload(Pulse.statements).selectinload(PulseStatement.node)))


def membership_by_id(membership: int) -> Membership | None:
    return _in_workspace(Membership, membership)


def person_by_id(person: int) -> Person | None:
    """A person who holds a role in the workspace of the URL, with all their memberships."""
    found = db.session.scalar(sa.select(Person).where(
        Person.id == person, Person.id.in_(sa.select(Membership.person_id).where(
            Membership.workspace_id == g.workspace.id)))
        .options(selectinload(Person.memberships).joinedload(Membership.workspace)))
    return found


def token_by_id(api_token: int) -> ApiToken | None:
    return _in_workspace(ApiToken, api_token)


def invitation_by_id(invitation: int) -> Invitation | None:
    return _in_workspace(Invitation, invitation)


def _in_workspace(model, ident: int):
    row = db.session.get(model, ident)
    return row if row is not None and row.workspace_id == g.workspace.id else None


def finding_by_fingerprint(fingerprint: str) -> Finding:
    """A current finding of the workspace; one that closed meanwhile is explained, not hidden."""
    try:
        return listing.find(analysis_of(g.workspace, clock.today()), fingerprint)
    except listing.UnknownFinding:
        abort(404, "That finding is no longer there; the gap may have closed.")


def session_by_key(key: str):
    """The facilitated session with its scope, pulse and decisions."""
    return db.session.scalar(
        sa.select(FacilitatedSession).where(FacilitatedSession.workspace_id == g.workspace.id,
                                            FacilitatedSession.key == key)
        .options(selectinload(FacilitatedSession.scope_node),
                 selectinload(FacilitatedSession.scope_unit),
                 selectinload(FacilitatedSession.pulse).selectinload(Pulse.statements),
                 selectinload(FacilitatedSession.decisions).selectinload(SessionDecision.note)))


def webhook_by_id(webhook: int, **_):
    """A webhook of the URL's workspace."""
    from cascade.models import Webhook

    return db.session.scalar(sa.select(Webhook).where(Webhook.id == webhook,
                                                      Webhook.workspace_id == g.workspace.id))


def delivery_by_id(webhook: int, delivery: int):
    """A delivery of a webhook of the URL's workspace."""
    from cascade.models import Webhook, WebhookDelivery

    return db.session.scalar(sa.select(WebhookDelivery).join(Webhook).where(
        WebhookDelivery.id == delivery, WebhookDelivery.webhook_id == webhook,
        Webhook.workspace_id == g.workspace.id))

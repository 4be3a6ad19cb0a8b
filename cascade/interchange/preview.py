"""What replacing a workspace with a file would do, counted before anything changes: the
workspace now beside the file, and what a replace deletes that no file carries."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from cascade.db import db
from cascade.models import (
    Acknowledgement,
    Invitation,
    Membership,
    Node,
    NodeRevision,
    Note,
    Person,
    Pulse,
    Reply,
    ScoreRecord,
    Unit,
    Workspace,
)


@dataclass(frozen=True)
class Line:
    what: str
    now: int
    after: int


@dataclass(frozen=True)
class Preview:
    lines: list[Line]  # what the workspace holds now, and after the import
    deleted: list[tuple[str, int]]  # what a replace deletes that the file cannot carry
    losing: list[str]  # people who hold a role now and none in the file (names)


def _count(model, ws: Workspace, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(
        model.workspace_id == ws.id, *where)) or 0


def preview(doc: dict, ws: Workspace) -> Preview:
    """The effect of importing `doc` with replace over `ws`, in a handful of counts."""
    members = dict(db.session.execute(
        sa.select(Person.email, Person.name).join(Membership)
        .where(Membership.workspace_id == ws.id).distinct()).all())
    in_file = {p["email"].lower() for p in doc.get("people", []) if p.get("memberships")}
    lines = [
        Line("units", _count(Unit, ws), len(doc.get("units", []))),
        Line("people with roles", len(members), len(in_file)),
        Line("nodes", _count(Node, ws), len(doc.get("nodes", []))),
        Line("notes", _count(Note, ws), len(doc.get("notes", []))),
        Line("pulses", _count(Pulse, ws), len(doc.get("pulses", []))),
    ]
    earlier = db.session.scalar(
        sa.select(sa.func.count()).select_from(NodeRevision).join(Node)
        .where(Node.workspace_id == ws.id, NodeRevision.revision < Node.revision)) or 0
    replies = db.session.scalar(sa.select(sa.func.count()).select_from(Reply).join(Note)
                                .where(Note.workspace_id == ws.id)) or 0
    deleted = [(what, n) for what, n in (
        ("acknowledgements of findings", _count(Acknowledgement, ws)),
        ("score snapshots", _count(ScoreRecord, ws)),
        ("earlier revisions of nodes", earlier),
        ("replies under notes", replies),
        ("pending invitations", _count(Invitation, ws)),
    ) if n]
    losing = sorted(name for email, name in members.items() if email.lower() not in in_file)
    return Preview(lines, deleted, losing)

"""A workspace's overview: its unit tree, its people and how much strategy each unit holds."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, render_template

from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.models import Membership, Node, NodeStatus, Note, NoteStatus, Person, Unit

bp = workspace_blueprint("workspaces", __name__)


@bp.route("/")
@requires("workspace.view")
def show():
    ws = g.workspace
    units = db.session.scalars(sa.select(Unit).where(Unit.workspace_id == ws.id)
                               .order_by(Unit.name)).all()
    node_counts = dict(db.session.execute(
        sa.select(Node.unit_id, sa.func.count()).where(
            Node.workspace_id == ws.id, Node.status != NodeStatus.RETIRED)
        .group_by(Node.unit_id)).all())
    people = db.session.execute(
        sa.select(Membership.unit_id, Membership.role, Person.name)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.workspace_id == ws.id).order_by(Person.name)).all()
    open_notes = db.session.scalar(sa.select(sa.func.count(Note.id)).where(
        Note.workspace_id == ws.id, Note.status == NoteStatus.OPEN))
    return render_template("workspaces/show.html", tree=unit_tree(units),
                           node_counts=node_counts, people=_people_by_unit(people),
                           open_notes=open_notes)


def unit_tree(units) -> list[tuple[Unit, int]]:
    """Units in outline order with their depth, archived ones last in their level."""
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    out: list[tuple[Unit, int]] = []
    stack = [(u, 0) for u in reversed(sorted(children.get(None, []),
                                             key=lambda u: (u.archived, u.name)))]
    while stack:
        unit, depth = stack.pop()
        out.append((unit, depth))
        kids = sorted(children.get(unit.id, []), key=lambda u: (u.archived, u.name))
        stack.extend((kid, depth + 1) for kid in reversed(kids))
    return out


def _people_by_unit(rows) -> dict[int, list[tuple[str, str]]]:
    grouped: dict[int, list[tuple[str, str]]] = {}
    for unit_id, role, name in rows:
        grouped.setdefault(unit_id, []).append((name, str(role)))
    return grouped

"""The front door: your workspaces, with their size."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_login import current_user

from cascade.access import public
from cascade.db import db
from cascade.models import Membership, Node, Unit, Workspace

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def index():
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    return render_template("home/index.html", workspaces=workspaces_of(current_user.id))


def workspaces_of(person_id: int) -> list[dict]:
    """The person's workspaces with unit, node and people counts, in one query."""
    def count(model, column="id"):
        return (sa.select(sa.func.count(sa.distinct(getattr(model, column))))
                .where(model.workspace_id == Workspace.id).scalar_subquery())

    mine = sa.select(Membership.workspace_id).where(Membership.person_id == person_id)
    rows = db.session.execute(
        sa.select(Workspace, count(Unit), count(Node), count(Membership, "person_id"))
        .where(Workspace.id.in_(mine)).order_by(Workspace.name)).all()
    return [{"workspace": ws, "units": u, "nodes": n, "people": p} for ws, u, n, p in rows]

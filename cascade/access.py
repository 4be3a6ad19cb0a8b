"""Request-time access: who is signed in, which workspace a URL names, and `@requires`."""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import Blueprint, abort, g, request
from flask_login import current_user, login_required

from cascade.db import db
from cascade.extensions import login_manager
from cascade.models import Membership, Person, Unit, Workspace
from cascade.policy import Actor, actor_for


@login_manager.user_loader
def load_person(session_id: str) -> Person | None:
    """Sessions carry `id:token`; a changed token (sign-out, new password) refuses old cookies."""
    person_id, _, token = session_id.partition(":")
    if not person_id.isdigit():
        return None
    person = db.session.get(Person, int(person_id))
    if person is None or not person.active or person.session_token != token:
        return None
    return person


def workspace_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under `/w/<workspace>` that loads `g.workspace` and `g.actor` once."""
    bp = Blueprint(name, import_name, url_prefix="/w/<workspace>")

    @bp.url_value_preprocessor
    def pull_workspace(endpoint, values):
        g.workspace_slug = values.pop("workspace")

    @bp.url_defaults
    def add_workspace(endpoint, values):
        if "workspace" not in values and "workspace" in g:
            values["workspace"] = g.workspace.slug

    bp.before_request(_load_workspace)
    return bp


def _load_workspace() -> None:
    """Outsiders get 404 for everything in a workspace: never a hint that it exists.

    One query reads all the person's workspaces with their roles (the switcher needs them
    too), a second the unit tree; every workspace page starts from these two.
    """
    if not current_user.is_authenticated:
        return  # `requires` sends them to sign in, without revealing anything
    workspace, memberships, mine = None, [], {}
    for ws, membership in db.session.execute(
            sa.select(Workspace, Membership).join(Membership)
            .where(Membership.person_id == current_user.id).order_by(Workspace.name)):
        mine[ws.slug] = ws.name
        if ws.slug == g.workspace_slug:
            workspace = ws
            memberships.append(membership)
    g.my_workspaces = list(mine.items())
    if workspace is None:
        abort(404)
    unit_parent = dict(db.session.execute(
        sa.select(Unit.id, Unit.parent_id).where(Unit.workspace_id == workspace.id)).all())
    g.workspace = workspace
    g.actor = actor_for(current_user.id, memberships, unit_parent)


def requires(action: str):
    """Sign-in plus one policy action on the workspace in the URL (403 when not allowed)."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not g.actor.can(action):
                abort(403)
            return view(*args, **kwargs)
        wrapped.access = action
        return wrapped
    return decorate


def public(view):
    """Marks a view anyone may open; the access matrix test reads the mark."""
    view.access = "public"
    return view


def signed_in(view):
    """Any signed-in person, outside a workspace (home, account)."""
    wrapped = login_required(view)
    wrapped.access = "signed_in"
    return wrapped


def current_actor() -> Actor | None:
    return g.get("actor")


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"

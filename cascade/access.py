"""Request-time access: who is signed in, which workspace a URL names, and `@requires`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import sqlalchemy as sa
from flask import Blueprint, abort, g
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from cascade.db import db
from cascade.extensions import login_manager
from cascade.findings.snapshot import unit_rows
from cascade.models import Membership, Person
from cascade.organisation.policy import actor_for


@login_manager.user_loader
def load_person(session_id: str) -> Person | None:
    """Sessions carry `id:token`; a changed token (sign-out, new password) refuses old cookies.

    The person's memberships and their workspaces come in the same query: every page needs
    them (the workspace switcher, and the roles in the workspace named by the URL)."""
    person_id, _, token = session_id.partition(":")
    if not person_id.isdigit():
        return None
    person = db.session.scalars(
        sa.select(Person).where(Person.id == int(person_id))
        .options(joinedload(Person.memberships).joinedload(Membership.workspace))
    ).unique().first()
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

    The person's workspaces and roles came with the person (see `load_person`); one query
    reads the workspace's units, which the policy and most pages need (`g.unit_rows`).
    """
    if not current_user.is_authenticated:
        return  # `requires` sends them to sign in, without revealing anything
    memberships = [m for m in current_user.memberships
                   if m.workspace.slug == g.workspace_slug]
    if not memberships:
        abort(404)
    g.workspace = memberships[0].workspace
    g.unit_rows = unit_rows(g.workspace)
    g.actor = actor_for(current_user.id, memberships,
                        {uid: parent for uid, _, _, parent, _ in g.unit_rows},
                        archived=[uid for uid, *_, archived in g.unit_rows if archived])


def my_workspaces() -> list[tuple[str, str]]:
    """(slug, name) of every workspace the signed-in person belongs to, by name."""
    if not current_user.is_authenticated:
        return []
    found = {m.workspace.slug: m.workspace.name for m in current_user.memberships}
    return sorted(found.items(), key=lambda item: item[1].lower())


def requires(action: str, load: Callable[..., object] | None = None):
    """Sign-in plus one policy action in the workspace of the URL (403 when not allowed).

    With `load`, the URL's values go to the loader, the action is checked on the object it
    returns, and the view receives that object instead (404 when there is none): the mark
    names the real rule, and no view loads and checks by hand."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(**values):
            if load is None:
                if not g.actor.can(action):
                    abort(403)
                return view(**values)
            thing = load(**values)
            if thing is None:
                abort(404)
            if not g.actor.can(action, thing):
                abort(403)
            return view(thing)
        wrapped.access = action
        return wrapped
    return decorate


def allow(action: str, thing=None) -> None:
    """Inside a view, for a rule that depends on what was submitted (a status change to a
    chosen target): stop with 403 unless the policy allows `action` on `thing`."""
    if not g.actor.can(action, thing):
        abort(403)


def public(view):
    """Marks a view anyone may open; the access matrix test reads the mark."""
    view.access = "public"
    return view


def signed_in(view):
    """Any signed-in person, outside a workspace (home, account)."""
    wrapped = login_required(view)
    wrapped.access = "signed_in"
    return wrapped

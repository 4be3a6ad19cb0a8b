"""Personal API tokens: your own in this workspace, and for admins every token in it."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.forms import EmptyForm
from cascade.forms.tokens import NewTokenForm
from cascade.organisation import tokens
from cascade.refusals import Refusal
from cascade.views.load import token_by_id
from cascade.vocabulary import Role, TokenScope

bp = workspace_blueprint("tokens", __name__)


@bp.route("/tokens", methods=["GET", "POST"])
@requires("token.own")
def index():
    """POST, redirect, GET: the new secret travels once in the session and is gone from it
    on the page that shows it, so a reload neither shows it again nor makes another."""
    form, secret = NewTokenForm(), session.pop("new_token", None)
    if not g.actor.has(Role.ADMIN):  # the admin scope is not theirs to give
        form.scopes.choices = [c for c in form.scopes.choices if c.value != TokenScope.ADMIN]
    if form.validate_on_submit():
        try:
            token, secret = tokens.create_token(
                g.workspace, current_user, g.actor, name=form.name.data,
                scopes=form.scopes.data, days=int(form.days.data) if form.days.data else None)
        except Refusal as refusal:
            refusal.show_on(form)
        else:
            db.session.commit()
            flash(f"Token “{token.name}” is ready. Copy it now: it is not shown again.",
                  "success")
            session["new_token"] = secret
            return redirect(url_for("tokens.index"))
    mine = tokens.tokens_of(g.workspace, current_user)
    return render_template("tokens/index.html", form=form, secret=secret, tokens=mine,
                           now=clock.now(), button=EmptyForm()), 400 if form.errors else 200


@bp.route("/tokens/all")
@requires("token.oversee")
def oversee():
    return render_template("tokens/oversee.html", tokens=tokens.tokens_of(g.workspace),
                           now=clock.now(), button=EmptyForm())


@bp.route("/tokens/<int:api_token>/revoke", methods=["POST"])
@requires("token.revoke", load=token_by_id)
def revoke(token):
    """Asks first; the confirmation page's button sends `confirm=yes`."""
    form = EmptyForm()
    back = url_for("tokens.oversee") if request.form.get("from") == "all" else \
        url_for("tokens.index")
    if request.form.get("confirm") != "yes" or not form.validate_on_submit():
        return render_template("tokens/revoke.html", token=token, form=form,
                               origin=request.form.get("from", ""))
    tokens.revoke_token(token, by=current_user)
    db.session.commit()
    flash(f"Token “{token.name}” no longer works.", "success")
    return redirect(back)

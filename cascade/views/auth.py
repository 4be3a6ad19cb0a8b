"""Signing in and out."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from cascade import throttle
from cascade.access import public, signed_in
from cascade.db import db, utcnow
from cascade.forms import EmptyForm
from cascade.forms.auth import SignInForm
from cascade.inputs import own_path
from cascade.models import Person
from cascade.organisation.passwords import hash_password, needs_rehash, verify_password

bp = Blueprint("auth", __name__)

GENERIC_FAILURE = "That email and password do not match an active account."


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.is_submitted() and not (verdict := throttle.check(form.email.data)).allowed:
        form.password.errors = [verdict.message]
        return render_template("auth/sign_in.html", form=form), 429
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        person = db.session.scalar(sa.select(Person).where(Person.email == email))
        if person and person.active and verify_password(person.password_hash, form.password.data):
            if needs_rehash(person.password_hash):
                person.password_hash = hash_password(form.password.data)
            person.last_sign_in_at = utcnow()
            db.session.commit()
            session.clear()
            login_user(person, remember=form.remember.data)
            flash(f"Welcome back, {person.name}.", "success")
            response = redirect(_safe_next() or url_for("home.index"))
            return throttle.remember_device(response, person.email)
        form.password.errors.append(GENERIC_FAILURE)
    if form.is_submitted():
        throttle.failed(request.form.get("email"))
    return render_template("auth/sign_in.html", form=form), 200 if not form.errors else 401


def _safe_next() -> str | None:
    return own_path(request.args.get("next"))


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out():
    if EmptyForm().validate_on_submit():
        current_user.end_sessions()
        db.session.commit()
        logout_user()
        session.clear()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.sign_in"))

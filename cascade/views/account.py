"""Your account outside any workspace: password, new workspaces and accepting invitations."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user
from flask_login.config import COOKIE_NAME

from cascade import throttle
from cascade.access import my_workspaces, public, signed_in
from cascade.db import db
from cascade.forms import EmptyForm
from cascade.forms.account import (
    ChangePasswordForm,
    CreateAccountForm,
    ForgotPasswordForm,
    NewWorkspaceForm,
    ResetPasswordForm,
)
from cascade.jobs import enqueue
from cascade.mail import mail_configured
from cascade.models import Person
from cascade.notifications import mailing
from cascade.notifications.jobs import send_mail
from cascade.organisation import invitations, resets
from cascade.organisation import operations as ops
from cascade.organisation.invitations import token_hash
from cascade.refusals import Refusal

bp = Blueprint("account", __name__)


@bp.app_context_processor
def workspace_switcher() -> dict:
    """`my_workspaces()` and the sign-out button's form (an EmptyForm) for the top bar."""
    return {"my_workspaces": my_workspaces, "sign_out_form": EmptyForm}


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def show():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            ops.change_password(current_user, form.current_password.data,
                                     form.new_password.data)
        except Refusal as refusal:
            refusal.show_on(form)
        else:
            db.session.commit()
            cookie = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
            remembered = cookie in request.cookies
            login_user(current_user._get_current_object(), remember=remembered)
            flash("Your password is changed. Every other session has been signed out.",
                  "success")
            return redirect(url_for("account.show"))
    return render_template("account/show.html", form=form), 400 if form.errors else 200


@bp.route("/workspaces/new", methods=["GET", "POST"])
@signed_in
def new_workspace():
    form = NewWorkspaceForm()
    if form.validate_on_submit():
        try:
            ws = ops.create_workspace(current_user, form.name.data, form.slug.data)
        except Refusal as refusal:
            refusal.show_on(form)
        else:
            db.session.commit()
            flash(f"{ws.name} is ready. Add its units, then invite people.", "success")
            return redirect(url_for("workspaces.show", workspace=ws.slug))
    return (render_template("account/new_workspace.html", form=form),
            400 if form.errors else 200)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def invitation(token):
    found = invitations.find(token)
    if found is None:
        abort(404, "This invitation link is not valid: it has expired, was used already or was "
                   "withdrawn. Ask an admin of the workspace for a new one.")
    if current_user.is_authenticated:
        return _accept_signed_in(found)
    if db.session.scalar(sa.select(Person.id).where(Person.email == found.email)):
        return render_template("account/invitation.html", invitation=found, form=None,
                               sign_in_first=True)
    return _accept_with_new_account(found)


def _accept_signed_in(found):
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            ops.accept(found, current_user)
        except Refusal as refusal:
            flash(refusal.message, "error")
            return redirect(request.path)
        db.session.commit()
        flash(f"Welcome to {found.workspace.name}.", "success")
        return redirect(url_for("workspaces.show", workspace=found.workspace.slug))
    return render_template("account/invitation.html", invitation=found, form=form)


def _accept_with_new_account(found):
    form = CreateAccountForm()
    if form.validate_on_submit():
        person = ops.create_account(found.email, form.name.data, form.password.data)
        ops.accept(found, person)
        db.session.commit()
        session.clear()
        login_user(person)
        flash(f"Welcome to {found.workspace.name}, {person.name}.", "success")
        return redirect(url_for("workspaces.show", workspace=found.workspace.slug))
    return (render_template("account/invitation.html", invitation=found, form=form),
            400 if form.errors else 200)


SENT = ("If an account has that address, a link to choose a new password is on its way "
        "there. It works once, for {minutes} minutes. Nothing arrived? Check the address, "
        "or ask an admin.")


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
def forgot_password():
    """The same answer, in the same time, whether or not the address has an account: the
    mail is queued, and the worker sends it."""
    form = ForgotPasswordForm()
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    if form.validate_on_submit():
        if not (verdict := throttle.check(form.email.data, "reset")).allowed:
            form.email.errors = [verdict.message]
            return render_template("account/forgot_password.html", form=form,
                                   mail=mail_configured()), 429
        throttle.failed(form.email.data, "reset")  # every request counts: no mail bombing
        person = resets.account_for(form.email.data)
        if person is not None and mail_configured():
            token = ops.start_reset(person, minutes)
            db.session.commit()
            link = url_for("account.reset_password", token=token, _external=True)
            body = render_template("account/reset_mail.txt", person=person, link=link,
                                   minutes=minutes)
            mail = mailing.queue_mail(f"reset:{token_hash(token)}", person, person.email,
                                      "Choose a new Cascade password", body, purpose="reset")
            enqueue(send_mail, mail.id)  # sent by the worker once this commits
            db.session.commit()
        flash(SENT.format(minutes=minutes), "info")
        return redirect(url_for("auth.sign_in"))
    return render_template("account/forgot_password.html", form=form,
                           mail=mail_configured()), 400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    found = resets.find(token)
    if found is None:
        abort(404, "This link to choose a new password is not valid: it has expired, was "
                   "used already, or a newer one was sent. Ask for a new one.")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            person = ops.finish_reset(found, form.password.data)
        except Refusal as refusal:
            refusal.show_on(form)
        else:
            db.session.commit()
            session.clear()
            login_user(person)
            flash("Your new password is set; every other session was signed out.", "success")
            return throttle.remember_device(redirect(url_for("home.index")), person.email)
    return render_template("account/reset_password.html", form=form, person=found.person), \
        400 if form.errors else 200

"""People and roles: invitations, granting and changing roles, removing memberships."""

from __future__ import annotations

import smtplib

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user
from wtforms import SelectChoice

from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.forms import EmptyForm
from cascade.forms.people import GrantForm, InviteForm, RoleForm
from cascade.forms.units import parent_choices
from cascade.mail import mail_configured, send_mail
from cascade.models import Invitation, Membership, Role, Unit
from cascade.organisation import invitations
from cascade.organisation import operations as ops
from cascade.organisation.people import people_of
from cascade.organisation.units import unit_tree, units_of
from cascade.refusals import Refusal
from cascade.views.load import invitation_by_id, membership_by_id

bp = workspace_blueprint("people", __name__)


def _forms(invite=None, grant=None):
    """The page's forms with their unit and person choices filled in."""
    people = people_of(g.workspace)
    units = parent_choices(unit_tree(units_of(g.workspace)), top_level=False)
    invite, grant = invite or InviteForm(formdata=None), grant or GrantForm(formdata=None)
    invite.unit.choices = grant.unit.choices = units
    grant.person.choices = [SelectChoice(str(p.id), f"{p.name} <{p.email}>")
                            for p, _ in people]
    return people, invite, grant


def _page(invite=None, grant=None, status=200, row_error=None):
    """The people page; `row_error` is (membership id, message), shown beside that row."""
    people, invite, grant = _forms(invite, grant)
    return render_template("people/index.html", people=people, invite=invite, grant=grant,
                           pending=invitations.pending(g.workspace), role_form=RoleForm,
                           form=EmptyForm(), row_error=row_error or (None, None)), status


@bp.route("/people")
@requires("people.manage")
def index():
    return _page()


@bp.route("/people/invite", methods=["POST"])
@requires("people.manage")
def invite():
    form = InviteForm()
    _forms(invite=form)
    if not form.validate_on_submit():
        return _page(invite=form, status=400)
    unit = db.session.get(Unit, int(form.unit.data))
    try:
        invitation, token = ops.invite(
            g.workspace, form.email.data, unit, Role(form.role.data), current_user,
            current_app.config["INVITATION_DAYS"])
    except Refusal as refusal:
        refusal.show_on(form)
        return _page(invite=form, status=400)
    db.session.commit()
    link = url_for("account.invitation", token=token, _external=True)
    return render_template("people/invited.html", invitation=invitation, link=link,
                           mailed=_mail(invitation, link))


def _mail(invitation: Invitation, link: str) -> bool | None:
    """E-mail the link when SMTP is configured: True sent, False failed, None not configured."""
    if not mail_configured():
        return None
    body = render_template("people/invitation_mail.txt", invitation=invitation, link=link,
                           inviter=current_user.name)
    try:
        send_mail(invitation.email, f"Join {g.workspace.name} on Cascade", body)
    except (OSError, smtplib.SMTPException) as error:
        current_app.logger.warning("invitation mail to %s failed: %s", invitation.email, error)
        return False
    return True


@bp.route("/people/invitations/<int:invitation>/revoke", methods=["POST"])
@requires("people.manage", load=invitation_by_id)
def revoke(invitation: Invitation):
    if EmptyForm().validate_on_submit():
        ops.revoke(invitation, by=current_user)
        db.session.commit()
        flash(f"The invitation for {invitation.email} is withdrawn.", "success")
    return redirect(url_for("people.index"))


@bp.route("/people/grant", methods=["POST"])
@requires("people.manage")
def grant():
    form = GrantForm()
    people, _, _ = _forms(grant=form)
    if not form.validate_on_submit():
        return _page(grant=form, status=400)
    person = next(p for p, _ in people if str(p.id) == form.person.data)
    unit = db.session.get(Unit, int(form.unit.data))
    try:
        ops.grant(g.workspace, person, unit, Role(form.role.data), by=current_user)
    except Refusal as refusal:
        refusal.show_on(form)
        return _page(grant=form, status=400)
    db.session.commit()
    flash(f"{person.name} is now {form.role.data} of {unit.name}.", "success")
    return redirect(url_for("people.index"))


@bp.route("/people/memberships/<int:membership>/role", methods=["POST"])
@requires("people.manage", load=membership_by_id)
def change_role(membership: Membership):
    form = RoleForm()
    if form.validate_on_submit():
        try:
            ops.change_role(membership, Role(form.role.data), by=current_user)
        except Refusal as refusal:
            return _page(status=400, row_error=(membership.id, refusal.message))
        db.session.commit()
        flash(f"{membership.person.name} is now {membership.role} of {membership.unit.name}.",
              "success")
        return redirect(url_for("people.index"))
    return _page(status=400, row_error=(membership.id, "Choose one of the listed roles."))


@bp.route("/people/memberships/<int:membership>/remove", methods=["POST"])
@requires("people.manage", load=membership_by_id)
def remove(membership: Membership):
    if EmptyForm().validate_on_submit():
        done = (f"{membership.person.name} is no longer {membership.role} of "
                f"{membership.unit.name}.")
        try:
            ops.remove(membership, by=current_user)
        except Refusal as refusal:
            return _page(status=400, row_error=(membership.id, refusal.message))
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("people.index"))

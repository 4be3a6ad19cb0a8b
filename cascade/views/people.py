"""People and roles: invitations, granting and changing roles, removing memberships."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.forms import EmptyForm
from cascade.forms.people import GrantForm, InviteForm, PeopleFilterForm, RoleForm
from cascade.jobs import enqueue
from cascade.mail import mail_configured
from cascade.models import Invitation, Membership, Person, Role, Unit
from cascade.notifications import mailing
from cascade.notifications.jobs import send_mail
from cascade.organisation import invitations
from cascade.organisation import operations as ops
from cascade.organisation.people import disablable_by, member_by_email, people_page
from cascade.organisation.units import unit_named
from cascade.refusals import Refusal
from cascade.views.load import invitation_by_id, membership_by_id, person_by_id

bp = workspace_blueprint("people", __name__)


def _unit(form) -> Unit | None:
    """The active unit the form names, or None with the reason on the field."""
    unit = unit_named(g.workspace, form.unit.data)
    if unit is None or unit.archived:
        form.unit.errors.append("No active unit here has this name or key.")
        return None
    return unit


def _page(invite=None, grant=None, status=200, row_error=None):
    """The people page, a page of people at a time, searchable; `row_error` is
    (membership id, message), shown beside that row."""
    invite, grant = invite or InviteForm(formdata=None), grant or GrantForm(formdata=None)
    search = PeopleFilterForm(formdata=request.args)
    chosen = search.chosen()
    people = people_page(g.workspace, chosen["q"], chosen["page"])
    return render_template("people/index.html", people=people, invite=invite, grant=grant,
                           disablable=disablable_by(current_user,
                                                    [p.id for p, _ in people.items]),
                           pending=invitations.pending(g.workspace, chosen["invitations"]),
                           role_form=RoleForm, form=EmptyForm(), search=search,
                           args=search.kept("page"), invitation_args=search.kept("invitations"),
                           row_error=row_error or (None, None)), status


@bp.route("/people")
@requires("people.manage")
def index():
    return _page()


@bp.route("/people/invite", methods=["POST"])
@requires("people.manage")
def invite():
    form = InviteForm()
    if not form.validate_on_submit() or (unit := _unit(form)) is None:
        return _page(invite=form, status=400)
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
                           mailed=mail_invitation(invitation, link))


def mail_invitation(invitation: Invitation, link: str) -> bool | None:
    """Queue the e-mail with the link when SMTP is configured (the worker sends it, with
    retries, like every other mail: nothing is sent from inside a request). True when
    queued, None when e-mail is not configured (the admin passes the link on)."""
    if not mail_configured():
        return None
    body = render_template("people/invitation_mail.txt", invitation=invitation, link=link,
                           inviter=current_user.name)
    mail = mailing.queue_mail(f"invitation:{invitation.token_hash}", None, invitation.email,
                              f"Join {invitation.workspace.name} on Cascade", body,
                              purpose="invitation", workspace_id=invitation.workspace_id)
    enqueue(send_mail, mail.id)  # sent by the worker once this commits
    db.session.commit()
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
    if not form.validate_on_submit() or (unit := _unit(form)) is None:
        return _page(grant=form, status=400)
    person = member_by_email(g.workspace, form.person.data)
    if person is None:
        form.person.errors.append("Nobody in this workspace has this e-mail address: "
                                  "invite them instead.")
        return _page(grant=form, status=400)
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


@bp.route("/people/<int:person>/disable", methods=["POST"])
@requires("people.manage", load=person_by_id)
def disable(person: Person):
    return _set_active(person, False)


@bp.route("/people/<int:person>/enable", methods=["POST"])
@requires("people.manage", load=person_by_id)
def enable(person: Person):
    return _set_active(person, True)


def _set_active(person: Person, active: bool):
    """An account reaches every workspace its person is in: an admin may switch it off or
    on only when they administer all of them (`operations.administered_by`)."""
    if not ops.administered_by(person, current_user):
        abort(403, f"{person.name} also belongs to workspaces you do not administer; ask the "
                   "operator (`flask --app cascade account disable`).")
    if EmptyForm().validate_on_submit():
        try:
            ops.set_active(person, active, by=current_user)
        except Refusal as refusal:
            flash(refusal.message, "error")
        else:
            db.session.commit()
            flash(f"{person.name} can sign in again." if active else
                  f"{person.name} can no longer sign in; all they wrote stays.", "success")
    return redirect(url_for("people.index"))

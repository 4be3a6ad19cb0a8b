"""Admins download their workspace as a cascade/v1 file and upload one to restore or
create a workspace."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from cascade import interchange
from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.forms import EmptyForm
from cascade.forms.exchange import ImportForm
from cascade.interchange import pending, upload
from cascade.interchange.preview import preview
from cascade.security import takes_workspace_files
from cascade.views.people import mail_invitation

bp = workspace_blueprint("exchange", __name__)


@bp.route("/exchange", methods=["GET", "POST"])
@takes_workspace_files
@requires("workspace.admin")
def index():
    form, problems = ImportForm(), []
    if request.method == "POST" and request.form.get("pending"):
        return _confirmed(request.form["pending"])
    if form.validate_on_submit():
        try:
            data = form.file.data.read(current_app.config["IMPORT_MAX_BYTES"] + 1)
            if form.replace.data:  # nothing changes before the admin saw what will
                doc = upload.checked(data, g.workspace, current_user)
                if doc["workspace"]["slug"] == g.workspace.slug:
                    token = pending.keep(data, g.workspace.id)
                    return render_template("exchange/preview.html", token=token,
                                           preview=preview(doc, g.workspace),
                                           form=EmptyForm(), doc=doc)
            ws, enrol = upload.import_upload(data, g.workspace, current_user,
                                             form.replace.data)
        except interchange.InvalidFile as error:
            db.session.rollback()
            problems = error.problems
        else:
            return _imported(ws, enrol)
    status = 422 if problems or form.errors else 200
    return render_template("exchange/index.html", form=form, problems=problems), status


def _imported(ws, enrol):
    db.session.commit()
    flash(f"Imported workspace {ws.name!r} ({ws.slug}).", "success")
    if not enrol.invited:
        return redirect(url_for("workspaces.show", workspace=ws.slug))
    return render_template("exchange/imported.html", ws=ws, invited=[
        (invitation, link, mail_invitation(invitation, link))
        for invitation, token in enrol.invited
        for link in [url_for("account.invitation", token=token, _external=True)]])


def _confirmed(token: str):
    """The admin saw the preview and confirms: import the file kept for them."""
    data = pending.take(token, g.workspace.id) if EmptyForm().validate_on_submit() else None
    if data is None:
        flash("That preview has expired or was already used; upload the file again.", "error")
        return redirect(url_for(".index"))
    try:
        ws, enrol = upload.import_upload(data, g.workspace, current_user, True)
    except interchange.InvalidFile as error:
        db.session.rollback()
        return render_template("exchange/index.html", form=ImportForm(),
                               problems=error.problems), 422
    return _imported(ws, enrol)


@bp.route("/exchange/export")
@requires("workspace.admin")
def export():
    ws = g.workspace
    return current_app.response_class(
        upload.export_bytes(ws), mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{ws.slug}.cascade.json"'})

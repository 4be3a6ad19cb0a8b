"""Admins download their workspace as a cascade/v1 file and upload one to restore or
create a workspace."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user

from cascade import interchange
from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.forms.exchange import ImportForm
from cascade.interchange import upload

bp = workspace_blueprint("exchange", __name__)


@bp.route("/exchange", methods=["GET", "POST"])
@requires("workspace.admin")
def index():
    form, problems = ImportForm(), []
    if form.validate_on_submit():
        try:
            ws = upload.import_upload(form.file.data.read(), g.workspace, current_user,
                                      form.replace.data)
        except interchange.InvalidFile as error:
            db.session.rollback()
            problems = error.problems
        else:
            db.session.commit()
            flash(f"Imported workspace {ws.name!r} ({ws.slug}).", "success")
            return redirect(url_for("workspaces.show", workspace=ws.slug))
    status = 422 if problems or form.errors else 200
    return render_template("exchange/index.html", form=form, problems=problems), status


@bp.route("/exchange/export")
@requires("workspace.admin")
def export():
    ws = g.workspace
    return current_app.response_class(
        upload.export_bytes(ws), mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{ws.slug}.cascade.json"'})

"""Background jobs that failed in this workspace, for its admins, with a retry."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.forms import EmptyForm
from cascade.forms.jobs import JobsPageForm
from cascade.jobs import failures as failed
from cascade.jobs.queue import jobs_of
from cascade.models import JobFailure
from cascade.refusals import Refusal

bp = workspace_blueprint("jobs", __name__)


def failure_by_id(failure: int) -> JobFailure | None:
    row = db.session.get(JobFailure, failure)
    return row if row is not None and row.workspace_id == g.workspace.id else None


@bp.route("/jobs")
@requires("jobs.view")
def index():
    form = JobsPageForm(request.args)
    if not form.validate():
        abort(400, "That page number is not one of the list's pages.")
    page = form.page.data or 1
    rows, more = failed.failures(g.workspace, page)
    return render_template("jobs/index.html", failures=rows, more=more, page=page,
                           queue=jobs_of().kind, form=EmptyForm())


@bp.route("/jobs/<int:failure>/retry", methods=["POST"])
@requires("jobs.view", load=failure_by_id)
def retry(failure: JobFailure):
    if EmptyForm().validate_on_submit():
        try:
            failed.retry(failure, by=current_user)
        except Refusal as refusal:
            flash(refusal.message, "error")
        else:
            db.session.commit()
            flash(f"{failure.job.rpartition('.')[2]} queued again.", "success")
    return redirect(url_for("jobs.index"))

"""The audit trail of a workspace: who changed what, when, with before and after."""

from __future__ import annotations

from flask import g, render_template, request
from wtforms import SelectChoice

from cascade import audit
from cascade.access import requires, workspace_blueprint
from cascade.forms.audit import AuditFilterForm

bp = workspace_blueprint("audit", __name__)


@bp.route("/audit")
@requires("audit.view")
def index():
    types, actions, people = audit.filter_values(g.workspace.id)
    form = AuditFilterForm(request.args)
    form.target_type.choices = [SelectChoice("", "Anything")] + [SelectChoice(t) for t in types]
    form.action.choices = [SelectChoice("", "Any action")] + [SelectChoice(a) for a in actions]
    form.person.choices = [SelectChoice("", "Anyone")] + [SelectChoice(str(i), name)
                                                          for i, name in people]
    if not form.validate():
        return render_template("audit/index.html", form=form, entries=[], more=False), 400
    page = form.page.data or 1
    entries, more = audit.entries(
        g.workspace.id, target_type=form.target_type.data, action=form.action.data,
        person_id=int(form.person.data) if form.person.data else None,
        since=form.since.data, until=form.until.data, page=page)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("audit/index.html", form=form, entries=entries, more=more,
                           page=page, args=args)

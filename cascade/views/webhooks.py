"""Webhooks: admins register endpoints, read each one's 30-day delivery log, send a test
event, resend a delivery, pause, resume and remove them."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.forms import EmptyForm
from cascade.forms.notifications import WebhookForm
from cascade.inputs import whole_number
from cascade.models import Webhook, WebhookDelivery
from cascade.notifications import operations as ops
from cascade.notifications.preferences import label
from cascade.refusals import Refusal
from cascade.views.load import delivery_by_id, webhook_by_id

bp = workspace_blueprint("webhooks", __name__)
PAGE = 50
ACTIONS = {"pause": "Paused.", "resume": "Resumed: waiting deliveries go out now.",
           "test": "A test event is on its way.", "delete": "The webhook is removed."}


def _form() -> WebhookForm:
    form = WebhookForm()
    form.offer(g.unit_rows)
    return form


@bp.route("/webhooks", methods=["GET", "POST"])
@requires("workspace.admin")
def index():
    form = _form()
    if form.validate_on_submit():
        try:
            hook = ops.register_webhook(
                g.workspace, form.url.data, kinds=form.kinds.data,
                unit_id=next((uid for uid, key, *_ in g.unit_rows if key == form.unit.data),
                             None), fmt=form.format.data,
                by=current_user, request_host=request.host)
            db.session.commit()
        except Refusal as refusal:
            refusal.show_on(form)
        else:  # the secret is shown on this page once, and never again
            return render_template("webhooks/created.html", hook=hook), 201
    hooks = db.session.scalars(sa.select(Webhook).where(Webhook.workspace_id == g.workspace.id)
                               .options(joinedload(Webhook.unit)).order_by(Webhook.id)).all()
    return render_template("webhooks/index.html", form=form, hooks=hooks, label=label,
                           empty=EmptyForm()), 400 if form.errors else 200


@bp.route("/webhooks/<int:webhook>")
@requires("workspace.admin", load=webhook_by_id)
def show(hook):
    page = whole_number(request.args.get("page", "1"), 1, 10_000) or 1
    rows = db.session.scalars(
        sa.select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id)
        .options(joinedload(WebhookDelivery.event))
        .order_by(WebhookDelivery.id.desc()).offset((page - 1) * PAGE).limit(PAGE + 1)).all()
    return render_template("webhooks/show.html", hook=hook, deliveries=rows[:PAGE],
                           more=len(rows) > PAGE, page=page, label=label, form=EmptyForm())


@bp.route("/webhooks/<int:webhook>/<any(pause, resume, test, delete):action>",
          methods=["POST"])
@requires("workspace.admin", load=webhook_by_id)
def change(hook):
    action = request.view_args["action"]
    if not EmptyForm().validate_on_submit():
        abort(400)
    ops.change_webhook(hook, action, by=current_user, now=clock.now())
    db.session.commit()
    flash(ACTIONS[action], "success")
    if action == "delete":
        return redirect(url_for("webhooks.index"))
    return redirect(url_for("webhooks.show", webhook=hook.id))


@bp.route("/webhooks/<int:webhook>/deliveries/<int:delivery>/resend", methods=["POST"])
@requires("workspace.admin", load=delivery_by_id)
def resend(delivery):
    if not EmptyForm().validate_on_submit():
        abort(400)
    ops.resend_delivery(delivery, by=current_user, now=clock.now())
    db.session.commit()
    flash("The delivery will be sent again within a minute.", "success")
    return redirect(url_for("webhooks.show", webhook=delivery.webhook_id))

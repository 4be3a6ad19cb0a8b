"""Closing a quarter: a leader keeps, retires or carries each live node of a horizon."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.forms.quarters import CloseForm, HorizonChoiceForm
from cascade.horizons import following, period
from cascade.models import Node
from cascade.refusals import Refusal
from cascade.strategy import quarters

bp = workspace_blueprint("quarters", __name__)


@bp.route("/close-horizon", methods=["GET", "POST"])
@requires("horizon.close")
def close():
    pick = HorizonChoiceForm(formdata=request.args)
    pick.offer(db.session.scalars(sa.select(Node.horizon).where(
        Node.workspace_id == g.workspace.id, Node.horizon.is_not(None)).distinct()))
    horizon = pick.chosen()["horizon"]
    nodes = quarters.nodes_of(g.workspace, horizon, lambda n: g.actor.can("horizon.close", n)) \
        if horizon else []
    form = CloseForm()
    if request.method == "GET" and horizon:
        form.next_horizon.data = following(horizon) or ""
    if horizon and form.validate_on_submit():
        picked = {n.id: request.form.get(f"choice-{n.id}", "keep") for n in nodes}
        picked = {k: v for k, v in picked.items() if v in quarters.CHOICES}
        try:
            done = quarters.close(g.workspace, nodes, picked, form.next_horizon.data.strip(),
                                  by=current_user, now=clock.now())
        except Refusal as error:
            error.show_on(form)
        else:
            db.session.commit()
            flash(f"{horizon} closed: {len(done.carried)} carried into "
                  f"{form.next_horizon.data.strip()}, {len(done.retired)} retired.", "success")
            return redirect(url_for("nodes.tree", horizon=form.next_horizon.data.strip()))
    return render_template("quarters/close.html", pick=pick, form=form, horizon=horizon,
                           nodes=nodes, period=period(horizon) if horizon else None)

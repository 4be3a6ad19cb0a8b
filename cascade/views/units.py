"""The unit tree with its people, and the admin's changes to it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, url_for

from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.forms import EmptyForm
from cascade.forms.units import EditUnitForm, NewUnitForm, parent_choices
from cascade.models import Unit
from cascade.organisation import units as unit_ops
from cascade.organisation.memberships import people_of
from cascade.refusals import Refusal

bp = workspace_blueprint("units", __name__)


def _unit(key: str) -> Unit:
    unit = db.session.scalar(sa.select(Unit).where(Unit.workspace_id == g.workspace.id,
                                                   Unit.key == key))
    return unit if unit is not None else abort(404)


def _parent(form, units) -> Unit | None:
    return next((u for u in units if str(u.id) == form.parent.data), None)


@bp.route("/units")
@requires("workspace.view")
def index():
    units = unit_ops.units_of(g.workspace)
    people: dict[int, list] = {}
    for person, held in people_of(g.workspace):
        for membership in held:
            people.setdefault(membership.unit_id, []).append((person, membership.role))
    return render_template("units/index.html", tree=unit_ops.unit_tree(units), people=people,
                           form=EmptyForm())


@bp.route("/units/new", methods=["GET", "POST"])
@requires("unit.manage")
def new():
    units = unit_ops.units_of(g.workspace)
    form = NewUnitForm()
    form.parent.choices = parent_choices(unit_ops.unit_tree(units))
    if form.validate_on_submit():
        try:
            unit = unit_ops.create_unit(g.workspace, form.name.data, _parent(form, units),
                                        form.key.data or None)
        except Refusal as refusal:
            refusal.show_on(form)
        else:
            db.session.commit()
            flash(f"Unit {unit.name} created.", "success")
            return redirect(url_for("units.index"))
    return render_template("units/new.html", form=form), 400 if form.errors else 200


@bp.route("/units/<unit>/edit", methods=["GET", "POST"])
@requires("unit.manage")
def edit(unit):
    unit, units = _unit(unit), unit_ops.units_of(g.workspace)
    form = EditUnitForm(name=unit.name, parent=str(unit.parent_id or ""), version=unit.version)
    form.parent.choices = parent_choices(unit_ops.unit_tree(units),
                                         exclude=unit_ops.subtree_ids(units, unit),
                                         keep=unit.parent_id)
    if form.validate_on_submit():
        if form.version.data != str(unit.version):
            form.version.data = str(unit.version)
            return render_template("units/edit.html", form=form, unit=unit, conflict=True), 409
        try:
            unit_ops.update_unit(unit, form.name.data, _parent(form, units), units)
        except Refusal as refusal:
            refusal.show_on(form)
        else:
            db.session.commit()
            flash(f"Unit {unit.name} saved.", "success")
            return redirect(url_for("units.index"))
    return render_template("units/edit.html", form=form, unit=unit), 400 if form.errors else 200


@bp.route("/units/<unit>/archive", methods=["POST"])
@requires("unit.manage")
def archive(unit):
    return _set_archived(_unit(unit), True, "archived")


@bp.route("/units/<unit>/restore", methods=["POST"])
@requires("unit.manage")
def restore(unit):
    return _set_archived(_unit(unit), False, "restored")


def _set_archived(unit: Unit, archived: bool, done: str):
    if EmptyForm().validate_on_submit():
        try:
            unit_ops.set_archived(unit, archived)
        except Refusal as refusal:
            flash(refusal.message, "error")
        else:
            db.session.commit()
            flash(f"Unit {unit.name} {done}.", "success")
    return redirect(url_for("units.index"))

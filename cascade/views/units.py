"""The unit tree with its people, and the admin's changes to it."""

from __future__ import annotations

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from cascade import clock, trees
from cascade.access import requires, workspace_blueprint
from cascade.db import committed, db
from cascade.findings.analysis import analysis_of
from cascade.forms import EmptyForm
from cascade.forms.units import EditUnitForm, NewUnitForm, UnitsFilterForm, parent_choices
from cascade.models import Unit
from cascade.organisation import operations as ops
from cascade.organisation.units import outline_page, subtree_ids, unit_tree, units_of
from cascade.refusals import Refusal
from cascade.strategy import impact
from cascade.trees import ancestors
from cascade.views.load import unit_by_key

bp = workspace_blueprint("units", __name__)


def _parent(form, units) -> Unit | None:
    return next((u for u in units if str(u.id) == form.parent.data), None)


@bp.route("/units")
@requires("workspace.view")
def index():
    """The unit tree a page at a time, searchable, or only the part under one unit."""
    search = UnitsFilterForm(formdata=request.args)
    chosen = search.chosen()
    under = next((r for r in g.unit_rows if r[1] == chosen["under"]), None) \
        if chosen["under"] else None
    if chosen["under"] and under is None:
        search.ignored.append(f"Unit “{chosen['under'][:40]}” ignored (no unit has this key)")
    outline = outline_page(g.unit_rows, under=under[0] if under else None,
                           words=chosen["q"], number=chosen["page"])
    parents = {uid: up for uid, _, _, up, _ in g.unit_rows}
    names = {uid: (key, name) for uid, key, name, _, _ in g.unit_rows}
    path = [names[a] for a in reversed(ancestors(under[0], parents))] if under else []
    return render_template("units/index.html", outline=outline, search=search, under=under,
                           path=path, args=search.kept("page"), total=len(g.unit_rows),
                           form=EmptyForm())


@bp.route("/units/search.json")
@requires("workspace.view")
def search():
    """Units whose name or key holds the text, for the unit pickers of large workspaces."""
    text = request.args.get("q", "")[:100].strip().lower()
    found = sorted((row for row in g.unit_rows if text in row[1].lower() or text in row[2].lower()),
                   key=lambda row: trees.unit_order(row[2], row[4]))
    return jsonify(units=[{"key": key, "name": name, "archived": bool(archived)}
                          for _, key, name, _, archived in found[:20]])


@bp.route("/units/new", methods=["GET", "POST"])
@requires("unit.manage")
def new():
    units = units_of(g.workspace)
    form = NewUnitForm()
    form.parent.choices = parent_choices(unit_tree(units))
    if form.validate_on_submit():
        try:
            unit = committed(lambda: ops.create_unit(
                g.workspace, form.name.data, _parent(form, units), form.key.data or None,
                by=current_user))
        except Refusal as refusal:
            refusal.show_on(form)
        else:
            flash(f"Unit {unit.name} created.", "success")
            return redirect(url_for("units.index"))
    return render_template("units/new.html", form=form), 400 if form.errors else 200


@bp.route("/units/<unit>/edit", methods=["GET", "POST"])
@requires("unit.manage", load=unit_by_key)
def edit(unit: Unit):
    units = units_of(g.workspace)
    form = EditUnitForm(name=unit.name, parent=str(unit.parent_id or ""), version=unit.version)
    form.parent.choices = parent_choices(unit_tree(units),
                                         exclude=subtree_ids(units, unit),
                                         keep=unit.parent_id)
    if form.validate_on_submit():
        if form.version.data != str(unit.version):
            form.version.data = str(unit.version)
            return render_template("units/edit.html", form=form, unit=unit, conflict=True), 409
        try:
            ops.update_unit(unit, form.name.data, _parent(form, units), units, by=current_user)
        except Refusal as refusal:
            refusal.show_on(form)
        else:
            db.session.commit()
            flash(f"Unit {unit.name} saved.", "success")
            return redirect(url_for("units.index"))
    return render_template("units/edit.html", form=form, unit=unit), 400 if form.errors else 200


@bp.route("/units/<unit>/archive", methods=["POST"])
@requires("unit.manage", load=unit_by_key)
def archive(unit: Unit):
    """Archive at once a unit nothing depends on; otherwise first say what it changes."""
    form = EmptyForm()
    if form.validate_on_submit() and request.form.get("confirm") != "yes" \
            and not any(not child.archived for child in unit.children):
        found = impact.of_archive(unit, analysis_of(g.workspace, clock.today()))
        if found.anything:
            return render_template("units/archive.html", unit=unit, impact=found, form=form)
    return _set_archived(unit, True, "archived")


@bp.route("/units/<unit>/restore", methods=["POST"])
@requires("unit.manage", load=unit_by_key)
def restore(unit: Unit):
    return _set_archived(unit, False, "restored")


def _set_archived(unit: Unit, archived: bool, done: str):
    if EmptyForm().validate_on_submit():
        try:
            ops.set_archived(unit, archived, by=current_user)
        except Refusal as refusal:
            flash(refusal.message, "error")
        else:
            db.session.commit()
            flash(f"Unit {unit.name} {done}.", "success")
    return redirect(url_for("units.index"))

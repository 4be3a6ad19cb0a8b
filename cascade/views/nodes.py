"""The strategy tree, node pages and authoring: create, translate, revise, link, move."""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from cascade.access import allow, requires, workspace_blueprint
from cascade.db import db
from cascade.forms import EmptyForm
from cascade.forms.nodes import (
    EditNodeForm,
    LinkForm,
    MoveForm,
    NodeForm,
    RevisionsForm,
    StatusForm,
    StrategyFilterForm,
    TranslateForm,
)
from cascade.forms.notes import NoteForm, ReplyForm
from cascade.models import Link, Node, NodeStatus, Note, NoteStatus, Unit
from cascade.organisation.units import unit_tree
from cascade.refusals import Conflict, Refusal
from cascade.strategy import node_page
from cascade.strategy import operations as ops
from cascade.strategy.outline import filter_outline, load_analysed
from cascade.text import diff as textdiff

bp = workspace_blueprint("nodes", __name__)


def _node(key: str) -> Node:
    node = db.session.scalar(sa.select(Node).where(Node.workspace_id == g.workspace.id,
                                                   Node.key == key))
    if node is None:
        abort(404)
    return node


def _units() -> list[Unit]:
    query = sa.select(Unit).where(Unit.workspace_id == g.workspace.id, Unit.archived.is_(False))
    return list(db.session.scalars(query.order_by(Unit.name)))


def _below(unit_id: int, ancestor_id: int) -> bool:
    """A unit strictly under another: translations flow down the unit tree."""
    current = g.actor.unit_parent.get(unit_id)
    while current is not None:
        if current == ancestor_id:
            return True
        current = g.actor.unit_parent.get(current)
    return False


def _choices(units, action: str) -> list[tuple[int, str]]:
    """The units the person may act in, in unit-tree order, indented by depth."""
    return [SelectChoice(u.id, "\u2003" * depth + u.name) for u, depth in unit_tree(units)
            if g.actor.can(action, u.id)]


@bp.route("/nodes/")
@requires("workspace.view")
def tree():
    strategy = load_analysed(g.workspace, g.unit_rows)
    form = StrategyFilterForm(formdata=request.args)
    form.offer(strategy.unit_list())
    chosen = form.chosen()
    found = filter_outline(strategy, chosen["unit"], chosen["status"], chosen["q"])
    return render_template("nodes/tree.html", strategy=strategy, form=form,
                           matches=found[0] if found else None,
                           visible=found[1] if found else None,
                           can_create=any(g.actor.can("node.create", u) for u in strategy.units))


@bp.route("/nodes/search.json")
@requires("workspace.view")
def search():
    return jsonify(nodes=ops.search(g.workspace, request.args.get("q", "")[:100]))


@bp.route("/nodes/<key>")
@requires("workspace.view")
def show(key):
    node = _node(key)
    strategy = load_analysed(g.workspace, g.unit_rows)
    page = node_page.build(node, strategy)
    units = strategy.unit_list()
    translate = TranslateForm(title=node.title)
    translate.unit.choices = [SelectChoice(u.id, u.name) for u in units
                              if not u.archived and g.actor.belongs_to(u.id)
                              and _below(u.id, node.unit_id)]
    note_form = NoteForm()
    note_form.unit.choices = [SelectChoice(u.id, u.name) for u in units if u.id in g.actor.roles]
    compare = RevisionsForm(formdata=request.args)
    compare.offer(page.revisions)
    chosen = compare.chosen()
    diff = page.diff(chosen["start"], chosen["end"])
    compare.showing(diff)
    return render_template("nodes/show.html", page=page, node=node, entry=page.entry,
                           translate=translate, note_form=note_form, link_form=LinkForm(),
                           move_form=MoveForm(), button=EmptyForm(), reply=ReplyForm(),
                           compare=compare, diff=diff, transitions=ops.TRANSITIONS[node.status])


@bp.route("/nodes/new", methods=["GET", "POST"])
@requires("workspace.view")
def new():
    form = NodeForm()
    form.unit.choices = _choices(_units(), "node.create")
    if not form.unit.choices:
        abort(403)
    if request.method == "GET":
        form.parent.data = request.args.get("parent", "")
        form.unit.data = _default_unit(form.parent.data, [c.value for c in form.unit.choices])
    if form.validate_on_submit():
        parent = _by_key(form.parent.data) if form.parent.data else None
        if form.parent.data and parent is None:
            form.parent.errors.append("No node has that key.")
        else:
            try:
                node = ops.create_node(g.workspace, db.session.get(Unit, form.unit.data),
                                       form.title.data.strip(), current_user,
                                       statement=form.statement.data or "", parent=parent,
                                       horizon=form.horizon.data, key=(form.key.data or "").strip())
            except Refusal as error:
                error.show_on(form)
            else:
                db.session.commit()
                flash(f"“{node.title}” created as a draft.", "success")
                return redirect(url_for("nodes.show", key=node.key))
    return render_template("nodes/new.html", form=form)


def _default_unit(parent_key: str, allowed: list[int]) -> int:
    """The parent's own unit when the person may author there (a theme or objective beside
    it), else the highest unit they lead: never whichever unit sorts first."""
    parent = _by_key(parent_key) if parent_key else None
    if parent is not None and parent.unit_id in allowed:
        return parent.unit_id

    def depth(unit_id: int) -> int:
        steps, current = 0, g.actor.unit_parent.get(unit_id)
        while current is not None:
            steps, current = steps + 1, g.actor.unit_parent.get(current)
        return steps
    return min(allowed, key=depth)


def _by_key(key: str) -> Node | None:
    return db.session.scalar(sa.select(Node).where(Node.workspace_id == g.workspace.id,
                                                   Node.key == key.strip()))


@bp.route("/nodes/<key>/edit", methods=["GET", "POST"])
@requires("workspace.view")
def edit(key):
    node = _node(key)
    allow("node.edit", node)
    open_notes = list(db.session.scalars(sa.select(Note).where(
        Note.node_id == node.id, Note.status.in_((NoteStatus.OPEN, NoteStatus.ACKNOWLEDGED)))
        .order_by(Note.created_at)))
    form = EditNodeForm(obj=node)
    form.answers.choices = [SelectChoice(n.id, f"{n.stance} · {n.kind}: {n.body[:80]}")
                            for n in open_notes]
    if request.method == "GET":
        form.confirm_parent.data = request.args.get("revise") == "1"
    if form.validate_on_submit():
        try:
            revised = ops.edit_node(
                node, form.version.data, current_user, title=form.title.data.strip(),
                statement=form.statement.data or "", horizon=form.horizon.data,
                confirm_parent=form.confirm_parent.data, response=form.response.data or "",
                answers=[n for n in open_notes if n.id in (form.answers.data or [])])
            db.session.commit()
        except (Conflict, StaleDataError):
            return _conflict(key, form)
        except Refusal as error:
            error.show_on(form)
        else:
            flash(f"Saved as revision {node.revision}." if revised else "Saved.", "success")
            return redirect(url_for("nodes.show", key=node.key))
    return render_template("nodes/edit.html", form=form, node=node)


def _conflict(key: str, form: EditNodeForm):
    """Both texts side by side; the form keeps what was typed, now based on the saved version."""
    db.session.rollback()
    current = _node(key)
    form.version.data, form.version.raw_data = current.version, [str(current.version)]
    typed = SimpleNamespace(title=form.title.data or "", statement=form.statement.data or "")
    changes = textdiff.compare(current, typed)
    return render_template("nodes/conflict.html", form=form, node=current,
                           changes=changes), 409


@bp.route("/nodes/<key>/status", methods=["POST"])
@requires("workspace.view")
def status(key):
    node = _node(key)
    allow("node.edit", node)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    target = form.status.data
    allow("node.status", (node, target))
    live = [c for c in node.children if c.status != NodeStatus.RETIRED]
    if target == NodeStatus.RETIRED and live and form.confirm.data != "yes":
        return render_template("nodes/retire.html", node=node, live=live, form=form)
    try:
        ops.set_status(node, target)
    except Refusal as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"“{node.title}” is now {target}.", "success")
    return redirect(url_for("nodes.show", key=node.key))


@bp.route("/nodes/<key>/translate", methods=["POST"])
@requires("workspace.view")
def translate(key):
    parent = _node(key)
    form = TranslateForm()
    form.unit.choices = [SelectChoice(u.id, u.name) for u in _units()
                         if g.actor.belongs_to(u.id) and _below(u.id, parent.unit_id)]
    if not form.unit.choices:
        abort(403)
    if not form.validate_on_submit():
        flash("Choose one of your units and give the translation a title.", "error")
        return redirect(url_for("nodes.show", key=key))
    allow("node.translate", form.unit.data)
    try:
        child = ops.translate(g.workspace, parent, db.session.get(Unit, form.unit.data),
                              form.title.data.strip(), current_user)
    except Refusal as error:
        flash(error.message, "error")
        return redirect(url_for("nodes.show", key=key))
    db.session.commit()
    flash(f"Translation created for {child.unit.name}. Say what it means for your unit.",
          "success")
    return redirect(url_for("nodes.edit", key=child.key))


@bp.route("/nodes/<key>/confirm", methods=["POST"])
@requires("workspace.view")
def confirm(key):
    node = _node(key)
    allow("node.edit", node)
    if EmptyForm().validate_on_submit() and node.parent is not None:
        ops.confirm(node)
        db.session.commit()
        flash(f"Confirmed against revision {node.parent_revision_seen} of the parent.",
              "success")
    return redirect(url_for("nodes.show", key=key))


@bp.route("/nodes/<key>/links", methods=["POST"])
@requires("workspace.view")
def add_link(key):
    node = _node(key)
    allow("node.link", node)
    form = LinkForm()
    target = _by_key(form.target.data or "") if form.validate_on_submit() else None
    if target is None:
        flash("Pick an existing node to link to.", "error")
        return redirect(url_for("nodes.show", key=key, _anchor="links"))
    try:
        ops.add_link(node, target, form.kind.data)
    except Refusal as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"Linked to “{target.title}”.", "success")
    return redirect(url_for("nodes.show", key=key, _anchor="links"))


@bp.route("/nodes/<key>/links/<int:link_id>/delete", methods=["POST"])
@requires("workspace.view")
def remove_link(key, link_id):
    node = _node(key)
    allow("node.link", node)
    link = db.session.get(Link, link_id)
    if link is None or link.source_id != node.id or not EmptyForm().validate_on_submit():
        abort(404)
    ops.remove_link(link, node, link.target.key)
    db.session.commit()
    flash("Link removed.", "success")
    return redirect(url_for("nodes.show", key=key, _anchor="links"))


@bp.route("/nodes/<key>/move", methods=["POST"])
@requires("workspace.view")
def move(key):
    node = _node(key)
    allow("node.edit", node)
    form = MoveForm()
    wanted = (form.parent.data or "").strip() if form.validate_on_submit() else None
    parent = _by_key(wanted) if wanted else None
    if wanted is None or (wanted and parent is None):
        flash("No node has that key.", "error")
        return redirect(url_for("nodes.show", key=key))
    parent_of = dict(db.session.execute(sa.select(Node.id, Node.parent_id).where(
        Node.workspace_id == g.workspace.id)).all())
    try:
        ops.move(node, parent, parent_of)
    except Refusal as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("Moved.", "success")
    return redirect(url_for("nodes.show", key=key))

"""The strategy tree, node pages and authoring: create, translate, revise, link, move."""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from cascade import clock, trees
from cascade.access import allow, requires, workspace_blueprint
from cascade.db import committed, db
from cascade.findings.analysis import analysis_of
from cascade.forms import EmptyForm
from cascade.forms.agreements import RespondForm
from cascade.forms.measures import CheckInForm
from cascade.forms.nodes import (
    BulkStatusForm,
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
from cascade.horizons import HINT, period
from cascade.inputs import own_path
from cascade.measures.reading import node_measures
from cascade.models import Link, Node, NodeStatus, Note, NoteStatus, Unit
from cascade.organisation.settings import settings_for
from cascade.organisation.units import unit_tree
from cascade.refusals import Conflict, Refusal
from cascade.strategy import folding, impact, node_page
from cascade.strategy import operations as ops
from cascade.strategy.outline import UnitRow
from cascade.text.diff import compare
from cascade.views.load import link_by_id, node_by_key

bp = workspace_blueprint("nodes", __name__)


def _units() -> list[Unit]:
    query = sa.select(Unit).where(Unit.workspace_id == g.workspace.id, Unit.archived.is_(False))
    return list(db.session.scalars(query.order_by(Unit.name)))


def _choices(units, action: str) -> list[tuple[int, str]]:
    """The units the person may act in, in unit-tree order, indented by depth."""
    return [SelectChoice(u.id, "\u2003" * depth + u.name) for u, depth in unit_tree(units)
            if g.actor.can(action, u.id)]


def _page_number() -> int:
    """The `page` asked for: a number from 1 (nonsense reads as 1)."""
    return min(max(request.args.get("page", 1, type=int), 1), 100_000)


@bp.route("/nodes/")
@requires("node.view")
def tree():
    """The top levels of the strategy, folded below `depth`; or, filtered, a page of the
    matching nodes with the path to each (`strategy.folding`)."""
    analysis = analysis_of(g.workspace, clock.today())
    total, known_horizons = folding.workspace_counts(g.workspace.id)
    units = sorted((UnitRow(*row) for row in g.unit_rows),
                   key=lambda u: trees.unit_order(u.name, u.archived))
    form = StrategyFilterForm(formdata=request.args)
    form.offer(units, known_horizons)
    chosen = form.chosen()
    typed_unit = request.args.get("unit", "").strip()[:100]
    search = folding.Search(next((u.id for u in units if u.key == chosen["unit"]), None),
                            chosen["status"], chosen["q"], chosen["horizon"])
    if search:
        page = folding.matching(g.workspace.id, g.unit_rows, analysis, search, known_horizons,
                                _page_number())
    else:
        page = folding.top_levels(g.workspace.id, g.unit_rows, analysis, chosen["depth"],
                                  _page_number())
    filters = {name: value for name, value in chosen.items()
               if value and value != form[name].default}
    return render_template("nodes/tree.html", page=page, analysis=analysis, form=form,
                           total=total, searching=bool(search), depth=chosen["depth"],
                           filters=filters,
                           unknown_unit=typed_unit if typed_unit and not chosen["unit"] else "",
                           can_create=any(g.actor.can("node.create", u.id) for u in units))


@bp.route("/nodes/<key>/children")
@requires("node.view", load=node_by_key)
def children(node: Node):
    """A page of one node's children, each folded: a page of its own, or (`fragment`) the
    list items the tree inserts when the node is opened there."""
    analysis = analysis_of(g.workspace, clock.today())
    page = folding.children_page(g.workspace.id, g.unit_rows, analysis, node.id,
                                 _page_number())
    if request.args.get("fragment"):
        return render_template("nodes/_children.html", page=page)
    return render_template("nodes/children.html", page=page)


@bp.route("/nodes/search.json")
@requires("node.view")
def search():
    return jsonify(nodes=ops.search(g.workspace, request.args.get("q", "")[:100]))


@bp.route("/nodes/<key>")
@requires("node.view", load=node_by_key)
def show(node: Node):
    page = node_page.load(g.workspace, node, g.unit_rows)
    units = page.units
    translate = TranslateForm(title=node.title)
    targets = g.actor.translation_targets(node.unit_id)
    translate.unit.choices = [SelectChoice(u.id, u.name) for u in units if u.id in targets]
    note_form = NoteForm()
    note_form.unit.choices = [SelectChoice(u.id, u.name) for u in units if u.id in g.actor.roles]
    compare = RevisionsForm(formdata=request.args)
    compare.offer(page.revisions)
    chosen = compare.chosen()
    diff = page.diff(chosen["start"], chosen["end"])
    compare.showing(diff)
    measures = node_measures(node, clock.today(), settings_for(g.workspace).pace_tolerance)
    return render_template("nodes/show.html", page=page, node=node, entry=page.entry,
                           measures=measures, check_in_form=CheckInForm(),
                           respond=RespondForm(),
                           can_respond=g.actor.can("dependency.respond",
                                                   SimpleNamespace(target=node)),
                           translate=translate, note_form=note_form, link_form=LinkForm(),
                           move_form=MoveForm(), bulk=BulkStatusForm(), button=EmptyForm(),
                           reply=ReplyForm(),
                           compare=compare, diff=diff, transitions=ops.TRANSITIONS[node.status])


@bp.route("/nodes/new", methods=["GET", "POST"])
@requires("node.create")
def new():
    form = NodeForm()
    form.unit.choices = _choices(_units(), "node.create")
    if not form.unit.choices:  # leads only archived units
        abort(403)
    if request.method == "GET":
        form.parent.data = request.args.get("parent", "")
        form.unit.data = _default_unit(form.parent.data, [c.value for c in form.unit.choices])
    if form.validate_on_submit():
        parent = node_by_key(form.parent.data.strip()) if form.parent.data else None
        if form.parent.data and parent is None:
            form.parent.errors.append("No node has that key.")
        else:
            try:
                node = committed(lambda: ops.create_node(
                    g.workspace, db.session.get(Unit, form.unit.data), form.title.data.strip(),
                    current_user, statement=form.statement.data or "", parent=parent,
                    horizon=form.horizon.data, key=(form.key.data or "").strip()))
            except Refusal as error:
                error.show_on(form)
            else:
                flash(f"“{node.title}” created as a draft.", "success")
                _period_notice(form.horizon.data)
                if form.another.data:  # the next sibling, under the same parent
                    return redirect(url_for("nodes.new",
                                            parent=parent.key if parent else None))
                return redirect(url_for("nodes.show", key=node.key))
    return render_template("nodes/new.html", form=form)


def _period_notice(text: str | None) -> None:
    """A horizon is kept as typed; say so when it names no period (nothing can check it)."""
    if text and text.strip() and period(text) is None:
        flash(f"The horizon “{text.strip()}” is kept as written but names no period, so "
              f"measures and timing checks cannot use it. {HINT}", "warning")


def _default_unit(parent_key: str, allowed: list[int]) -> int:
    """The parent's own unit when the person may author there (a theme or objective beside
    it), else the highest unit they lead: never whichever unit sorts first."""
    parent = node_by_key(parent_key.strip()) if parent_key else None
    if parent is not None and parent.unit_id in allowed:
        return parent.unit_id
    return min(allowed, key=lambda unit_id: trees.depth(unit_id, g.actor.unit_parent))


@bp.route("/nodes/<key>/edit", methods=["GET", "POST"])
@requires("node.edit", load=node_by_key)
def edit(node: Node):
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
            return _conflict(node.key, form)
        except Refusal as error:
            error.show_on(form)
        else:
            flash(f"Saved as revision {node.revision}." if revised else "Saved.", "success")
            _period_notice(form.horizon.data)
            return redirect(url_for("nodes.show", key=node.key))
    return render_template("nodes/edit.html", form=form, node=node)


def _conflict(key: str, form: EditNodeForm):
    """Both texts side by side; the form keeps what was typed, now based on the saved version."""
    db.session.rollback()
    current = node_by_key(key)
    form.version.data, form.version.raw_data = current.version, [str(current.version)]
    typed = SimpleNamespace(title=form.title.data or "", statement=form.statement.data or "")
    changes = compare(current, typed)
    return render_template("nodes/conflict.html", form=form, node=current,
                           changes=changes), 409


@bp.route("/nodes/<key>/status", methods=["POST"])
@requires("node.edit", load=node_by_key)
def status(node: Node):
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    target = form.status.data
    allow("node.status", (node, target))
    live = [c for c in node.children if c.status != NodeStatus.RETIRED]
    if target == NodeStatus.RETIRED and form.confirm.data != "yes" \
            and (live or node.status == NodeStatus.AGREED):
        found = impact.of_retire(node, analysis_of(g.workspace, clock.today()))
        return render_template("nodes/retire.html", node=node, live=live, form=form,
                               impact=found)
    try:
        ops.set_status(node, target, by=current_user, now=clock.now())
    except Refusal as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"“{node.title}” is now {target}.", "success")
    return redirect(own_path(form.next.data) or url_for("nodes.show", key=node.key))


@bp.route("/nodes/<key>/children/status", methods=["POST"])
@requires("node.view", load=node_by_key)
def bulk_status(node: Node):
    """Move the ticked children one step; each is checked as if moved on its own, and the
    ones this person may not move (or that cannot take that step) are named."""
    form = BulkStatusForm()
    children = {c.key: c for c in node.children if c.status != NodeStatus.RETIRED}
    form.nodes.choices = [SelectChoice(k, c.title) for k, c in children.items()]
    if not form.validate_on_submit() or not form.nodes.data:
        flash("Tick the nodes to move and choose their new status.", "error")
        return redirect(url_for("nodes.show", key=node.key, _anchor="children-heading"))
    target, moved, refused = form.status.data, [], []
    for key in form.nodes.data:
        child = children[key]
        if not g.actor.can("node.status", (child, target)):
            refused.append(child.title)
            continue
        try:
            ops.set_status(child, target, by=current_user, now=clock.now())
        except Refusal:
            refused.append(child.title)
        else:
            moved.append(child.title)
    db.session.commit()
    if moved:
        flash(f"{len(moved)} now {target}: " + ", ".join(f"“{t}”" for t in moved) + ".",
              "success")
    if refused:
        flash(f"Not moved to {target} (not yours to move, or not that step): "
              + ", ".join(f"“{t}”" for t in refused) + ".", "warning")
    return redirect(url_for("nodes.show", key=node.key, _anchor="children-heading"))


@bp.route("/nodes/<key>/translate", methods=["POST"])
@requires("node.translate", load=node_by_key)
def translate(parent: Node):
    form = TranslateForm()
    targets = g.actor.translation_targets(parent.unit_id)
    form.unit.choices = [SelectChoice(u.id, u.name) for u in _units() if u.id in targets]
    if not form.validate_on_submit():
        flash("Choose one of your units and give the translation a title.", "error")
        return redirect(url_for("nodes.show", key=parent.key))
    try:
        child = committed(lambda: ops.translate(
            g.workspace, parent, db.session.get(Unit, form.unit.data), form.title.data.strip(),
            current_user, statement=(form.statement.data or "").strip()))
    except Refusal as error:
        flash(error.message, "error")
        return redirect(url_for("nodes.show", key=parent.key))
    if child.statement:
        flash(f"Translation created for {child.unit.name}, as a draft.", "success")
        return redirect(url_for("nodes.show", key=child.key))
    flash(f"Translation created for {child.unit.name}. Say what it means for your unit.",
          "success")
    return redirect(url_for("nodes.edit", key=child.key))


@bp.route("/nodes/<key>/confirm", methods=["POST"])
@requires("node.edit", load=node_by_key)
def confirm(node: Node):
    if EmptyForm().validate_on_submit() and node.parent is not None:
        ops.confirm(node, by=current_user)
        db.session.commit()
        flash(f"Confirmed against revision {node.parent_revision_seen} of the parent.",
              "success")
    return redirect(url_for("nodes.show", key=node.key))


@bp.route("/nodes/<key>/links", methods=["POST"])
@requires("node.link", load=node_by_key)
def add_link(node: Node):
    form = LinkForm()
    target = node_by_key((form.target.data or "").strip()) if form.validate_on_submit() else None
    if target is None:
        flash("Pick an existing node to link to.", "error")
        return redirect(url_for("nodes.show", key=node.key, _anchor="links"))
    try:
        ops.add_link(node, target, form.kind.data, by=current_user)
    except Refusal as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"Linked to “{target.title}”.", "success")
    return redirect(url_for("nodes.show", key=node.key, _anchor="links"))


@bp.route("/nodes/<key>/links/<int:link_id>/delete", methods=["POST"])
@requires("link.remove", load=link_by_id)
def remove_link(link: Link):
    node = link.source
    if not EmptyForm().validate_on_submit():
        abort(400)
    ops.remove_link(link, node, link.target.key, by=current_user)
    db.session.commit()
    flash("Link removed.", "success")
    return redirect(url_for("nodes.show", key=node.key, _anchor="links"))


@bp.route("/nodes/<key>/move", methods=["POST"])
@requires("node.edit", load=node_by_key)
def move(node: Node):
    form = MoveForm()
    wanted = (form.parent.data or "").strip() if form.validate_on_submit() else None
    parent = node_by_key(wanted) if wanted else None
    if wanted is None or (wanted and parent is None):
        flash("No node has that key.", "error")
        return redirect(url_for("nodes.show", key=node.key))
    parent_of = dict(db.session.execute(sa.select(Node.id, Node.parent_id).where(
        Node.workspace_id == g.workspace.id)).all())
    try:
        ops.move(node, parent, parent_of, by=current_user)
    except Refusal as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("Moved.", "success")
    return redirect(url_for("nodes.show", key=node.key))

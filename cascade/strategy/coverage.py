"""Who translated what: a node's children × the units below its unit, one cell each.

A cell says whether the unit (or a unit below it) has a live translation of the child, and
whether it is current or stale; whether the child still awaits the unit's translation; or
whether the unit declined it as not for them. Built from three levels of the outline (the
node, its children, their translations) plus two queries (declines, note counts): three
statements whatever the size of the workspace.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from cascade import trees
from cascade.db import db
from cascade.findings.snapshot import NODE_COLUMNS
from cascade.models import Decline, Node, NodeStatus, Note, Unit, Workspace
from cascade.strategy.outline import Entry, Strategy, UnitRow, assemble
from cascade.vocabulary import UNRESOLVED

# the states of a cell, in the order the legend lists them
STATES = {
    "translated": "translated, current",
    "stale": "translated, stale",
    "awaiting": "awaiting translation",
    "declined": "declined as not relevant",
    "not-yet": "not agreed yet",
}


@dataclass
class Cell:
    state: str
    translations: list[Entry] = field(default_factory=list)
    notes: int = 0  # unresolved notes on the translations, or from the unit on the child
    reason: str | None = None  # why the unit declined

    @property
    def label(self) -> str:
        return STATES[self.state]


@dataclass
class Row:
    entry: Entry
    cells: list[Cell]


@dataclass
class Matrix:
    node: Entry
    units: list[UnitRow]
    rows: list[Row]

    def count(self, state: str) -> int:
        return sum(c.state == state for r in self.rows for c in r.cells)


def units_below(strategy: Strategy, unit_id: int) -> list[UnitRow]:
    """The active sub-units of a unit, in the units' listing order."""
    return [u for u in strategy.unit_list() if u.parent_id == unit_id and not u.archived]


def build(strategy: Strategy, node: Entry, declines: dict, notes: dict) -> Matrix:
    """The matrix for `node` from the outline; `declines` maps (node id, unit id) to the
    reason, `notes` (node id, unit id or None) to unresolved note counts (`load_facts`)."""
    units = units_below(strategy, node.unit_id)
    parent_of = {u.id: u.parent_id for u in strategy.units.values()}
    on_node: dict[int, int] = defaultdict(int)
    by_unit: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (nid, uid), count in notes.items():
        on_node[nid] += count
        if uid is not None:
            by_unit[nid].append((uid, count))
    rows = []
    for child in node.live_children:
        cells = []
        for unit in units:
            mine = [t for t in child.live_children
                    if trees.within(t.unit_id, unit.id, parent_of)]
            heard = sum(count for uid, count in by_unit.get(child.id, ())
                        if trees.within(uid, unit.id, parent_of))
            heard += sum(on_node.get(t.id, 0) for t in mine)
            if mine:
                state = "stale" if all(t.stale for t in mine) else "translated"
            elif (child.id, unit.id) in declines:
                state = "declined"
            elif child.status == NodeStatus.AGREED:
                state = "awaiting"
            else:
                state = "not-yet"
            cells.append(Cell(state, mine, heard, declines.get((child.id, unit.id))))
        rows.append(Row(child, cells))
    return Matrix(node, units, rows)


def load_facts(ws: Workspace, nodes: list[Entry]) -> tuple[dict, dict]:
    """Declines of these nodes' children and unresolved note counts on the children and
    their translations: two queries."""
    ids = {c.id for n in nodes for c in n.live_children}
    ids |= {t.id for n in nodes for c in n.live_children for t in c.live_children}
    if not ids:
        return {}, {}
    declines = {(nid, uid): reason for nid, uid, reason in db.session.execute(
        sa.select(Decline.node_id, Decline.unit_id, Decline.reason).where(
            Decline.workspace_id == ws.id, Decline.node_id.in_(ids))).all()}
    notes = {(nid, uid): count for nid, uid, count in db.session.execute(
        sa.select(Note.node_id, Note.unit_id, sa.func.count()).where(
            Note.workspace_id == ws.id, Note.node_id.in_(ids), Note.status.in_(UNRESOLVED))
        .group_by(Note.node_id, Note.unit_id)).all()}
    return declines, notes


def three_levels(ws: Workspace, units, tops) -> Strategy:
    """The outline of the nodes `tops` (a condition on the node table) with their children
    and their children's children: what a matrix reads, in one statement."""
    node_t = Node.__table__
    top_ids = sa.select(node_t.c.id).where(tops, node_t.c.workspace_id == ws.id)
    child_ids = sa.select(node_t.c.id).where(node_t.c.parent_id.in_(top_ids))
    rows = db.session.connection().execute(
        sa.select(*NODE_COLUMNS).where(
            node_t.c.workspace_id == ws.id,
            sa.or_(node_t.c.id.in_(top_ids), node_t.c.parent_id.in_(top_ids),
                   node_t.c.parent_id.in_(child_ids)))
        .order_by(node_t.c.id)).all()
    return assemble(units, rows)


def coverage(ws: Workspace, node_id: int, units) -> Matrix:
    """The matrix of one node; `units` are the workspace's unit rows (the access layer's)."""
    strategy = three_levels(ws, units, Node.__table__.c.id == node_id)
    node = strategy.nodes[node_id]
    declines, notes = load_facts(ws, [node])
    return build(strategy, node, declines, notes)


def top_of_strategy(ws: Workspace, units) -> list[Matrix]:
    """The matrices of the strategy's top: each root node of a top unit with children."""
    node_t, unit_t = Node.__table__, Unit.__table__
    top_units = sa.select(unit_t.c.id).where(unit_t.c.workspace_id == ws.id,
                                              unit_t.c.parent_id.is_(None))
    strategy = three_levels(ws, units, sa.and_(node_t.c.parent_id.is_(None),
                                                node_t.c.unit_id.in_(top_units)))
    tops = [e for e in strategy.roots if e.unit is not None and e.unit.parent_id is None
            and e.live and e.live_children]
    declines, notes = load_facts(ws, tops)
    return [build(strategy, e, declines, notes) for e in sorted(tops, key=lambda e: e.title)]

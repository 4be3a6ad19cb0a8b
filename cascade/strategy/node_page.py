"""Everything the node page shows, assembled from a handful of queries.

`load` reads only what the page shows, whatever the size of the workspace: the node's links,
then in one statement the node, its path to the root (a recursive query), its children, the
link ends and their parents (whose revision says whether an end is stale); the findings of
this node come from its own row beside the stored analysis (`analysis.node_findings`), never
from loading the whole outline or the whole analysis. Revisions of the node and of its
parent come in one query, so staleness can be explained as a diff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade.db import db
from cascade.feedback.reading import KindGroup, group_by_kind, stance_counts
from cascade.findings.analysis import node_findings
from cascade.findings.snapshot import LINK_COLUMNS, NODE_COLUMNS
from cascade.models import Link, Node, NodeRevision, Note, Reply, Workspace
from cascade.strategy.outline import Entry, Strategy, UnitRow, assemble
from cascade.text.diff import compare
from cascade.vocabulary import UNRESOLVED


@dataclass
class NodePage:
    node: Node
    entry: Entry
    ancestors: list[Entry]
    children_by_unit: list[tuple[UnitRow, list[Entry]]]
    links: dict[str, list[tuple[int, Entry]]]
    revisions: list[NodeRevision]
    parent_revisions: list[NodeRevision]
    notes: list[Note]
    groups: list[KindGroup] = field(default_factory=list)
    agreements: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    """link id -> (agreement state, needed_by) for the depends_on links shown."""
    units: list[UnitRow] = field(default_factory=list)  # the workspace's, in outline order

    @property
    def signals(self) -> dict[str, int]:
        """Unanswered notes on this node per stance, for the header badges."""
        return stance_counts(n.stance for n in self.notes if n.status in UNRESOLVED)

    def revision(self, number: int) -> NodeRevision | None:
        return next((r for r in self.revisions if r.revision == number), None)

    def parent_change(self) -> dict | None:
        """What changed in the parent since this translation was last confirmed."""
        seen = self.entry.parent_revision_seen
        if not self.entry.stale or seen is None:
            return None
        by_number = {r.revision: r for r in self.parent_revisions}
        old, new = by_number.get(seen), by_number.get(self.entry.parent.revision)
        if old is None or new is None:
            return {"from": seen, "to": self.entry.parent.revision, "diff": None}
        return {"from": seen, "to": new.revision, "diff": compare(old, new)}

    def diff(self, a: int | None, b: int | None) -> dict | None:
        """The change from revision a to b; by default the latest change."""
        b = b or self.entry.revision
        a = a or b - 1
        old, new = self.revision(a), self.revision(b)
        if old is None or new is None or a == b:
            return None
        return {"from": a, "to": b, "diff": compare(old, new)}


def load(ws: Workspace, node: Node, units) -> NodePage:
    """The page of `node` from its neighbourhood only; `units` are the workspace's unit rows
    (`findings.snapshot.unit_rows`, which the access layer holds)."""
    strategy = neighbourhood(ws, node, units)
    strategy.nodes[node.id].findings = node_findings(ws, node.key)
    return build(node, strategy)


def neighbourhood(ws: Workspace, node: Node, units) -> Strategy:
    """An outline holding the node, its ancestors, children, link ends and the ends' parents,
    wired as `outline.load_strategy` wires the whole one, with the node's links: two
    statements at any size, each part of them on an index."""
    connection = db.session.connection()
    link_query, node_query = _statements()
    links = sorted(connection.execute(link_query, {"node_id": node.id}).all())
    ends = sorted({row[1] for row in links} | {row[2] for row in links})
    width = len(NODE_COLUMNS)  # the workspace comes last, checked here (see `_statements`)
    rows = {row[0]: row[:width] for row in connection.execute(node_query, {
        "node_id": node.id, "parent_id": node.parent_id, "ends": ends})
        if row[width] == ws.id}
    return assemble(units, [rows[i] for i in sorted(rows)], links=list(links))


@cache
def _statements() -> tuple:
    """The two statements of `neighbourhood`, built once (their parameters bound per page)."""
    link_t, node_t = Link.__table__, Node.__table__
    node_id = sa.bindparam("node_id", type_=sa.Integer)
    links = sa.union_all(
        sa.select(*LINK_COLUMNS).where(link_t.c.source_id == node_id),
        sa.select(*LINK_COLUMNS).where(link_t.c.target_id == node_id,
                                       link_t.c.source_id != node_id))
    up = node_t.alias("up")
    path = sa.select(node_t.c.id, node_t.c.parent_id).where(
        node_t.c.id == sa.bindparam("parent_id", type_=sa.Integer)).cte("path", recursive=True)
    path = path.union(sa.select(up.c.id, up.c.parent_id).join(path, up.c.id == path.c.parent_id))
    ends = sa.bindparam("ends", expanding=True, type_=sa.Integer)
    parts = (node_t.c.id == node_id, node_t.c.parent_id == node_id,
             node_t.c.id.in_(sa.select(path.c.id)), node_t.c.id.in_(ends),
             node_t.c.id.in_(sa.select(up.c.parent_id).where(up.c.id.in_(ends))))
    # the workspace is checked on the rows rather than in SQL: with it in the WHERE, SQLite
    # answers the IN parts by scanning the workspace's index (every node) instead of the key
    return links, sa.union_all(*(sa.select(*NODE_COLUMNS, node_t.c.workspace_id).where(part)
                                 for part in parts))


def build(node: Node, strategy: Strategy) -> NodePage:
    """The page from an outline holding at least the node's neighbourhood and its links."""
    entry = strategy.by_key[node.key]
    wanted = [node.id] + ([entry.parent_id] if entry.parent_id else [])
    revisions = list(db.session.scalars(
        sa.select(NodeRevision).where(NodeRevision.node_id.in_(wanted))
        .options(joinedload(NodeRevision.author)).order_by(NodeRevision.revision)))
    notes = list(db.session.scalars(
        sa.select(Note).where(Note.node_id == node.id)
        .options(joinedload(Note.author), joinedload(Note.unit),
                 joinedload(Note.responded_by),
                 joinedload(Note.replies).joinedload(Reply.author))
        .order_by(Note.created_at)).unique())
    return NodePage(
        node=node, entry=entry, ancestors=strategy.ancestors(entry),
        children_by_unit=_by_unit(entry.children), links=_links(node, strategy),
        revisions=[r for r in revisions if r.node_id == node.id],
        parent_revisions=[r for r in revisions if r.node_id != node.id],
        notes=notes, groups=group_by_kind(notes),
        agreements={link_id: (state, needed_by)
                    for link_id, source, target, kind, state, _, needed_by in strategy.links
                    if kind == "depends_on" and node.id in (source, target)},
        units=strategy.unit_list())


def _by_unit(children: list[Entry]) -> list[tuple[UnitRow, list[Entry]]]:
    grouped: dict[int, list[Entry]] = {}
    for child in children:
        grouped.setdefault(child.unit_id, []).append(child)
    return sorted(((kids[0].unit, kids) for kids in grouped.values()),
                  key=lambda pair: pair[0].name.lower())


def _links(node: Node, strategy: Strategy) -> dict[str, list[tuple[int, Entry]]]:
    """Both directions: what this node depends on / serves, and who depends on / serves it
    (from the workspace's link rows the analysed outline already holds)."""
    out = {"depends_on": [], "contributes_to": [], "needed_by": [], "served_by": []}
    incoming = {"depends_on": "needed_by", "contributes_to": "served_by"}
    for link_id, source, target, kind, *_ in strategy.links:
        if node.id not in (source, target):
            continue
        if source == node.id:
            out[str(kind)].append((link_id, strategy.nodes[target]))
        else:
            out[incoming[str(kind)]].append((link_id, strategy.nodes[source]))
    return out

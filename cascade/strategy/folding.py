"""The strategy tree a page at a time: its top levels, one node's children, or the nodes a
search finds with the path to each — never the whole outline.

A page holds a bounded number of rows whatever the size of the workspace: children come a
page at a time per parent (`CHILDREN_PAGE`), the levels opened by default stop before one
would pass `BUDGET` rows, and search results come `MATCHES_PAGE` at a time. A folded node
says how many nodes it hides and how many open findings lie below it, with the worst
severity (worked out once per stored analysis, `findings_below`), so folding hides
nothing bad. Each page runs a fixed few statements: one per level opened, and one each for
the paths, the child counts, the counts below and the note signals of the rows shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from cascade import horizons, trees
from cascade.allocation import paused_gc
from cascade.coherence import model as m
from cascade.db import db, lowered
from cascade.findings import snapshot
from cascade.findings.analysis import Analysis
from cascade.models import Node, Note
from cascade.strategy.outline import Entry, UnitRow
from cascade.vocabulary import UNRESOLVED

CHILDREN_PAGE = 50  # children shown at once under one parent (and top nodes on a page)
BUDGET = 300  # rows the levels opened by default may reach before the next level stays folded
DEPTH = 3  # levels shown by default: the last of them folded
MAX_DEPTH = 6
MATCHES_PAGE = 50

node_t, note_t = Node.__table__, Note.__table__


def _text(column):
    """An enum column's stored value, as a plain string."""
    return sa.type_coerce(column, sa.String)


COLUMNS = snapshot.NODE_COLUMNS


@dataclass(eq=False)
class Shown(Entry):
    """A node on a tree page: `children` are those shown, `children_total` all of them."""

    children_total: int = 0
    rank: int = 0  # place among its siblings, from 1 (id order)
    paged: bool = True  # the children shown are the first ones, not a search's path
    below: int = 0  # nodes below it, counted for a folded node (`below_each`)
    below_findings: dict[str, int] = field(default_factory=dict)  # open ones per severity
    match: bool = False

    @property
    def folded(self) -> bool:
        return self.children_total > 0 and not self.children

    @property
    def hidden_children(self) -> int:
        return self.children_total - len(self.children)

    @property
    def next_batch(self) -> int:
        return min(self.hidden_children, CHILDREN_PAGE)

    @property
    def below_worst(self) -> str | None:
        return next((s for s in m.SEVERITIES if self.below_findings.get(s)), None)

    @property
    def below_open(self) -> int:
        return sum(self.below_findings.values())

    @property
    def below_summary(self) -> str:
        """"2 high, 5 medium": the open findings below, worst first."""
        return ", ".join(f"{self.below_findings[s]} {s}" for s in m.SEVERITIES
                         if self.below_findings.get(s))


@dataclass
class Page:
    """What a tree page shows: its top rows (each with the children shown under it)."""

    roots: list[Shown]
    total: int = 0  # of the list paged here: top nodes, one node's children, or matches
    page: int = 1
    size: int = CHILDREN_PAGE
    path: list[Shown] = field(default_factory=list)  # above the node whose children these are

    @property
    def first(self) -> int:
        return (self.page - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.size)

    @property
    def more(self) -> bool:
        return self.page * self.size < self.total

    @property
    def next_batch(self) -> int:
        return min(self.total - self.last, self.size)


def _rows(statement) -> list:
    return db.session.connection().execute(statement).all()


def workspace_counts(ws_id: int) -> tuple[int, list[str]]:
    """How many nodes the workspace has, and its distinct horizons: one grouped query."""
    rows = _rows(sa.select(node_t.c.horizon, sa.func.count()).where(
        node_t.c.workspace_id == ws_id).group_by(node_t.c.horizon))
    return sum(n for _, n in rows), [h for h, _ in rows if h]


def _children(ws_id: int, parents: list[int] | None, start: int, stop: int, limit: int) -> list:
    """Children ranked `start` < rank <= `stop` under each of `parents` (None: the top
    nodes), at most `limit` rows, each with its rank and how many siblings it has."""
    rank = sa.func.row_number().over(partition_by=node_t.c.parent_id, order_by=node_t.c.id)
    siblings = sa.func.count().over(partition_by=node_t.c.parent_id)
    under = (node_t.c.parent_id.is_(None) if parents is None
             else node_t.c.parent_id.in_(parents))
    ranked = sa.select(*COLUMNS, rank.label("rank"), siblings.label("siblings")).where(
        node_t.c.workspace_id == ws_id, under).subquery()
    return _rows(sa.select(ranked).where(ranked.c.rank > start, ranked.c.rank <= stop)
                 .order_by(ranked.c.parent_id, ranked.c.rank).limit(limit))


def _path_rows(ws_id: int, ids: list[int]) -> list:
    """The nodes `ids` and every node above them (a loop ends the walk)."""
    seed = sa.select(node_t.c.id).where(node_t.c.workspace_id == ws_id, node_t.c.id.in_(ids))
    up = seed.cte("up", recursive=True)
    up = up.union(sa.select(node_t.c.parent_id).join(up, node_t.c.id == up.c.id)
                  .where(node_t.c.parent_id.is_not(None)))
    return _rows(sa.select(*COLUMNS, sa.literal(0), sa.null())
                 .where(node_t.c.id.in_(sa.select(up.c.id))))


def _child_counts(ids: list[int]) -> dict[int, int]:
    return dict(_rows(sa.select(node_t.c.parent_id, sa.func.count())
                      .where(node_t.c.parent_id.in_(ids)).group_by(node_t.c.parent_id)))


def _signals(ids: list[int]) -> dict[int, dict[str, int]]:
    """Unresolved notes per stance of each node in `ids`."""
    found: dict[int, dict[str, int]] = {}
    for node_id, stance, count in _rows(
            sa.select(note_t.c.node_id, _text(note_t.c.stance),
                      sa.func.count())
            .where(note_t.c.node_id.in_(ids),  # the nodes are the workspace's: by its index
                   _text(note_t.c.status).in_([s.value for s in UNRESOLVED]))
            .group_by(note_t.c.node_id, note_t.c.stance)):
        found.setdefault(node_id, {})[stance] = count
    return found


@dataclass
class Below:
    """What lies strictly below one node in the analysed version: how many nodes, and the
    open findings that involve any of them per severity (each finding counted once)."""

    nodes: int = 0
    findings: dict[str, int] = field(default_factory=dict)


def below_each(analysis: Analysis) -> dict[str, Below]:
    """`Below` for every node with something below it, worked out once per analysis and
    kept with it for every page: sums carried up the tree from the deepest level (nodes in
    a loop, which no top reaches, have none), each finding counted once at a node even
    when it involves several nodes below it."""
    found = analysis.derived.get("tree_below")
    if found is None:
        with paused_gc():  # many small objects: the collector would walk the analysis too
            found = analysis.derived["tree_below"] = _below_each(analysis)
    return found


def _below_each(analysis: Analysis) -> dict[str, Below]:
    parent = {n.key: n.parent for n in analysis.snapshot.nodes}
    kids = trees.children_of(parent)
    order = list(kids.get(None, ()))  # top down, a level after another
    for key in order:
        order.extend(kids.get(key, ()))
    severity = {s: i for i, s in enumerate(m.SEVERITIES)}
    nodes = dict.fromkeys(order, 1)  # the node and those below it
    within = {key: [0] * len(severity) for key in order}  # findings at the node or below
    shared = []  # findings of several nodes: counted once per node above any of them
    for finding in analysis.open_findings:
        if len(finding.nodes) == 1:
            if (counts := within.get(finding.nodes[0])) is not None:
                counts[severity[finding.severity]] += 1
        else:
            shared.append(finding)
    for key in reversed(order):
        up = parent.get(key)
        if up in nodes:
            nodes[up] += nodes[key]
            above = within[up]
            for i, n in enumerate(within[key]):
                above[i] += n
    found = {}
    for key in order:
        children = kids.get(key, ())
        if children:
            counts = [sum(within[c][i] for c in children) for i in range(len(severity))]
            found[key] = Below(nodes[key] - 1, {s: counts[i] for s, i in severity.items()
                                                if counts[i]})
    for finding in shared:
        above: set[str] = set()
        for key in finding.nodes:
            above.update(trees.ancestors(key, parent))
        for key in above & found.keys():
            counts = found[key].findings
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return found


class _Builder:
    """Rows into linked `Shown` entries, then the counts, signals and findings of those."""

    def __init__(self, ws_id: int, units: list, analysis: Analysis):
        self.ws_id = ws_id
        self.units = {row[0]: UnitRow(*row) for row in units}
        self.analysis = analysis
        self.shown: dict[int, Shown] = {}
        self.children: dict[int | None, int] = {}  # children counted with a page of them

    def add(self, rows) -> list[Shown]:
        added = []
        for *columns, rank, siblings in rows:
            entry = self.shown.get(columns[0])
            if entry is None:
                entry = self.shown[columns[0]] = Shown(*columns, rank=rank)
                entry.unit = self.units.get(entry.unit_id)
            if siblings is not None:
                self.children[entry.parent_id] = siblings
            added.append(entry)
        return added

    def finish(self, folded: list[Shown]) -> None:
        """Link the shown rows, then count what lies under them; `folded` are the rows
        whose children stay hidden (their counts below are worth a query)."""
        for entry in sorted(self.shown.values(), key=lambda e: (e.rank, e.id)):
            parent = self.shown.get(entry.parent_id)
            if parent is not None and entry.parent is None:
                entry.parent = parent
                parent.children.append(entry)
        ids = list(self.shown)
        if not ids:
            return
        children = self.children | _child_counts([i for i in ids if i not in self.children])
        signals = _signals(ids)
        by_node = self.analysis.by_node
        for entry in self.shown.values():
            entry.children_total = children.get(entry.id, 0)
            entry.signals = signals.get(entry.id, {})
            entry.findings = by_node.get(entry.key, [])
        below = below_each(self.analysis)
        for entry in folded:
            if entry.folded and (found := below.get(entry.key)) is not None:
                # the analysed version may not hold a child made since: never fewer
                entry.below = max(found.nodes, entry.children_total)
                entry.below_findings = found.findings

    def roots(self) -> list[Shown]:
        return sorted((e for e in self.shown.values() if e.parent is None),
                      key=lambda e: (e.rank, e.id))


def top_levels(ws_id: int, units: list, analysis: Analysis, depth: int = DEPTH,
               page: int = 1) -> Page:
    """The top nodes (a page of them) and the levels below, down to `depth` levels shown,
    the last one folded; a level that would pass `BUDGET` rows stays folded too."""
    build = _Builder(ws_id, units, analysis)
    start = (page - 1) * CHILDREN_PAGE
    level = build.add(_children(ws_id, None, start, start + CHILDREN_PAGE, CHILDREN_PAGE))
    for _ in range(1, depth):
        if not level:
            break
        room = BUDGET - len(build.shown)
        rows = _children(ws_id, [e.id for e in level], 0, CHILDREN_PAGE, room + 1)
        if len(rows) > room:
            break
        level = build.add(rows)
    build.finish(folded=level)
    roots_total = build.children.get(None)
    if roots_total is None:  # none on this page: is it past the end, or is there none?
        roots_total = _rows(sa.select(sa.func.count()).where(
            node_t.c.workspace_id == ws_id, node_t.c.parent_id.is_(None)))[0][0]
    return Page(build.roots(), total=roots_total, page=page)


def children_page(ws_id: int, units: list, analysis: Analysis, node_id: int,
                  page: int = 1) -> Page:
    """One node's children, a page of them, each folded, under the path to the node."""
    build = _Builder(ws_id, units, analysis)
    build.add(_path_rows(ws_id, [node_id]))
    start = (page - 1) * CHILDREN_PAGE
    children = build.add(_children(ws_id, [node_id], start, start + CHILDREN_PAGE,
                                   CHILDREN_PAGE))
    build.finish(folded=children)
    node = build.shown[node_id]
    path = [build.shown[i] for i in reversed(trees.ancestors(node_id, {
        e.id: e.parent_id for e in build.shown.values()})) if i in build.shown]
    return Page([node], total=node.children_total, page=page, path=path)


@dataclass
class Search:
    unit_id: int | None = None
    status: str = ""
    text: str = ""
    horizon: str = ""

    def __bool__(self) -> bool:
        return bool(self.unit_id is not None or self.status or self.text.strip()
                    or self.horizon)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching(ws_id: int, units: list, analysis: Analysis, search: Search,
             known_horizons: list[str], page: int = 1) -> Page:
    """A page of the nodes that match, in the tree, under the path to each; each match
    folded. A horizon matches nodes of that horizon or of a period inside it."""
    where = [node_t.c.workspace_id == ws_id]
    if search.unit_id is not None:
        where.append(node_t.c.unit_id == search.unit_id)
    if search.status:
        where.append(_text(node_t.c.status) == search.status)
    if search.horizon:
        where.append(node_t.c.horizon.in_(
            [h for h in known_horizons if horizons.matches(h, search.horizon)]))
    if needle := search.text.strip().lower():
        pattern = _like(needle)
        where.append(sa.or_(lowered(node_t.c.title).like(pattern, escape="\\"),
                            node_t.c.key.like(pattern, escape="\\")))
    rows = _rows(sa.select(node_t.c.id, sa.func.count().over()).where(*where)
                 .order_by(node_t.c.id).offset((page - 1) * MATCHES_PAGE).limit(MATCHES_PAGE))
    total = rows[0][1] if rows else 0
    if not rows and page > 1:  # past the end (an old link): the count still says how many
        total = _rows(sa.select(sa.func.count()).where(*where))[0][0]
    build = _Builder(ws_id, units, analysis)
    ids = [node_id for node_id, _ in rows]
    if ids:
        build.add(_path_rows(ws_id, ids))
    matches = [build.shown[i] for i in ids]
    for entry in matches:
        entry.match = True
    build.finish(folded=matches)
    for entry in build.shown.values():
        entry.paged = False
    return Page(build.roots(), total=total, page=page, size=MATCHES_PAGE)

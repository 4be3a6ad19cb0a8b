"""The whole strategy of a workspace as one outline, loaded in a fixed number of queries.

Pages that need the whole tree (node page, inbox) read column rows once and assemble it in
Python, so their query count is the same at 50 and at 2,000 nodes. The tree page reads only
what it shows (`strategy.folding`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from cascade import trees
from cascade.coherence import definitions
from cascade.coherence import model as m
from cascade.findings import snapshot
from cascade.findings.analysis import Analysis, analysis_of
from cascade.models import NodeStatus, Workspace
from cascade.vocabulary import UNRESOLVED


@dataclass(eq=False)
class UnitRow:
    id: int
    key: str
    name: str
    parent_id: int | None
    archived: bool


@dataclass(eq=False)
class Entry:
    """One node as the outline shows it, with links to its parent and children."""

    id: int
    key: str
    title: str
    unit_id: int
    parent_id: int | None
    status: str
    revision: int
    parent_revision_seen: int | None
    horizon: str | None
    agreed_at: datetime | None = None
    unit: UnitRow | None = None
    parent: Entry | None = None
    children: list[Entry] = field(default_factory=list)
    signals: dict[str, int] = field(default_factory=dict)  # unresolved notes per stance
    findings: list[m.Finding] = field(default_factory=list)

    @property
    def live(self) -> bool:
        """Takes part in the analysis: not retired, in a unit that is not archived."""
        return definitions.live(self.status, self.unit is not None and not self.unit.archived)

    @property
    def stale(self) -> bool:
        """The engine's definition (`coherence.definitions.stale`), as the tree shows it."""
        parent = self.parent
        return parent is not None and definitions.stale(
            self.parent_revision_seen, parent.revision, node_live=self.live,
            parent_live=parent.live)

    @property
    def live_children(self) -> list[Entry]:
        return [c for c in self.children if c.status != NodeStatus.RETIRED]

    @property
    def is_translation(self) -> bool:
        return self.parent is not None and self.parent.unit_id != self.unit_id

    @property
    def open_findings(self) -> list[m.Finding]:
        return [f for f in self.findings if not f.acknowledged]

    @property
    def worst_severity(self) -> str | None:
        for severity in m.SEVERITIES:
            if any(f.severity == severity for f in self.open_findings):
                return severity
        return None


@dataclass
class Strategy:
    units: dict[int, UnitRow]
    nodes: dict[int, Entry]
    analysis: Analysis | None = None
    rows: tuple = ((), ())  # the unit and node rows it was built from, for the snapshot
    links: list | None = None  # (id, source_id, target_id, kind), once loaded

    def __post_init__(self):
        self.by_key = {e.key: e for e in self.nodes.values()}
        self.parent_of = {i: e.parent_id for i, e in self.nodes.items()}
        self.roots = [e for e in self.nodes.values() if e.parent is None]

    def get(self, key: str) -> Entry | None:
        return self.by_key.get(key)

    def ancestors(self, entry: Entry) -> list[Entry]:
        """From the root down to the entry's parent (a broken loop stops the walk)."""
        return [self.nodes[i] for i in reversed(trees.ancestors(entry.id, self.parent_of))
                if i in self.nodes]

    def unit_list(self) -> list[UnitRow]:
        return sorted(self.units.values(), key=lambda u: trees.unit_order(u.name, u.archived))


def load_strategy(ws: Workspace, units=None) -> Strategy:
    """Units and nodes as an outline: two queries whatever the size, one when the caller
    already holds the unit rows (the access layer loads them for every workspace page)."""
    units = snapshot.unit_rows(ws) if units is None else units
    nodes = snapshot.node_rows(ws)
    strategy = assemble(units, nodes)
    strategy.rows = (units, nodes)
    return strategy


def assemble(units, nodes, links: list | None = None) -> Strategy:
    """An outline of the unit and node rows given (`snapshot.NODE_COLUMNS`): all of them,
    or the part of the tree a page reads."""
    unit_map = {row[0]: UnitRow(*row) for row in units}
    entries = {row[0]: Entry(*row) for row in nodes}
    for entry in entries.values():
        entry.unit = unit_map.get(entry.unit_id)
        entry.parent = entries.get(entry.parent_id)
        if entry.parent is not None:
            entry.parent.children.append(entry)
    return Strategy(units=unit_map, nodes=entries, links=links)


def load_analysed(ws: Workspace, as_of: date, units=None) -> Strategy:
    """The outline plus the workspace's analysis (`analysis_of`, built from these same rows
    when it is not kept yet) and per-node note signals."""
    strategy = load_strategy(ws, units)
    strategy.links = snapshot.link_rows(ws)
    analysis = analysis_of(ws, as_of, rows=(*strategy.rows, strategy.links))
    for entry in strategy.nodes.values():
        entry.findings = analysis.by_node.get(entry.key, [])
    for note in analysis.snapshot.notes:
        if note.status in UNRESOLVED:
            signals = strategy.by_key[note.node].signals
            signals[note.stance] = signals.get(note.stance, 0) + 1
    strategy.analysis = analysis
    return strategy

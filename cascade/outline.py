"""The whole strategy of a workspace as one outline, loaded in a fixed number of queries.

Pages that show many nodes (tree, node page, inbox) read column rows once and assemble the
tree in Python, so their query count is the same at 50 and at 2,000 nodes. The tree page
also analyses these same rows with the coherence engine instead of loading them twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from cascade import coherence
from cascade.analysis import Analysis, settings_for
from cascade.coherence import model as m
from cascade.db import db
from cascade.models import (
    Acknowledgement,
    Link,
    Node,
    NodeStatus,
    Note,
    NoteStatus,
    Pulse,
    PulseAnswer,
    PulseStatement,
    Unit,
    Workspace,
)

UNRESOLVED = (NoteStatus.OPEN, NoteStatus.ACKNOWLEDGED)


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
    unit: UnitRow | None = None
    parent: Entry | None = None
    children: list[Entry] = field(default_factory=list)
    signals: dict[str, int] = field(default_factory=dict)  # unresolved notes per stance
    findings: list[m.Finding] = field(default_factory=list)

    @property
    def stale(self) -> bool:
        """Same rule as `Node.is_stale`: the parent moved on since the last confirmation."""
        parent = self.parent
        return (parent is not None and parent.status != NodeStatus.RETIRED
                and self.parent_revision_seen is not None
                and self.parent_revision_seen < parent.revision)

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

    def __post_init__(self):
        self.by_key = {e.key: e for e in self.nodes.values()}
        self.roots = [e for e in self.nodes.values() if e.parent is None]

    def get(self, key: str) -> Entry | None:
        return self.by_key.get(key)

    def ancestors(self, entry: Entry) -> list[Entry]:
        """From the root down to the entry's parent (a broken loop stops the walk)."""
        chain, seen, current = [], {entry.id}, entry.parent
        while current is not None and current.id not in seen:
            chain.append(current)
            seen.add(current.id)
            current = current.parent
        return chain[::-1]

    def descendants(self, entry: Entry) -> list[Entry]:
        out, stack, seen = [], list(entry.children), {entry.id}
        while stack:
            current = stack.pop()
            if current.id not in seen:
                seen.add(current.id)
                out.append(current)
                stack.extend(current.children)
        return out

    def unit_list(self) -> list[UnitRow]:
        return sorted(self.units.values(), key=lambda u: (u.archived, u.name.lower()))


def load_strategy(ws: Workspace) -> Strategy:
    """Units and nodes as an outline: two queries whatever the size."""
    units = {row.id: UnitRow(*row) for row in db.session.execute(
        sa.select(Unit.id, Unit.key, Unit.name, Unit.parent_id, Unit.archived)
        .where(Unit.workspace_id == ws.id))}
    nodes = {row.id: Entry(*row) for row in db.session.execute(
        sa.select(Node.id, Node.key, Node.title, Node.unit_id, Node.parent_id, Node.status,
                  Node.revision, Node.parent_revision_seen, Node.horizon)
        .where(Node.workspace_id == ws.id).order_by(Node.id))}
    for entry in nodes.values():
        entry.status = str(entry.status)
        entry.unit = units.get(entry.unit_id)
        entry.parent = nodes.get(entry.parent_id)
        if entry.parent is not None:
            entry.parent.children.append(entry)
    return Strategy(units=units, nodes=nodes)


def load_analysed(ws: Workspace, as_of=None) -> Strategy:
    """The outline plus the coherence analysis and per-node note signals (six queries)."""
    from datetime import UTC, datetime

    strategy = load_strategy(ws)
    snapshot = _snapshot(ws, strategy)
    as_of = as_of or datetime.now(UTC).date()
    settings = settings_for(ws)
    found = coherence.analyse(snapshot, as_of, settings)
    analysis = Analysis(snapshot=snapshot, as_of=as_of, settings=settings, findings=found,
                        score=coherence.score(snapshot, found, settings))
    for finding in found:
        for key in finding.nodes:
            analysis.by_node.setdefault(key, []).append(finding)
        for key in finding.units:
            analysis.by_unit.setdefault(key, []).append(finding)
    for entry in strategy.nodes.values():
        entry.findings = analysis.by_node.get(entry.key, [])
    for note in snapshot.notes:
        if note.status in UNRESOLVED:
            signals = strategy.by_key[note.node].signals
            signals[note.stance] = signals.get(note.stance, 0) + 1
    strategy.analysis = analysis
    return strategy


def _snapshot(ws: Workspace, strategy: Strategy) -> m.Snapshot:
    """The same Snapshot `cascade.snapshot` builds, from rows this module already holds."""
    ukey = {u.id: u.key for u in strategy.units.values()}
    nkey = {e.id: e.key for e in strategy.nodes.values()}
    links: dict[tuple[int, str], list[str]] = {}
    for source, target, kind in db.session.execute(
            sa.select(Link.source_id, Link.target_id, Link.kind)
            .where(Link.workspace_id == ws.id).order_by(Link.id)):
        links.setdefault((source, str(kind)), []).append(nkey[target])
    notes = tuple(
        m.Note(id=str(nid), node=nkey[node], kind=str(kind), stance=str(stance),
               unit=ukey.get(unit), status=str(status), created_at=created, response=response)
        for nid, node, kind, stance, unit, status, created, response in db.session.execute(
            sa.select(Note.id, Note.node_id, Note.kind, Note.stance, Note.unit_id, Note.status,
                      Note.created_at, Note.response).where(Note.workspace_id == ws.id)))
    return m.Snapshot(
        workspace=ws.slug,
        units=tuple(m.Unit(key=u.key, name=u.name, parent=ukey.get(u.parent_id),
                           archived=u.archived) for u in strategy.units.values()),
        nodes=tuple(m.Node(key=e.key, title=e.title, unit=ukey[e.unit_id],
                           parent=nkey.get(e.parent_id), status=e.status, revision=e.revision,
                           parent_revision_seen=e.parent_revision_seen,
                           depends_on=tuple(links.get((e.id, "depends_on"), ())),
                           contributes_to=tuple(links.get((e.id, "contributes_to"), ())))
                    for e in strategy.nodes.values()),
        notes=notes,
        statements=_statements(ws, nkey, ukey),
        acknowledged=frozenset(db.session.scalars(
            sa.select(Acknowledgement.fingerprint).where(Acknowledgement.workspace_id == ws.id))),
    )


def _statements(ws: Workspace, nkey, ukey) -> tuple[m.Statement, ...]:
    """Pulse statements with their answers in one outer-joined query."""
    found: dict[int, tuple[str, str, str | None, list[m.Answer]]] = {}
    for sid, pulse, text, node_id, pulse_node, unit_id, value in db.session.execute(
            sa.select(PulseStatement.id, Pulse.key, PulseStatement.text, PulseStatement.node_id,
                      Pulse.node_id, PulseAnswer.unit_id, PulseAnswer.value)
            .join(Pulse, Pulse.id == PulseStatement.pulse_id)
            .outerjoin(PulseAnswer, PulseAnswer.statement_id == PulseStatement.id)
            .where(Pulse.workspace_id == ws.id).order_by(PulseStatement.id, PulseAnswer.id)):
        record = found.setdefault(sid, (pulse, text, nkey.get(node_id or pulse_node), []))
        if value is not None:
            record[3].append(m.Answer(unit=ukey[unit_id], value=value))
    return tuple(m.Statement(pulse=p, text=t, node=n, answers=tuple(a))
                 for p, t, n, a in found.values())


def filter_outline(strategy: Strategy, unit: str = "", status: str = "",
                   text: str = "") -> tuple[set[int], set[int]] | None:
    """The matching nodes and every node on their path to a root; None when not filtering."""
    if not (unit or status or text):
        return None
    needle = text.strip().lower()
    matches = {e.id for e in strategy.nodes.values()
               if (not unit or (e.unit and e.unit.key == unit))
               and (not status or e.status == status)
               and (not needle or needle in e.title.lower() or needle in e.key)}
    visible = set(matches)
    for node_id in matches:
        visible.update(a.id for a in strategy.ancestors(strategy.nodes[node_id]))
    return matches, visible

"""What archiving a unit or retiring a node would change, counted for its confirmation.

Read from the workspace's kept analysis (`findings.analysis.analysis_of`) plus a few counting
queries, so a confirmation never runs the engine again."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from cascade.coherence import Analysis
from cascade.db import db
from cascade.models import Membership, Node, NodeStatus, Note, Unit
from cascade.vocabulary import UNRESOLVED


@dataclass(frozen=True)
class Impact:
    people: int  # people holding a role in the units concerned
    nodes: int  # live nodes that leave the analysis
    orphaned: int  # live nodes left under a retired parent
    findings: int  # open findings about them, which go away or change
    acknowledgements: int  # acknowledged findings about them, which stop applying
    notes: int  # notes on them still waiting for their owners' final word

    @property
    def anything(self) -> bool:
        return any((self.people, self.nodes, self.orphaned, self.findings,
                    self.acknowledgements, self.notes))


def _about(analysis: Analysis, nodes: set[str], units: set[str]) -> tuple[int, int]:
    """(open, acknowledged) findings naming any of these nodes or units."""
    named = [f for f in analysis.findings
             if nodes.intersection(f.nodes) or units.intersection(f.units)]
    return sum(not f.acknowledged for f in named), sum(f.acknowledged for f in named)


def _notes_on(node_ids) -> int:
    return db.session.scalar(sa.select(sa.func.count(Note.id)).where(
        Note.node_id.in_(node_ids), Note.status.in_(UNRESOLVED))) or 0


def of_archive(unit: Unit, analysis: Analysis) -> Impact:
    """Archiving a unit: its people lose the unit's inbox, its live nodes leave the analysis."""
    people = db.session.scalar(sa.select(sa.func.count(sa.distinct(Membership.person_id)))
                               .where(Membership.unit_id == unit.id)) or 0
    rows = db.session.execute(sa.select(Node.id, Node.key).where(
        Node.unit_id == unit.id, Node.status != NodeStatus.RETIRED)).all()
    open_, acked = _about(analysis, {key for _, key in rows}, {unit.key})
    return Impact(people=people, nodes=len(rows), orphaned=0, findings=open_,
                  acknowledgements=acked, notes=_notes_on([i for i, _ in rows]) if rows else 0)


def of_retire(node: Node, analysis: Analysis) -> Impact:
    """Retiring a node: it leaves the analysis and its live children are orphaned; the
    people are those of the units whose translations build on it."""
    live = [c for c in node.children if c.status != NodeStatus.RETIRED]
    units = {c.unit_id for c in live if c.unit_id != node.unit_id}
    people = db.session.scalar(sa.select(sa.func.count(sa.distinct(Membership.person_id)))
                               .where(Membership.unit_id.in_(units))) if units else 0
    open_, acked = _about(analysis, {node.key}, set())
    return Impact(people=people or 0, nodes=1, orphaned=len(live), findings=open_,
                  acknowledgements=acked, notes=_notes_on([node.id]))

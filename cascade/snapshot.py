"""The only bridge from database rows to the pure engine: a workspace as a `Snapshot`.

A fixed number of column-only queries, whatever the size of the workspace, so that loading
stays close to the cost of fetching the rows.
"""

from __future__ import annotations

import sqlalchemy as sa

from cascade.coherence import model as m
from cascade.db import db
from cascade.models import (
    Acknowledgement,
    Link,
    Node,
    Note,
    Pulse,
    PulseAnswer,
    PulseStatement,
    Unit,
    Workspace,
)


def _rows(statement):
    return db.session.execute(statement).all()


def load_snapshot(ws: Workspace) -> m.Snapshot:
    units = _rows(sa.select(Unit.id, Unit.key, Unit.name, Unit.parent_id, Unit.archived)
                  .where(Unit.workspace_id == ws.id))
    ukey = {uid: key for uid, key, *_ in units}
    nodes = _rows(sa.select(Node.id, Node.key, Node.title, Node.unit_id, Node.parent_id,
                            Node.status, Node.revision, Node.parent_revision_seen)
                  .where(Node.workspace_id == ws.id))
    nkey = {nid: key for nid, key, *_ in nodes}
    links: dict[tuple[int, str], list[str]] = {}
    for source, target, kind in _rows(sa.select(Link.source_id, Link.target_id, Link.kind)
                                      .where(Link.workspace_id == ws.id)):
        links.setdefault((source, str(kind)), []).append(nkey[target])
    return m.Snapshot(
        workspace=ws.slug,
        units=tuple(m.Unit(key=key, name=name, parent=ukey.get(parent), archived=archived)
                    for _, key, name, parent, archived in units),
        nodes=tuple(m.Node(key=key, title=title, unit=ukey[unit], parent=nkey.get(parent),
                           status=str(status), revision=revision, parent_revision_seen=seen,
                           depends_on=tuple(links.get((nid, "depends_on"), ())),
                           contributes_to=tuple(links.get((nid, "contributes_to"), ())))
                    for nid, key, title, unit, parent, status, revision, seen in nodes),
        notes=tuple(m.Note(id=str(nid), node=nkey[node], kind=str(kind), stance=str(stance),
                           unit=ukey.get(unit), status=str(status), created_at=created,
                           response=response)
                    for nid, node, kind, stance, unit, status, created, response in _rows(
                        sa.select(Note.id, Note.node_id, Note.kind, Note.stance, Note.unit_id,
                                  Note.status, Note.created_at, Note.response)
                        .where(Note.workspace_id == ws.id))),
        statements=_statements(ws, nkey, ukey),
        acknowledged=frozenset(db.session.scalars(
            sa.select(Acknowledgement.fingerprint).where(Acknowledgement.workspace_id == ws.id))),
    )


def _statements(ws: Workspace, nkey, ukey) -> tuple[m.Statement, ...]:
    answers: dict[int, list[m.Answer]] = {}
    for statement_id, unit_id, value in _rows(
            sa.select(PulseAnswer.statement_id, PulseAnswer.unit_id, PulseAnswer.value)
            .join(PulseStatement).join(Pulse).where(Pulse.workspace_id == ws.id)):
        answers.setdefault(statement_id, []).append(m.Answer(unit=ukey[unit_id], value=value))
    return tuple(
        m.Statement(pulse=key, text=text, node=nkey.get(node_id or pulse_node),
                    answers=tuple(answers.get(sid, ())))
        for sid, key, text, node_id, pulse_node in _rows(
            sa.select(PulseStatement.id, Pulse.key, PulseStatement.text, PulseStatement.node_id,
                      Pulse.node_id).join(Pulse).where(Pulse.workspace_id == ws.id)))

"""The only bridge from database rows to the pure engine: a workspace as a `Snapshot`.

A fixed number of column-only queries, whatever the size of the workspace, so that loading
stays close to the cost of fetching the rows: Core table columns (no ORM loading), status
columns read as plain strings, and timestamps without a per-row timezone conversion (the
engine reads a naive timestamp as UTC, which is how the database stores it).
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

unit_t, node_t, link_t, note_t = (Unit.__table__, Node.__table__, Link.__table__,
                                  Note.__table__)
pulse_t, statement_t, answer_t = Pulse.__table__, PulseStatement.__table__, PulseAnswer.__table__


def _text(column):
    """The stored value of an enum column, skipping the conversion to a Python enum."""
    return sa.type_coerce(column, sa.String)


def _rows(statement):
    return db.session.connection().execute(statement).all()


def load_snapshot(ws: Workspace) -> m.Snapshot:
    units = _rows(sa.select(unit_t.c.id, unit_t.c.key, unit_t.c.name, unit_t.c.parent_id,
                            unit_t.c.archived).where(unit_t.c.workspace_id == ws.id))
    ukey = {uid: key for uid, key, *_ in units}
    nodes = _rows(sa.select(node_t.c.id, node_t.c.key, node_t.c.title, node_t.c.unit_id,
                            node_t.c.parent_id, _text(node_t.c.status), node_t.c.revision,
                            node_t.c.parent_revision_seen).where(node_t.c.workspace_id == ws.id))
    nkey = {nid: key for nid, key, *_ in nodes}
    links: dict[tuple[int, str], list[str]] = {}
    for source, target, kind in _rows(sa.select(link_t.c.source_id, link_t.c.target_id,
                                                _text(link_t.c.kind))
                                      .where(link_t.c.workspace_id == ws.id)):
        links.setdefault((source, kind), []).append(nkey[target])
    return m.Snapshot(
        workspace=ws.slug,
        units=tuple(m.Unit(key, name, ukey.get(parent), bool(archived))
                    for _, key, name, parent, archived in units),
        nodes=tuple(m.Node(key, title, ukey[unit], nkey.get(parent), status, revision, seen,
                           tuple(links.get((nid, "depends_on"), ())),
                           tuple(links.get((nid, "contributes_to"), ())))
                    for nid, key, title, unit, parent, status, revision, seen in nodes),
        notes=_notes(ws, nkey, ukey),
        statements=_statements(ws, nkey, ukey),
        acknowledged=frozenset(fingerprint for fingerprint, in _rows(
            sa.select(Acknowledgement.__table__.c.fingerprint)
            .where(Acknowledgement.__table__.c.workspace_id == ws.id))),
    )


def _notes(ws: Workspace, nkey, ukey) -> tuple[m.Note, ...]:
    # The dialect's own DateTime: naive UTC on SQLite, aware on PostgreSQL; both are UTC.
    created = sa.type_coerce(note_t.c.created_at, sa.DateTime())
    return tuple(
        m.Note(str(nid), nkey[node], kind, stance, ukey.get(unit), status, when, response)
        for nid, node, kind, stance, unit, status, when, response in _rows(
            sa.select(note_t.c.id, note_t.c.node_id, _text(note_t.c.kind),
                      _text(note_t.c.stance), note_t.c.unit_id, _text(note_t.c.status),
                      created, note_t.c.response).where(note_t.c.workspace_id == ws.id)))


def _statements(ws: Workspace, nkey, ukey) -> tuple[m.Statement, ...]:
    answers: dict[int, list[m.Answer]] = {}
    for statement_id, unit_id, value in _rows(
            sa.select(answer_t.c.statement_id, answer_t.c.unit_id, answer_t.c.value)
            .join(statement_t, statement_t.c.id == answer_t.c.statement_id)
            .join(pulse_t, pulse_t.c.id == statement_t.c.pulse_id)
            .where(pulse_t.c.workspace_id == ws.id)):
        answers.setdefault(statement_id, []).append(m.Answer(ukey[unit_id], value))
    return tuple(
        m.Statement(key, text, nkey.get(node_id or pulse_node), tuple(answers.get(sid, ())))
        for sid, key, text, node_id, pulse_node in _rows(
            sa.select(statement_t.c.id, pulse_t.c.key, statement_t.c.text,
                      statement_t.c.node_id, pulse_t.c.node_id)
            .join(pulse_t, pulse_t.c.id == statement_t.c.pulse_id)
            .where(pulse_t.c.workspace_id == ws.id)))

"""The only bridge from database rows to the pure engine: a workspace as a `Snapshot`.

A fixed number of column-only queries, whatever the size of the workspace, so that loading
stays close to the cost of fetching the rows: Core table columns (no ORM loading), status
columns read as plain strings, and timestamps without a per-row timezone conversion (the
engine reads a naive timestamp as UTC, which is how the database stores it).
"""

from __future__ import annotations

import sqlalchemy as sa

from cascade import clock
from cascade.coherence import model as m
from cascade.db import db
from cascade.models import (
    Acknowledgement,
    CheckIn,
    Link,
    Measure,
    Node,
    Note,
    Pulse,
    PulseAnswer,
    PulseStatement,
    Unit,
    Workspace,
)
from cascade.organisation.settings import settings_for
from cascade.pulses.release import closed_clause, in_visible_groups

unit_t, node_t, link_t, note_t = (Unit.__table__, Node.__table__, Link.__table__,
                                  Note.__table__)
pulse_t, statement_t, answer_t = Pulse.__table__, PulseStatement.__table__, PulseAnswer.__table__
measure_t, check_in_t = Measure.__table__, CheckIn.__table__


def _text(column):
    """The stored value of an enum column, skipping the conversion to a Python enum."""
    return sa.type_coerce(column, sa.String)


def _stamp(column):
    """A timestamp as the dialect's own DateTime: naive UTC on SQLite, aware on PostgreSQL
    (both UTC; the engine reads naive as UTC), without a per-row conversion."""
    return sa.type_coerce(column, sa.DateTime())


def _rows(statement):
    return db.session.connection().execute(statement).all()


def unit_rows(ws: Workspace) -> list:
    """(id, key, name, parent_id, archived) for every unit of the workspace."""
    return _rows(sa.select(unit_t.c.id, unit_t.c.key, unit_t.c.name, unit_t.c.parent_id,
                           unit_t.c.archived).where(unit_t.c.workspace_id == ws.id))


# (id, key, title, unit_id, parent_id, status, revision, parent_revision_seen, horizon,
# agreed_at): a node row as the outline and the engine read it
NODE_COLUMNS = (node_t.c.id, node_t.c.key, node_t.c.title, node_t.c.unit_id,
                node_t.c.parent_id, _text(node_t.c.status), node_t.c.revision,
                node_t.c.parent_revision_seen, node_t.c.horizon, _stamp(node_t.c.agreed_at))
# (id, source_id, target_id, kind, state, created_at, needed_by); `state` is the
# dependency agreement's
LINK_COLUMNS = (link_t.c.id, link_t.c.source_id, link_t.c.target_id, _text(link_t.c.kind),
                _text(link_t.c.state), sa.type_coerce(link_t.c.created_at, sa.DateTime()),
                link_t.c.needed_by)


def node_rows(ws: Workspace) -> list:
    """`NODE_COLUMNS` of every node of the workspace."""
    return _rows(sa.select(*NODE_COLUMNS).where(node_t.c.workspace_id == ws.id)
                 .order_by(node_t.c.id))


def link_rows(ws: Workspace) -> list:
    """`LINK_COLUMNS` of every link of the workspace."""
    return _rows(sa.select(*LINK_COLUMNS).where(link_t.c.workspace_id == ws.id)
                 .order_by(link_t.c.id))


def load_snapshot(ws: Workspace, units=None, nodes=None, links=None) -> m.Snapshot:
    """The workspace as the engine sees it; pages that already hold the unit, node or link
    rows (see `unit_rows`, `node_rows`, `link_rows`) pass them in to save the queries."""
    units = unit_rows(ws) if units is None else units
    nodes = node_rows(ws) if nodes is None else nodes
    links = link_rows(ws) if links is None else links
    ukey = {uid: key for uid, key, *_ in units}
    nkey = {nid: key for nid, key, *_ in nodes}
    targets: dict[tuple[int, str], list[str]] = {}
    agreements = []
    for _, source, target, kind, state, made, needed_by in links:
        targets.setdefault((source, kind), []).append(nkey[target])
        if kind == "depends_on" and state != "committed":
            agreements.append(m.Dependency(nkey[source], nkey[target], state, made, needed_by))
    return m.Snapshot(
        workspace=ws.slug,
        units=tuple(m.Unit(key, name, ukey.get(parent), bool(archived))
                    for _, key, name, parent, archived in units),
        nodes=tuple(m.Node(key, title, ukey[unit], nkey.get(parent), status, revision, seen,
                           tuple(targets.get((nid, "depends_on"), ())),
                           tuple(targets.get((nid, "contributes_to"), ())), agreed_at,
                           horizon)
                    for nid, key, title, unit, parent, status, revision, seen, horizon,
                    agreed_at, *_ in nodes),
        notes=_notes(ws, nkey, ukey),
        statements=_statements(ws, nkey, ukey),
        measures=_measures(ws, nkey, ukey),
        dependencies=tuple(agreements),
        acknowledged=frozenset(fingerprint for fingerprint, in _rows(
            sa.select(Acknowledgement.__table__.c.fingerprint)
            .where(Acknowledgement.__table__.c.workspace_id == ws.id))),
    )


def _notes(ws: Workspace, nkey, ukey) -> tuple[m.Note, ...]:
    created = _stamp(note_t.c.created_at)
    return tuple(
        m.Note(str(nid), nkey[node], kind, stance, ukey.get(unit), status, when, response)
        for nid, node, kind, stance, unit, status, when, response in _rows(
            sa.select(note_t.c.id, note_t.c.node_id, _text(note_t.c.kind),
                      _text(note_t.c.stance), note_t.c.unit_id, _text(note_t.c.status),
                      created, note_t.c.response).where(note_t.c.workspace_id == ws.id)))


def _statements(ws: Workspace, nkey, ukey) -> tuple[m.Statement, ...]:
    """Pulse statements with their answers, in one outer-joined query: the answers as the
    pulse pages show them (released in steps while open, each unit only from the
    threshold), so no finding moves by one person's answer."""
    value = sa.case((closed_clause(clock.today(), pulse_t.c.status, pulse_t.c.closes_on),
                     answer_t.c.value), else_=answer_t.c.shown_value)
    rows = _rows(
        sa.select(statement_t.c.id, pulse_t.c.key, statement_t.c.text,
                  statement_t.c.node_id, pulse_t.c.node_id, answer_t.c.unit_id, value)
        .join(pulse_t, pulse_t.c.id == statement_t.c.pulse_id)
        .outerjoin(answer_t, answer_t.c.statement_id == statement_t.c.id)
        .where(pulse_t.c.workspace_id == ws.id)
        .order_by(statement_t.c.id, answer_t.c.id))
    shown = {id(row) for row in in_visible_groups(
        (r for r in rows if r[6] is not None), lambda r: (r[0], r[5]),
        settings_for(ws).pulse_min_answers)}
    found: dict[int, tuple[str, str, str | None, list[m.Answer]]] = {}
    for row in rows:
        sid, key, text, node_id, pulse_node, unit_id, value = row
        record = found.setdefault(sid, (key, text, nkey.get(node_id or pulse_node), []))
        if id(row) in shown:
            record[3].append(m.Answer(ukey[unit_id], value))
    return tuple(m.Statement(key, text, node, tuple(answers))
                 for key, text, node, answers in found.values())


def _measures(ws: Workspace, nkey, ukey) -> tuple[m.Measure, ...]:
    """Measures with their check-ins, in one outer-joined query."""
    created = sa.type_coerce(check_in_t.c.created_at, sa.DateTime())
    found: dict[int, tuple] = {}
    for row in _rows(
            sa.select(measure_t.c.id, measure_t.c.node_id, measure_t.c.key, measure_t.c.name,
                      _text(measure_t.c.direction), measure_t.c.baseline, measure_t.c.target,
                      measure_t.c.band_low, measure_t.c.band_high, measure_t.c.start,
                      measure_t.c.due, measure_t.c.cadence_days, _text(measure_t.c.status),
                      check_in_t.c.id, check_in_t.c.value, check_in_t.c.confidence,
                      check_in_t.c.unit_id, created)
            .outerjoin(check_in_t, check_in_t.c.measure_id == measure_t.c.id)
            .where(measure_t.c.workspace_id == ws.id)
            .order_by(measure_t.c.id, check_in_t.c.id)):
        mid, node, *fields = row[:13]
        record = found.setdefault(mid, (nkey[node], *fields, []))
        check_id, value, confidence, unit, when = row[13:]
        if check_id is not None:
            record[-1].append(m.CheckIn(value, when, confidence, ukey.get(unit)))
    return tuple(m.Measure(key, node, name, direction, base, target, low, high, start, due,
                           cadence, status, tuple(check_ins))
                 for node, key, name, direction, base, target, low, high, start, due,
                 cadence, status, check_ins in found.values())

"""The content stamp: a workspace's version, read in one cheap query.

Kept analyses and cached graph views are keyed by it, so an edit anywhere in the workspace
makes a new key and nothing has to be invalidated.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa

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


def content_stamp(ws: Workspace) -> list:
    """Everything the graph is drawn from, summed up in one cheap query.

    Every editable row carries a version counter that rises on each update, and new rows
    raise the id sums and maxima, so any change to units, nodes, links, notes, measures,
    check-ins, pulse answers, acknowledgements or the workspace's settings changes the
    stamp. The query is built once with the workspace id as a parameter: building it costs
    more than running it.
    """
    row = db.session.execute(_stamp_query(), {"workspace_id": ws.id}).one()
    return [str(value) for value in row]


@functools.cache
def _stamp_query() -> sa.Select:
    """One row of aggregates per table, each table read once (a derived table per table,
    cross-joined: every one of them is a single row)."""
    workspace_id = sa.bindparam("workspace_id")

    def per(name, model, *columns, where=None, extra=()):
        where = where if where is not None else model.workspace_id == workspace_id
        aggregates = [sa.func.count(), *extra,
                      *(sa.func.coalesce(sa.func.sum(c), 0) for c in columns),
                      *(sa.func.max(c) for c in columns)]
        return sa.select(*(agg.label(f"{name}_{i}") for i, agg in enumerate(aggregates))) \
            .select_from(model).where(where).subquery(name)

    answers = sa.select(PulseStatement.id).join(Pulse).where(Pulse.workspace_id == workspace_id)
    tables = [per("units", Unit, Unit.id, Unit.version),
              per("nodes", Node, Node.id, Node.version, extra=[sa.func.max(Node.updated_at)]),
              per("links", Link, Link.id, Link.version),
              per("measures", Measure, Measure.id, Measure.version),
              per("check_ins", CheckIn, CheckIn.id), per("notes", Note, Note.id, Note.version),
              per("acks", Acknowledgement, Acknowledgement.id),
              per("pulses", Pulse, Pulse.id, Pulse.version),
              per("answers", PulseAnswer, PulseAnswer.id, PulseAnswer.value,
                  PulseAnswer.shown_value,
                  where=PulseAnswer.statement_id.in_(answers)),
              sa.select(Workspace.version.label("workspace_version"))
              .where(Workspace.id == workspace_id).subquery("ws")]
    joined = tables[0]
    for table in tables[1:]:
        joined = joined.join(table, sa.true())
    return sa.select(*(column for table in tables for column in table.c)).select_from(joined)

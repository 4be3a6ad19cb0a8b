"""Rendered graphs, kept in process and in Redis (when CASCADE_REDIS_URL is set).

Entries are keyed by content, never by workspace name, so there is nothing to delete when
a workspace changes: the change yields a different key (see `content_stamp`) and old
entries age out (least recently used in process, a time to live in Redis). Redis trouble
never breaks a page: the graph is then drawn as if nothing were cached.
"""

from __future__ import annotations

import functools
import logging

import sqlalchemy as sa

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
from cascade.recent import Recent

log = logging.getLogger(__name__)
PREFIX = "cascade:graph:"


class Cache:
    """Bytes by key: a small in-process LRU in front of an optional shared Redis."""

    def __init__(self, redis_url: str | None = None, size: int = 128, ttl: int = 7 * 86400,
                 prefix: str = PREFIX):
        self.size, self.ttl, self.prefix = size, ttl, prefix
        self._local: Recent[bytes] = Recent(size)
        self._redis = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url, socket_timeout=0.5,
                                               socket_connect_timeout=0.5)

    def get(self, key: str) -> bytes | None:
        value = self._local.get(key)
        if value is not None:
            return value
        value = self._shared("get", self.prefix + key)
        if value is not None:
            self._local.put(key, value)
        return value

    def set(self, key: str, value: bytes) -> None:
        self._local.put(key, value)
        self._shared("set", self.prefix + key, value, ex=self.ttl)

    def clear(self) -> None:
        """Forget the in-process entries (Redis entries expire on their own)."""
        self._local.clear()

    def _shared(self, method: str, *args, **kwargs):
        if self._redis is None:
            return None
        try:
            return getattr(self._redis, method)(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - any Redis failure means "not cached"
            log.warning("graph cache: Redis %s failed: %s", method, error)
            return None


def content_stamp(ws: Workspace) -> list:
    """Everything the graph is drawn from, summed up in one cheap query.

    Every editable row carries a version counter that rises on each update, and new rows
    raise the id sums and maxima, so any change to units, nodes, links, notes, pulse
    answers, acknowledgements or the workspace's settings changes the stamp. The query is
    built once with the workspace id as a parameter: building it costs more than running it.
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
              per("links", Link, Link.id), per("notes", Note, Note.id, Note.version),
              per("acks", Acknowledgement, Acknowledgement.id),
              per("pulses", Pulse, Pulse.id, Pulse.version),
              per("answers", PulseAnswer, PulseAnswer.id, PulseAnswer.value,
                  where=PulseAnswer.statement_id.in_(answers)),
              sa.select(Workspace.version.label("workspace_version"))
              .where(Workspace.id == workspace_id).subquery("ws")]
    joined = tables[0]
    for table in tables[1:]:
        joined = joined.join(table, sa.true())
    return sa.select(*(column for table in tables for column in table.c)).select_from(joined)

"""The analysis of each workspace version, computed once and shared through the database.

`ensure` gives the analysis of the workspace's current `data_version` as of a day: from the
database when a worker or host already stored it; else it claims the version (a row in
state `computing`, unique per workspace, version, day and thresholds), runs the engine,
stores the result and lets every other process load it. A process that finds the version
claimed waits for the result rather than analysing it too. A claim older than
`STALE_CLAIM` (a worker that died) is taken over. `latest` is what pages serve: the newest
complete analysis, with when it was made, while a newer one is being computed. Each node's
findings are stored beside the analysis too (`node_findings`), for the node page.

Claims and results are committed at once through the session, so call `ensure` with no
unsaved writes in it (pages before they write, jobs, commands, or after a commit).
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import threading
import time
import zlib
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa

from cascade import clock
from cascade.allocation import keep_long_lived, paused_gc
from cascade.coherence import Analysis
from cascade.db import db
from cascade.models import StoredAnalysis, StoredNodeFindings, Workspace

STALE_CLAIM = timedelta(minutes=10)
POLL = 0.05  # seconds between looks at a version another process is analysing
WAIT = 120.0  # seconds to wait for it before analysing it here too (without storing)

table = StoredAnalysis.__table__
node_table = StoredNodeFindings.__table__
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Made:
    """Which analysis this is: the version, day and thresholds it was made for, and when."""

    workspace_id: int
    data_version: int
    as_of: date
    computed_at: datetime


class Counter:
    """How many times this process ran the engine for storing (the tests count them)."""

    def __init__(self) -> None:
        self.runs = 0
        self._lock = threading.Lock()

    def add(self) -> None:
        with self._lock:
            self.runs += 1


RUNS = Counter()


@lru_cache(maxsize=256)
def settings_key(settings) -> str:
    """The thresholds' digest; cached, as every page asking for the analysis needs it (the
    settings are frozen, so equal settings hash alike)."""
    raw = json.dumps(asdict(settings), sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:64]


def made(analysis: Analysis) -> Made | None:
    """The stored version an analysis is of (None for one computed without storing)."""
    return analysis.derived.get("made")


def current_version(workspace_id: int) -> int:
    return db.session.execute(sa.select(Workspace.data_version).where(
        Workspace.id == workspace_id)).scalar_one()


def latest(workspace_id: int, as_of: date, key: str) -> Made | None:
    """The newest complete analysis of the workspace up to `as_of`, in one small query."""
    row = db.session.execute(
        sa.select(table.c.data_version, table.c.as_of, table.c.computed_at)
        .where(table.c.workspace_id == workspace_id, table.c.state == "done",
               table.c.as_of <= as_of, table.c.settings_key == key)
        .order_by(table.c.as_of.desc(), table.c.data_version.desc()).limit(1)).first()
    return Made(workspace_id, *row) if row is not None else None


def node_findings(workspace_id: int, as_of: date, key: str,
                  node_key: str) -> tuple[Made, list] | None:
    """The newest complete analysis (as `latest`) with the findings of one node in it, in
    one small query, without loading the analysis; None when there is none yet."""
    row = db.session.execute(
        sa.select(table.c.data_version, table.c.as_of, table.c.computed_at,
                  node_table.c.payload)
        .select_from(table.outerjoin(node_table, sa.and_(
            node_table.c.analysis_id == table.c.id, node_table.c.node_key == node_key)))
        .where(table.c.workspace_id == workspace_id, table.c.state == "done",
               table.c.as_of <= as_of, table.c.settings_key == key)
        .order_by(table.c.as_of.desc(), table.c.data_version.desc()).limit(1)).first()
    if row is None:
        return None
    found = pickle.loads(row.payload) if row.payload is not None else []
    return Made(workspace_id, row.data_version, row.as_of, row.computed_at), found


def load(which: Made, key: str) -> Analysis | None:
    """The stored analysis `which`, or None when it was pruned meanwhile."""
    payload = db.session.execute(sa.select(table.c.payload).where(
        table.c.workspace_id == which.workspace_id, table.c.data_version == which.data_version,
        table.c.as_of == which.as_of, table.c.settings_key == key,
        table.c.state == "done")).scalar()
    if payload is None:
        return None
    with paused_gc():
        analysis = pickle.loads(zlib.decompress(payload))
    analysis.derived["made"] = which
    keep_long_lived(len(analysis.snapshot.nodes))
    return analysis


def claims(workspace_id: int, version: int, as_of: date, key: str) -> tuple[str | None, bool]:
    """Where the analysis of `version` stands ('done', 'computing' or None; a claim older
    than `STALE_CLAIM` counts as none) and whether a live claim holds another version of
    the workspace: one small query, no payload."""
    fresh = clock.now() - STALE_CLAIM
    rows = db.session.execute(sa.select(table.c.data_version, table.c.state).where(
        table.c.workspace_id == workspace_id, table.c.as_of == as_of,
        table.c.settings_key == key,
        sa.or_(sa.and_(table.c.data_version == version, table.c.state == "done"),
               sa.and_(table.c.state == "computing", table.c.started_at > fresh)))).all()
    mine = next((state for v, state in rows if v == version), None)
    return mine, any(v != version for v, _ in rows)


def ensure(ws: Workspace, as_of: date, settings, compute) -> Analysis:
    """The analysis of the workspace's current version as of `as_of`, computed here (by
    `compute()`) only when no process has it or is making it."""
    key = settings_key(settings)
    deadline = time.monotonic() + WAIT
    while True:
        if time.monotonic() > deadline:
            log.warning("analysis of workspace %s still claimed after %.0f s: analysing it "
                        "here without storing", ws.id, WAIT)
            return compute()
        version = current_version(ws.id)
        which = Made(ws.id, version, as_of, clock.now())
        state, started = _state(which, key)
        if state == "done":
            found = load(_done(which, key), key)
            if found is not None:
                return found
        elif state is None and _claim(which, key) or \
                state == "computing" and clock.now() - started > STALE_CLAIM and \
                _take_over(which, key, started):
            return _compute_and_store(which, key, compute)
        db.session.rollback()  # see the other process's row on the next look
        time.sleep(POLL)


def _state(which: Made, key: str) -> tuple[str | None, datetime | None]:
    row = db.session.execute(sa.select(table.c.state, table.c.started_at).where(
        *_is(which, key))).first()
    return (row.state, row.started_at) if row is not None else (None, None)


def _done(which: Made, key: str) -> Made:
    computed = db.session.execute(sa.select(table.c.computed_at).where(
        *_is(which, key))).scalar_one()
    return replace(which, computed_at=computed)


def _is(which: Made, key: str) -> tuple:
    return (table.c.workspace_id == which.workspace_id,
            table.c.data_version == which.data_version, table.c.as_of == which.as_of,
            table.c.settings_key == key)


def _claim(which: Made, key: str) -> bool:
    """Take the version for this process: True when no other process holds it."""
    try:
        with db.session.begin_nested():
            db.session.execute(table.insert().values(
                workspace_id=which.workspace_id, data_version=which.data_version,
                as_of=which.as_of, settings_key=key, state="computing",
                started_at=clock.now()))
    except sa.exc.IntegrityError:
        db.session.rollback()
        return False
    db.session.commit()
    return True


def _take_over(which: Made, key: str, started: datetime) -> bool:
    taken = db.session.execute(table.update().where(
        *_is(which, key), table.c.state == "computing", table.c.started_at == started)
        .values(started_at=clock.now()))
    db.session.commit()
    return taken.rowcount == 1


def _compute_and_store(which: Made, key: str, compute) -> Analysis:
    began = time.perf_counter()
    try:
        analysis = compute()
    except BaseException:
        db.session.rollback()
        db.session.execute(table.delete().where(*_is(which, key), table.c.state == "computing"))
        db.session.commit()  # let another process try
        raise
    RUNS.add()
    with paused_gc():
        payload = zlib.compress(pickle.dumps(replace(analysis, derived={}), protocol=5), 1)
    done = replace(which, computed_at=clock.now())
    db.session.execute(table.update().where(*_is(which, key)).values(
        state="done", payload=payload, computed_at=done.computed_at,
        seconds=round(time.perf_counter() - began, 3)))
    row_id = db.session.execute(sa.select(table.c.id).where(*_is(which, key))).scalar_one()
    # each node's findings, and under "" those that name no node (always a row, so that
    # storing runs the same statements whatever the findings)
    per_node = {"": [f for f in analysis.findings if not f.nodes], **analysis.by_node}
    db.session.execute(node_table.insert(), [
        {"analysis_id": row_id, "node_key": node_key, "payload": pickle.dumps(found, protocol=5)}
        for node_key, found in per_node.items()])
    # older analyses of the workspace are no longer served (each process keeps the ones it
    # already loaded); those of other thresholds are left to their own apps
    db.session.execute(table.delete().where(
        table.c.workspace_id == which.workspace_id, table.c.settings_key == key,
        table.c.state == "done",
        sa.or_(table.c.as_of < which.as_of, sa.and_(
            table.c.as_of == which.as_of, table.c.data_version < which.data_version))))
    db.session.commit()
    analysis.derived["made"] = done
    return analysis

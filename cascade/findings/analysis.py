"""The coherence engine applied to a stored workspace.

`analysis_of` is the one way pages, commands and drawings get a workspace's analysis. For
today it serves the stored analysis of the workspace's version (`findings.stored`): each
version is analysed once, by the background job a write queues (or by the first request
that finds none at all), and every worker and host loads that result. While a newer version
is being analysed, pages serve the newest complete one and say how fresh it is (`made`).
Each process keeps the analyses it loaded, per version and day (`ANALYSES_KEPT`; 0 keeps
none). Another day's analysis of the current rows (the `coherence --as-of` command's) is
computed here and kept the same way; pages and the API show a past day from its score
record instead (`history.state_on`). The engine itself stays pure (see `cascade.coherence`).
"""

from __future__ import annotations

import threading
from datetime import date

from flask import Flask, current_app, g, has_request_context

from cascade import clock
from cascade.allocation import paused_gc
from cascade.coherence import Analysis
from cascade.findings import stored
from cascade.findings.snapshot import load_snapshot
from cascade.models import Workspace
from cascade.organisation.settings import settings_for
from cascade.recent import Recent

__all__ = ["Analysis", "analyse_workspace", "analysis_of", "init_app", "made", "node_findings"]

made = stored.made


def init_app(app: Flask) -> None:
    """The per-process store of kept analyses, made when the app starts."""
    app.extensions["cascade_analyses"] = Recent[Analysis](int(app.config["ANALYSES_KEPT"]))
    app.extensions["cascade_analyses_asked"] = Recent[bool](256)


def analyse_workspace(ws: Workspace, as_of: date, rows: tuple = ()) -> Analysis:
    """Run the engine on the workspace as of `as_of`; `rows` are the unit, node and link
    rows (`findings.snapshot`) when the caller already holds them. Uncached: pages and
    commands use `analysis_of`."""
    with paused_gc():
        return Analysis.of(load_snapshot(ws, *rows), as_of, settings_for(ws))


def analysis_of(ws: Workspace, as_of: date, rows: tuple = (), fresh: bool = False) -> Analysis:
    """The workspace's analysis as of `as_of`.

    Today's is the stored one: of the current version when it is done, else the newest
    complete one (a newer is on its way). `fresh`: of the current version, waiting for it
    or computing it here (commands, jobs, and a page that reports its own change). `rows`
    as for `analyse_workspace`."""
    kept: Recent[Analysis] = current_app.extensions["cascade_analyses"]
    settings = settings_for(ws)
    key = stored.settings_key(settings)
    version = stored.current_version(ws.id) if fresh else ws.data_version
    found = kept.get((ws.id, version, as_of, key))
    if found is not None:
        if has_request_context() and stored.made(found) is not None:
            g.analysis_made = {"at": stored.made(found).computed_at, "behind": False}
        return found
    if as_of != clock.today():
        found = analyse_workspace(ws, as_of, rows)
        return _keep(kept, (ws.id, version, as_of, key), found)
    newest = None if fresh else stored.latest(ws.id, as_of, key)
    if newest is not None:
        found = kept.get((ws.id, newest.data_version, newest.as_of, key))
        if found is None:
            with _loading(ws.id):  # one thread loads a version; the others then find it kept
                found = kept.get((ws.id, newest.data_version, newest.as_of, key))
                if found is None and (found := stored.load(newest, key)) is not None:
                    _keep(kept, (ws.id, newest.data_version, newest.as_of, key), found)
    if found is None:  # none yet, or it must be this version: made once, here or elsewhere
        found = stored.ensure(ws, as_of, settings, lambda: analyse_workspace(ws, as_of, rows))
    done = stored.made(found)
    behind = (done.data_version, done.as_of) != (version, as_of)
    if behind:
        _ask_for(ws.id, version, as_of)
    if has_request_context():  # the page says how fresh its findings are (base.html)
        g.analysis_made = {"at": done.computed_at, "behind": behind}
    return _keep(kept, (ws.id, done.data_version, done.as_of, key), found)


def node_findings(ws: Workspace, node_key: str) -> list:
    """Today's findings of one node, as `analysis_of(ws, today).by_node` has them, without
    loading the whole analysis: from the analysis this process keeps for the version, else
    from the node's row beside the newest stored one (saying how fresh, as `analysis_of`)."""
    today = clock.today()
    key = stored.settings_key(settings_for(ws))
    kept: Recent[Analysis] = current_app.extensions["cascade_analyses"]
    found = kept.get((ws.id, ws.data_version, today, key))
    row = None if found is not None else stored.node_findings(ws.id, today, key, node_key)
    if row is None:  # kept, or nothing stored yet (made here, once, under the claim)
        return analysis_of(ws, today).by_node.get(node_key, [])
    done, findings = row
    behind = (done.data_version, done.as_of) != (ws.data_version, today)
    if behind:
        _ask_for(ws.id, ws.data_version, today)
    if has_request_context():
        g.analysis_made = {"at": done.computed_at, "behind": behind}
    return findings


_locks: dict[int, threading.Lock] = {}
_locks_lock = threading.Lock()


def _loading(ws_id: int) -> threading.Lock:
    with _locks_lock:
        return _locks.setdefault(ws_id, threading.Lock())


def _keep(kept: Recent[Analysis], key: tuple, analysis: Analysis) -> Analysis:
    if kept.size > 0:
        kept.put(key, analysis)
    return analysis


def _ask_for(ws_id: int, version: int, as_of: date) -> None:
    """Queue the analysis of a version that pages are waiting for, once per process and
    folded into the job already waiting (the write that made it queued it too; this covers
    a lost job and a new day)."""
    asked: Recent[bool] = current_app.extensions["cascade_analyses_asked"]
    if asked.get((ws_id, version, as_of)):
        return
    asked.put((ws_id, version, as_of), True)
    from cascade.findings.jobs import queue_analysis

    queue_analysis(ws_id, at_once=True)

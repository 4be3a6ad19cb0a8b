"""The coherence engine applied to a stored workspace.

`analysis_of` is the one way pages, commands and drawings get a workspace's analysis: it is
kept in this process per workspace version (the content stamp, which changes with any edit)
and date, so the tree, the node pages and every graph view of one version share a single
run of the engine; `ANALYSES_KEPT` bounds the memory (0 keeps none). The engine itself stays
pure (see `cascade.coherence`).
"""

from __future__ import annotations

from datetime import date

from flask import Flask, current_app

from cascade.allocation import paused_gc
from cascade.coherence import Analysis
from cascade.findings.snapshot import load_snapshot
from cascade.findings.stamp import content_stamp
from cascade.models import Workspace
from cascade.organisation.settings import settings_for
from cascade.recent import Recent

__all__ = ["Analysis", "analyse_workspace", "analysis_of", "init_app"]


def init_app(app: Flask) -> None:
    """The per-process store of kept analyses, made when the app starts."""
    app.extensions["cascade_analyses"] = Recent[Analysis](int(app.config["ANALYSES_KEPT"]))


def analyse_workspace(ws: Workspace, as_of: date, rows: tuple = ()) -> Analysis:
    """Run the engine on the workspace as of `as_of`; `rows` are the unit, node and link
    rows (`findings.snapshot`) when the caller already holds them. Uncached: pages and
    commands use `analysis_of`."""
    with paused_gc():
        return Analysis.of(load_snapshot(ws, *rows), as_of, settings_for(ws))


def analysis_of(ws: Workspace, as_of: date, rows: tuple = (),
                stamp: list[str] | None = None) -> Analysis:
    """The workspace's analysis as of `as_of`, kept for as long as its content stays the same
    (a 20,000-node workspace takes a quarter of a second to load and analyse). `rows` as for
    `analyse_workspace`; `stamp`: the workspace's `content_stamp`, when the caller has just
    read it."""
    kept: Recent[Analysis] = current_app.extensions["cascade_analyses"]
    stamp = content_stamp(ws) if stamp is None else stamp
    key = (ws.id, tuple(stamp), as_of, settings_for(ws))
    found = kept.get(key)
    if found is None:
        found = analyse_workspace(ws, as_of, rows)
        if kept.size > 0:
            kept.put(key, found)
    return found

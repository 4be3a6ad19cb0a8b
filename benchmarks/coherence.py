"""Coherence and import speed on synthetic organisations of 1,000, 5,000 and 20,000 nodes.

For each size, in one run on one SQLite file: the import of the whole file in one
transaction, a raw `sqlite3` fetch of the rows the engine reads, loading the snapshot
through `cascade.snapshot`, and analysing it (findings and score). Goals: load + analyse
within 8x the raw fetch at 20,000 nodes, time growing linearly with size, and import at
no more than 20 µs per row.
"""

from __future__ import annotations

import gc
import sqlite3
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import sqlalchemy as sa

SIZES = (1_000, 5_000, 20_000)
AS_OF = date(2026, 11, 1)
RAW_QUERIES = (  # the rows cascade.snapshot.load_snapshot reads, as plain SQL
    "SELECT id, key, name, parent_id, archived FROM unit WHERE workspace_id = ?",
    "SELECT id, key, title, unit_id, parent_id, status, revision, parent_revision_seen "
    "FROM node WHERE workspace_id = ?",
    "SELECT id, source_id, target_id, kind, state, created_at, needed_by FROM link "
    "WHERE workspace_id = ?",
    "SELECT id, node_id, kind, stance, unit_id, status, created_at, response FROM note "
    "WHERE workspace_id = ?",
    "SELECT a.statement_id, a.unit_id, a.value FROM pulse_answer a JOIN pulse_statement s "
    "ON s.id = a.statement_id JOIN pulse p ON p.id = s.pulse_id WHERE p.workspace_id = ?",
    "SELECT s.id, p.key, s.text, s.node_id, p.node_id FROM pulse_statement s JOIN pulse p "
    "ON p.id = s.pulse_id WHERE p.workspace_id = ?",
    "SELECT fingerprint FROM acknowledgement WHERE workspace_id = ?",
    "SELECT m.id, m.node_id, m.key, m.name, m.direction, m.baseline, m.target, m.band_low, "
    "m.band_high, m.start, m.due, m.cadence_days, m.status, c.id, c.value, c.confidence, "
    "c.unit_id, c.created_at FROM measure m LEFT JOIN check_in c ON c.measure_id = m.id "
    "WHERE m.workspace_id = ?",
)


def best(action: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of `repeat` runs, in seconds: the least disturbed by other processes."""
    times = []
    for _ in range(repeat):
        gc.collect()
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times)


def raw_fetch(path: Path, ws_id: int) -> int:
    """Fetch every row the engine needs with the standard library alone."""
    with sqlite3.connect(path) as conn:
        return sum(len(conn.execute(sql, (ws_id,)).fetchall()) for sql in RAW_QUERIES)


def records(doc: dict) -> int:
    """Rows in the file: units, people, memberships, nodes, links, notes, pulse rows."""
    count = sum(len(doc[name]) for name in ("units", "people", "nodes", "notes", "pulses"))
    count += sum(len(p["memberships"]) for p in doc["people"])
    count += sum(len(n.get("depends_on", [])) + len(n.get("contributes_to", []))
                 for n in doc["nodes"])
    count += sum(1 + len(m["check_ins"]) for n in doc["nodes"] for m in n.get("measures", []))
    for pulse in doc["pulses"]:
        count += len(pulse.get("units", [])) + len(pulse["statements"])
        count += sum(len(s["answers"]) for s in pulse["statements"])
    return count


def measure(size: int, path: Path) -> dict:
    from benchmarks.organisation import document
    from cascade import coherence, interchange
    from cascade.allocation import paused_gc
    from cascade.db import db
    from cascade.findings.analysis import settings_for
    from cascade.findings.snapshot import load_snapshot

    doc = document(size)
    rows = records(doc)
    walls, cpus = [], []
    for attempt in range(3):  # into a fresh workspace each time; the last one is measured on
        doc["workspace"]["slug"] = f"synthetic-{size}-{attempt}"
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        ws = interchange.load(doc)
        db.session.commit()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    imported, imported_cpu = min(walls), min(cpus)
    ws_id, settings = ws.id, settings_for(ws)
    fetched = raw_fetch(path, ws_id)
    snap = load_snapshot(ws)

    def load() -> None:
        with paused_gc():  # as analyse_workspace does
            load_snapshot(ws)

    def analyse() -> None:
        with paused_gc():
            coherence.score(snap, coherence.analyse(snap, AS_OF, settings), settings)
    result = {"size": size, "rows": rows, "fetched": fetched, "import": imported,
              "import_cpu": imported_cpu,
              "raw": best(lambda: raw_fetch(path, ws_id)),
              "load": best(load), "analyse": best(analyse),
              "findings": len(coherence.analyse(snap, AS_OF, settings))}
    db.session.expunge_all()
    return result


def report(results: list[dict]) -> str:
    head = ("| nodes | file rows | import | µs/row (CPU µs/row) | raw fetch | load | analyse | "
            "(load+analyse)/raw | µs/node (load+analyse) | findings |")
    lines = [head, "|" + " --- |" * 10]
    for r in results:
        work = r["load"] + r["analyse"]
        lines.append(
            f"| {r['size']:,} | {r['rows']:,} | {r['import']:.2f} s | "
            f"{1e6 * r['import'] / r['rows']:.1f} ({1e6 * r['import_cpu'] / r['rows']:.1f}) | "
            f"{1e3 * r['raw']:.0f} ms | "
            f"{1e3 * r['load']:.0f} ms | {1e3 * r['analyse']:.0f} ms | {work / r['raw']:.1f}x | "
            f"{1e6 * work / r['size']:.1f} | {r['findings']:,} |")
    return "\n".join(lines)


def run() -> None:
    """Print the figures for docs/performance.md ('## Coherence and import')."""
    from flask_migrate import upgrade

    from cascade import create_app

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                          "SECRET_KEY": "bench-only"})
        with app.app_context():
            upgrade()
            from cascade.db import db
            print(f"Coherence and import, SQLite {sqlite3.sqlite_version}, "
                  f"SQLAlchemy {sa.__version__}")
            results = []
            for size in SIZES:
                results.append(measure(size, path))
                print(f"  {size:,} nodes done", flush=True)
            print(report(results))
            db.engine.dispose()

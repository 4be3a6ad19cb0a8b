"""Pages at an organisation's size: every workspace page under gunicorn, one request at a
time, on the demo, the synthetic organisation of 50 nodes and that of 20,000 (60,000
notes), SQLite (WAL) and PostgreSQL.

    python -m benchmarks pages      (part of `make bench`)

Per case, a scratch database gets the workspace, a facilitated session when it has none
(so the session page has one to show) and an admin (the synthetic organisation has none),
then its stored analysis; gunicorn serves it as `make run` does, with
`CASCADE_REQUEST_METRICS` on, so each response says the app's time (`Server-Timing`) and
its SQL statements (`X-SQL-Statements`). Each page is fetched on one keep-alive connection
(so by one worker) as the coach, or the admin where the page is for admins (a measure's
form as a leader of the top unit): two warm-ups, then up to PAGES_REPEAT (40) requests,
fewer (at least 3) once they pass PAGES_SECONDS (8) for the page. Figures: p50 and p95 of
the server's time, bytes received with `Accept-Encoding: gzip, br` and the HTML they unpack
to, and the statements per request.

Goals (issue 13): at 20,000 nodes every page ≤ 300 ms p95 and ≤ 500 KB transferred, and the
same statements per page at 50 and at 20,000 nodes (the same shape of organisation; the
demo is there for comparison, its content differs).

Environment: PAGES_CASES (default `sqlite:demo,sqlite:50,sqlite:20000,postgresql:demo,
postgresql:50,postgresql:20000`), PAGES_ONLY (page names, comma-separated, e.g.
`feedback,node page`), PAGES_REPEAT, PAGES_SECONDS. The raw figures go to
`bench-results/pages.json`.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from benchmarks import served

CASES = os.environ.get("PAGES_CASES", "sqlite:demo,sqlite:50,sqlite:20000,"
                                      "postgresql:demo,postgresql:50,postgresql:20000")
REPEAT = int(os.environ.get("PAGES_REPEAT", "40"))
SECONDS = float(os.environ.get("PAGES_SECONDS", "8"))
WARM_UPS = 2
GOAL_MS, GOAL_KB = 300, 500
BIG = 20_000

PAGES = (  # name, path under /w/<slug> (or from the root), who asks; {node} etc. prepared
    ("overview", "/", "coach"),
    ("inbox", "/inbox", "coach"),
    ("strategy tree", "/nodes/", "coach"),
    ("strategy tree: open a node", "/nodes/{node}/children?fragment=1", "coach"),
    ("strategy tree: search", "/nodes/?q=initiative+1", "coach"),
    ("node page", "/nodes/{node}", "coach"),
    ("coverage", "/nodes/{node}/coverage", "coach"),
    ("graph (cached view)", "/graph", "coach"),
    ("findings", "/findings", "coach"),
    ("feedback", "/feedback", "coach"),
    ("pulses", "/pulses", "coach"),
    ("pulse", "/pulses/{pulse}", "coach"),
    ("panorama", "/pulses/panorama", "coach"),
    ("sessions", "/sessions", "coach"),
    ("session", "/sessions/{session}", "coach"),
    ("notifications", "/notifications", "coach"),
    ("API tokens", "/tokens", "coach"),
    ("units", "/units", "admin"),
    ("people", "/people", "admin"),
    ("measure (edit)", "/measures/{measure}/edit", "leader"),
    ("import/export", "/exchange", "admin"),
    ("webhooks", "/webhooks", "admin"),
    ("audit", "/audit", "admin"),
    ("jobs", "/jobs", "admin"),
    ("workspaces (home)", "//", "coach"),  # "//": the site's, outside the workspace
    ("account", "//account", "coach"),
)

# before the analysis is stored: an admin and a session where the workspace has none
BEFORE = """
from cascade.findings.analysis import analysis_of
from cascade.models import FacilitatedSession, Role, SessionTemplate
from cascade.sessions import operations as sessions
has = lambda *where: db.session.scalar(sa.select(sa.func.count()).where(*where)) > 0
if not has(Membership.workspace_id == ws.id, Membership.role == Role.ADMIN):
    lead = db.session.scalars(sa.select(Membership).where(Membership.workspace_id == ws.id,
        Membership.role == Role.LEADER).order_by(Membership.id)).first()
    db.session.add(Membership(workspace_id=ws.id, person_id=lead.person_id,
                              unit_id=lead.unit_id, role=Role.ADMIN))
coach = db.session.scalars(sa.select(Membership.person_id).where(
    Membership.workspace_id == ws.id, Membership.role == Role.COACH)
    .order_by(Membership.id)).first()
if not has(FacilitatedSession.workspace_id == ws.id):
    found = analysis_of(ws, clock.today()).open_findings
    sessions.create_session(ws, by=db.session.get(Person, coach), title="Quarterly review",
        template=SessionTemplate.COHERENCE_REVIEW, node=None, unit=None,
        fingerprints=[f.fingerprint for f in found[:5]], pulse=None, statement="",
        anonymised=False, step_minutes=10, today=clock.today())
db.session.commit()
"""

# what the pages need: who signs in (the coach, the admin, and a leader of the top unit, who
# may edit every measure), the busiest node (most children), a pulse, a session
# and a measure
THEN = """
from cascade.models import FacilitatedSession, Measure, Note, Pulse, Role, Unit
def first(query):
    return db.session.scalars(query.limit(1)).first()
person = lambda role: db.session.get(Person, first(sa.select(Membership.person_id).where(
    Membership.workspace_id == ws.id, Membership.role == role).order_by(Membership.id)))
child = sa.orm.aliased(Node)
busiest = first(sa.select(Node).join(child, child.parent_id == Node.id)
    .where(Node.workspace_id == ws.id).group_by(Node.id)
    .order_by(sa.func.count(child.id).desc(), Node.id))
top = first(sa.select(Unit.id).where(Unit.workspace_id == ws.id, Unit.parent_id.is_(None)))
leader = db.session.get(Person, first(sa.select(Membership.person_id).where(
    Membership.unit_id == top, Membership.role == Role.LEADER).order_by(Membership.id)))
print("PREPARED " + json.dumps({"slug": slug, "coach": person(Role.COACH).get_id(),
    "admin": person(Role.ADMIN).get_id(), "leader": leader.get_id(), "node": busiest.key,
    "pulse": first(sa.select(Pulse.key).where(Pulse.workspace_id == ws.id).order_by(Pulse.id)),
    "session": first(sa.select(FacilitatedSession.key)
                     .where(FacilitatedSession.workspace_id == ws.id)),
    "measure": first(sa.select(Measure.id).join(Node, Node.id == Measure.node_id)
                     .where(Node.workspace_id == ws.id).order_by(Measure.id)),
    "nodes": db.session.scalar(sa.select(sa.func.count()).where(Node.workspace_id == ws.id)),
    "notes": db.session.scalar(sa.select(sa.func.count(Note.id)).join(Node)
                               .where(Node.workspace_id == ws.id))}))
"""


def _unpack(body: bytes, encoding: str | None) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    if encoding in (None, "", "identity"):
        return body
    raise RuntimeError(f"unexpected Content-Encoding {encoding}")


class Browser:
    """One keep-alive connection with one person's session cookie."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port, self.cookie = port, cookie
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def close(self) -> None:
        self.connection.close()

    def get(self, path: str) -> dict:
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers={
                "Cookie": f"session={self.cookie}", "Accept-Encoding": "gzip, br"})
            response = self.connection.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):  # the server closed an idle connection
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            return self.get(path)
        client_ms = (time.perf_counter() - started) * 1000
        timing = response.getheader("Server-Timing") or ""
        if "dur=" not in timing:
            raise RuntimeError(f"{path}: no Server-Timing (is CASCADE_REQUEST_METRICS on?)")
        return {"status": response.status, "server_ms": float(timing.split("dur=")[1]),
                "client_ms": client_ms, "sent": len(body),
                "html": len(_unpack(body, response.getheader("Content-Encoding"))),
                "encoding": response.getheader("Content-Encoding") or "none",
                "statements": int(response.getheader("X-SQL-Statements"))}


def percentile(values: list[float], p: float) -> float:
    """Linear interpolation between the closest ranks (as numpy's default)."""
    ordered = sorted(values)
    place = (len(ordered) - 1) * p / 100
    low = int(place)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (place - low)


def page_figures(browser: Browser, path: str, repeat: int = REPEAT,
                 seconds: float = SECONDS) -> dict:
    for _ in range(WARM_UPS):
        browser.get(path)
    samples, started = [], time.monotonic()
    while len(samples) < repeat and (len(samples) < 3 or time.monotonic() - started < seconds):
        samples.append(browser.get(path))
    times = [s["server_ms"] for s in samples]
    counts = sorted({s["statements"] for s in samples})
    return {"status": sorted({s["status"] for s in samples}), "samples": len(samples),
            "p50": statistics.median(times), "p95": percentile(times, 95),
            "client_p95": percentile([s["client_ms"] for s in samples], 95),
            "sent": max(s["sent"] for s in samples), "html": max(s["html"] for s in samples),
            "encoding": samples[-1]["encoding"], "statements": counts,
            "server_ms": times}


def measure(backend: str, size: int | None, only: set[str] | None = None,
            repeat: int = REPEAT, seconds: float = SECONDS, **settings: str) -> dict:
    """Prepare and serve one case, fetch each page; the figures per page name. `settings`:
    further environment variables for the server."""
    work = Path(tempfile.mkdtemp(prefix="cascade-pages-"))
    url, drop = served.database(backend, work)
    queue = work / "jobs.sqlite"
    server, browsers = None, {}
    try:
        started = time.monotonic()
        prepared = served.prepare(url, size, queue, THEN, before=BEFORE, slug="org")
        prepare_seconds = time.monotonic() - started
        port = served.free_port()
        server = served.serve(url, queue, port, CASCADE_REQUEST_METRICS="true", **settings)
        browsers = {who: Browser(port, served.cookie(prepared[who]))
                    for who in dict.fromkeys(who for _, _, who in PAGES)}
        pages = {}
        for name, path, who in PAGES:
            if only and name not in only:
                continue
            fields = {k: quote(str(v)) for k, v in prepared.items() if v is not None}
            try:
                path = path.format(**fields)
            except KeyError:  # the workspace has nothing of the kind to show
                continue
            full = path[1:] if path.startswith("//") else f"/w/{prepared['slug']}{path}"
            pages[name] = page_figures(browsers[who], full, repeat, seconds) | {
                "path": full, "who": who}
        return {"backend": backend, "size": size, "nodes": prepared["nodes"],
                "notes": prepared["notes"], "prepare_s": prepare_seconds, "pages": pages,
                "load": os.getloadavg()}
    finally:
        for browser in browsers.values():
            browser.close()
        if server is not None:
            served.stop(server)
        drop()
        shutil.rmtree(work, ignore_errors=True)


def _label(size: int | None) -> str:
    return "demo" if size is None else f"{size:,}"


SHORT = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def verdicts(results: list[dict]) -> list[dict]:
    """One row per page: its figures per database and size, and the goals per database
    (None where the case the goal needs was not measured)."""
    backends = list(dict.fromkeys(r["backend"] for r in results))
    names = list(dict.fromkeys(n for r in results for n in r["pages"]))
    rows = []
    for name in names:
        figures = {(r["backend"], r["size"]): r["pages"][name] for r in results
                   if name in r["pages"]}
        goals = {}
        for backend in backends:
            big = figures.get((backend, BIG))
            counts = {tuple(f["statements"]) for (b, size), f in figures.items()
                      if b == backend and size is not None}
            goals[backend] = {
                "fast": None if big is None else big["p95"] <= GOAL_MS and big["status"] == [200],
                "small": None if big is None else big["sent"] <= GOAL_KB * 1000,
                "constant": None if len([1 for (b, size) in figures if b == backend
                                         and size is not None]) < 2
                else len(counts) == 1 and len(next(iter(counts))) == 1}
        rows.append({"page": name, "who": next(iter(figures.values()))["who"],
                     "figures": figures, "goals": goals})
    return rows


def _mark(goals: dict[str, dict], key: str) -> str:
    """yes, or which databases miss the goal; empty where none was measured."""
    known = {b: g[key] for b, g in goals.items() if g[key] is not None}
    missed = [SHORT.get(b, b) for b, ok in known.items() if not ok]
    if not known:
        return ""
    return "yes" if not missed else "**no**" if len(missed) == len(known) else \
        "**no** (" + ", ".join(missed) + ")"


def _times(f: dict | None) -> str:
    if f is None:
        return ""
    return f"{f['p50']:.0f} / {f['p95']:.0f}" + ("" if f["status"] == [200] else
                                                   f" (HTTP {', '.join(map(str, f['status']))})")


def print_table(results: list[dict]) -> None:
    """The Markdown for docs/performance.md: a line per case, a row per page."""
    backends = list(dict.fromkeys(r["backend"] for r in results))
    sizes = list(dict.fromkeys(r["size"] for r in results))
    print(f"\n## Pages, one request at a time (gunicorn as `make run` starts it, "
          f"{os.cpu_count()} cores)\n")
    for r in results:
        print(f"- {SHORT.get(r['backend'], r['backend'])}, {_label(r['size'])}: "
              f"{r['nodes']:,} nodes, {r['notes']:,} notes, prepared in {r['prepare_s']:.0f} s;"
              f" load average {r['load'][0]:.1f} (1 min), {r['load'][1]:.1f} (5 min) after")
    head = ["page", "as"]
    timed = [size for size in sizes if size in (None, BIG)] or sizes  # the others count
    head += [f"{_label(size)} p50 / p95 ms, {SHORT.get(b, b)}" for size in timed
             for b in backends]
    head += [f"{_label(BIG)} KB sent (HTML)", "statements " + " / ".join(map(_label, sizes)),
             f"≤ {GOAL_MS} ms", f"≤ {GOAL_KB} KB", "statements constant"]
    print("\n| " + " | ".join(head) + " |")
    print("| --- | --- |" + " ---: |" * (len(head) - 2))
    rows = verdicts(results)
    for row in rows:
        figures = row["figures"]
        cells = [row["page"], row["who"]]
        cells += [_times(figures.get((b, size))) for size in timed for b in backends]
        big = next((figures[(b, BIG)] for b in backends if (b, BIG) in figures), None)
        cells.append("" if big is None else f"{big['sent'] / 1000:.0f} ({big['html'] / 1000:,.0f})")
        counts = {b: " / ".join("–".join(map(str, figures[(b, size)]["statements"]))
                                if (b, size) in figures else "–" for size in sizes)
                  for b in backends}
        first = counts[backends[0]]
        cells.append(first + "".join(f" ({SHORT.get(b, b)} {c})" for b, c in counts.items()
                                     if c != first))
        cells += [_mark(row["goals"], key) for key in ("fast", "small", "constant")]
        print("| " + " | ".join(cells) + " |")
    for goal, key in ((f"≤ {GOAL_MS} ms p95 at {_label(BIG)} nodes", "fast"),
                      (f"≤ {GOAL_KB} KB sent at {_label(BIG)} nodes", "small"),
                      ("the same statements at every size but the demo", "constant")):
        missed = [f"{r['page']} ({SHORT.get(b, b)})" for r in rows
                  for b, g in r["goals"].items() if g[key] is False]
        if any(g[key] is not None for r in rows for g in r["goals"].values()):
            print(f"\n{goal}: " + ("met by every page" if not missed else
                                   f"NOT met by {len(missed)}: " + ", ".join(missed)))


def run() -> list[dict]:
    only = {n.strip() for n in os.environ.get("PAGES_ONLY", "").split(",") if n.strip()}
    results = []
    for case in CASES.split(","):
        backend, _, size = case.strip().partition(":")
        results.append(measure(backend, None if size == "demo" else int(size), only or None))
        done = results[-1]
        print(f"{backend} {_label(done['size'])}: {len(done['pages'])} pages measured",
              flush=True)
    out = served.ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "pages.json").write_text(json.dumps(results, indent=2))
    print_table(results)
    return results


if __name__ == "__main__":
    run()

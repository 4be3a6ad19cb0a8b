"""Load: Cascade under gunicorn on the loopback, driven by wrk (Debian's `wrk`).

For each database (SQLite in WAL mode, PostgreSQL) and workspace (the demo, and a generated
20,000-node one): a trivial route as the baseline (`/healthz`), then a mix of 90 % node
pages and 10 % notes left through the real form (CSRF token and all) at 32 connections,
signed in as a member. The analysis exists before measuring (as it does once a workspace
has been opened); the job consumer runs beside gunicorn as `make run` starts it, so the
notes' versions are analysed during the run, once per burst (the mix reports how many notes
were written and how many analyses were made meanwhile). Each run lasts LOAD_SECONDS (10) after a
short warm-up; the figures are wrk's: requests per second, latency percentiles, and
errors (non-2xx/3xx answers, timeouts, broken connections).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from benchmarks import served

ROOT = served.ROOT
SECONDS = int(os.environ.get("LOAD_SECONDS", "10"))
CONNECTIONS = 32

MIX = r"""
local paths, note_paths = {}, {}
local cookie, csrf, unit = "%(cookie)s", "%(csrf)s", "%(unit)s"
%(paths)s
local thread_id = 0
function setup(thread)
  thread_id = thread_id + 1
  thread:set("seed", thread_id)
end
function init(args)
  math.randomseed(os.time() * 100 + seed)
end
local alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
local function key()
  local out = {}
  for i = 1, 24 do
    local n = math.random(#alphabet)
    out[i] = alphabet:sub(n, n)
  end
  return table.concat(out)
end
function request()
  local i = math.random(#paths)
  if math.random(10) == 1 then
    local body = "csrf_token=" .. csrf .. "&submission=" .. key() ..
      "&kind=execution&stance=support&unit=" .. unit .. "&body=Load+test+note"
    return wrk.format("POST", note_paths[i], {["Cookie"] = cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
  end
  return wrk.format("GET", paths[i], {["Cookie"] = cookie, ["Accept-Encoding"] = "gzip"})
end
"""

DONE = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "p50": %.2f, "p95": %.2f, "p99": %.2f, ' ..
    '"errors": %d, "status_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status, e.status))
end
"""


MEMBER = """
member = db.session.execute(sa.select(Membership.person_id, Membership.unit_id)
    .where(Membership.workspace_id == ws.id, Membership.role == "member")
    .order_by(Membership.id).limit(1)).one()
keys = db.session.scalars(sa.select(Node.key).where(Node.workspace_id == ws.id,
    Node.status != "retired").order_by(Node.id)).all()
person = db.session.get(Person, member.person_id)
print("PREPARED " + json.dumps({"slug": slug, "unit": member.unit_id,
    "user": person.get_id(), "keys": keys[:: max(1, len(keys) // 200)]}))
"""


def _session_and_token(port: int, cookie: str, path: str) -> tuple[str, str]:
    """The session cookie after a page view (it now holds the CSRF secret) and the form's
    CSRF token."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Cookie": f"session={cookie}"})
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    set_cookie = response.getheader("Set-Cookie") or ""
    found = re.search(r"session=([^;]+)", set_cookie)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', body)
    if token is None:
        raise RuntimeError("no CSRF token on the node page")
    return (found.group(1) if found else cookie), token.group(1)


def _wrk(script: str, port: int, path: str, seconds: int, connections: int,
         warm_up: bool = False) -> dict | None:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + DONE)
    try:
        done = subprocess.run(
            ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s",
             "--timeout", "10s", "-s", lua.name, f"http://127.0.0.1:{port}{path}"],
            capture_output=True, text=True, check=True)
    finally:
        os.unlink(lua.name)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if warm_up:
        return None
    if line is None or '"requests": 0,' in line:
        raise RuntimeError(f"wrk measured nothing:\n{done.stdout}\n{done.stderr}")
    result = json.loads(line[len("RESULT "):])
    result["rps"] = result["requests"] / result["seconds"]
    result["load"] = os.getloadavg()[0]
    return result


def _versions(url: str, slug: str) -> tuple[int, int]:
    """The workspace's version and the newest stored analysis' id (ids only grow: pruning
    keeps the newest), read beside the server."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            version, ws_id = conn.execute(sa.text(
                "SELECT data_version, id FROM workspace WHERE slug = :slug"), {"slug": slug}).one()
            newest = conn.execute(sa.text(
                "SELECT coalesce(max(id), 0) FROM stored_analysis WHERE workspace_id = :ws"),
                {"ws": ws_id}).scalar()
    finally:
        engine.dispose()
    return version, newest


def measure(backend: str, size: int | None) -> dict:
    work = Path(tempfile.mkdtemp(prefix="cascade-load-"))
    url, drop = served.database(backend, work)
    queue = work / "jobs.sqlite"
    server = None
    try:
        prepared = served.prepare(url, size, queue, MEMBER)
        port = served.free_port()
        server = served.serve(url, queue, port)
        slug, keys = prepared["slug"], prepared["keys"]
        cookie, csrf = _session_and_token(port, served.cookie(prepared["user"]),
                                          f"/w/{slug}/nodes/{keys[0]}")
        paths = "\n".join(
            f'paths[{i + 1}] = "/w/{slug}/nodes/{urllib.parse.quote(k)}"\n'
            f'note_paths[{i + 1}] = "/w/{slug}/nodes/{urllib.parse.quote(k)}/notes"'
            for i, k in enumerate(keys))
        mix = MIX % {"cookie": f"session={cookie}", "csrf": csrf, "unit": prepared["unit"],
                     "paths": paths}
        _wrk("", port, "/healthz", 2, CONNECTIONS, warm_up=True)  # workers up, pools open
        baseline = _wrk("", port, "/healthz", SECONDS, CONNECTIONS)
        _wrk(mix, port, "/", 10, CONNECTIONS, warm_up=True)  # each worker loads the analysis
        reads = mix.replace("if math.random(10) == 1 then", "if false then")
        single = _wrk(reads, port, "/", SECONDS, 1)  # one reader at a time: a page's own time
        before = _versions(url, slug)
        mixed = _wrk(mix, port, "/", SECONDS, CONNECTIONS)
        time.sleep(3)  # the analysis job of the last writes (CASCADE_ANALYSIS_DELAY) claims
        after = _versions(url, slug)
        mixed["writes"] = after[0] - before[0]  # versions: one per note written
        mixed["analyses"] = after[1] - before[1]  # analyses claimed meanwhile
        return {"backend": backend, "workspace": "demo" if size is None else f"{size:,} nodes",
                "baseline": baseline, "single": single, "mix": mixed}
    finally:
        if server is not None:
            served.stop(server)
        drop()
        shutil.rmtree(work, ignore_errors=True)


def _print(results: list[dict]) -> None:
    print(f"\nLoad on the loopback: wrk, {CONNECTIONS} connections, {SECONDS} s per run, "
          f"gunicorn as `make run` starts it ({os.cpu_count()} cores)")
    print("| database | workspace | run | req/s | p50 ms | p95 ms | p99 ms | errors | "
          "share of baseline | load avg |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        for run in ("baseline", "single", "mix"):
            if run not in r:
                continue
            f = r[run]
            share = f"{f['rps'] / r['baseline']['rps']:.0%}" if run == "mix" else ""
            label = {"baseline": "/healthz", "single": "node page, 1 connection",
                     "mix": "90 % node page, 10 % note"}[run]
            print(f"| {r['backend']} | {r['workspace']} | {label} | {f['rps']:.0f} | "
                  f"{f['p50']:.1f} | {f['p95']:.1f} | {f['p99']:.1f} | {f['errors']} | "
                  f"{share} | {f['load']:.2f} |")
        if "writes" in r["mix"]:
            print(f"|  |  | notes written / analyses made during the mix: "
                  f"{r['mix']['writes']} / {r['mix']['analyses']} |  |  |  |  |  |  |  |")


def run() -> None:
    if shutil.which("wrk") is None:
        sys.exit("the load benchmark needs wrk: apt-get install wrk")
    wanted = os.environ.get("LOAD_CASES", "sqlite:demo,sqlite:20000,postgresql:demo,"
                                          "postgresql:20000")
    results = []
    for case in wanted.split(","):
        backend, _, size = case.partition(":")
        try:
            results.append(measure(backend, None if size == "demo" else int(size)))
        except RuntimeError as error:  # a run that completed no request within its time
            print(f"{case}: {error}", flush=True)
            continue
        print(json.dumps(results[-1]), flush=True)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "load.json").write_text(json.dumps(results, indent=2))
    _print(results)

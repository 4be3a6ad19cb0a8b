"""Graph rendering benchmark: our render against dot's own time for the same DOT, cold and
cached, on synthetic organisations of 100, 1,000 and 20,000 nodes in a scratch SQLite file.

    python -m benchmarks.graph        (or `make bench`, which runs every section)

Columns: dot = `dot -Tsvg` alone on the DOT we produced; render = our whole render of a
new view of an analysed workspace (filter, collapse, build DOT, run dot, check and annotate
the SVG), as each new filter or expanded group costs it; first render = the same for the
first view of a workspace version, which also works out the drawable tree that its views
share; cold page = what a request costs with empty caches (stamp query, load, analyse,
render); cached = the same request once the view is cached. Best of several runs, in
seconds; dot and our renders take turns, so load from other processes falls on all alike.
"""

from __future__ import annotations

import os
import random
import subprocess
import time
from datetime import UTC, datetime

CASES = (  # label, nodes, node budget (None: the configured default, 300)
    ("100 nodes", 100, None),
    ("1,000 nodes, all drawn", 1_000, 1_000),
    ("1,000 nodes, collapsed", 1_000, None),
    ("20,000 nodes, collapsed", 20_000, None),
)


def run() -> list[dict]:
    """Build each workspace, time it, print a Markdown table and return the rows."""
    from benchmarks import scratch_app

    with scratch_app() as app:
        built: dict = {}
        rows = [_case(app, label, built.get(size) or built.setdefault(size, _workspace(size)),
                      budget) for label, size, budget in CASES]
        roomy = _room(app, built[100])
    _print(rows)
    print(f"\nRoom picture of the 100-node workspace for {roomy['box']} px: {roomy['drawn']} drawn "
          f"({roomy['packing']}, text {roomy['px']:.1f} px); render {roomy['room']:.3f} s against "
          f"the desk's {roomy['desk']:.3f} s ({roomy['room'] / roomy['desk']:.1f}×: every "
          f"candidate packing laid out, then folded and laid out again until readable)")
    return rows


def _room(app, ws) -> dict:
    """A room's picture (`cascade.graph.room`) against the desk's drawing of the same view,
    each rendered with empty caches."""
    from cascade import clock
    from cascade.findings.analysis import analyse_workspace
    from cascade.graph import room
    from cascade.graph.cache import Cache
    from cascade.graph.options import PROJECTOR, GraphOptions
    from cascade.graph.view import draw_analysis, render_view

    analysis = analyse_workspace(ws, clock.today())
    desk = GraphOptions(budget=app.config["GRAPH_NODE_BUDGET"])
    roomy = desk.for_room(PROJECTOR)
    desk_time, room_time = _best_alternating(3, (
        lambda: render_view(analysis, desk, Cache()),
        lambda: render_view(analysis, roomy, Cache())))
    cache = Cache()
    scope, plan, drawing = draw_analysis(analysis, roomy, cache=cache)
    svg = render_view(analysis, roomy, cache).svg.encode()
    return {"box": "{}×{}".format(*PROJECTOR), "drawn": len(plan.visible) + len(plan.summaries),
            "packing": f"{drawing.packing.rankdir}, columns of {drawing.packing.column}",
            "px": room.text_px(svg, PROJECTOR), "desk": desk_time, "room": room_time}


def _case(app, label: str, ws, budget: int | None) -> dict:
    from cascade import clock
    from cascade.findings import analysis as findings_analysis
    from cascade.findings.analysis import analyse_workspace
    from cascade.graph.cache import Cache
    from cascade.graph.facts import hover_facts
    from cascade.graph.options import GraphOptions
    from cascade.graph.render import DotRun, marks, safe_svg
    from cascade.graph.scope import drawable_tree
    from cascade.graph.view import draw_analysis, graph_view, page_view, render_view
    from cascade.graph.view import init_app as graph_init

    options = GraphOptions(budget=budget or app.config["GRAPH_NODE_BUDGET"])
    started = time.perf_counter()
    analysis = analyse_workspace(ws, clock.today())
    analyse_time = time.perf_counter() - started
    repeat = 5
    scope, plan, drawing = draw_analysis(analysis, options)
    source = drawing.dot.source
    tree = _best(repeat, lambda: drawable_tree(analysis.index))
    prepare = _best(repeat, lambda: draw_analysis(analysis, options)[2].dot.source)
    annotations = marks(hover_facts(scope, plan))
    meanwhile = _best(repeat, lambda: (marks(hover_facts(scope, plan)),
                                       page_view(analysis, scope, plan, options)))
    with DotRun(source, "svg", 60) as run:
        raw = run.output()
    finish = _best(repeat, lambda: safe_svg(raw, annotations))
    def first_render():
        analysis.derived.clear()  # as for the first view of this workspace version
        render_view(analysis, options, Cache())

    dot, render, first = _best_alternating(repeat * 2, (
        lambda: subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True,
                               check=True),
        lambda: render_view(analysis, options, Cache()), first_render))

    def cold_page():
        findings_analysis.init_app(app)  # a new worker's empty caches
        graph_init(app)
        graph_view(ws, options, clock.today())

    cold = _best(repeat, cold_page)
    graph_view(ws, options, clock.today())
    cached = _best(50, lambda: graph_view(ws, options, clock.today()))
    return {"case": label, "drawn": len(plan.visible) + len(plan.summaries),
            "unit_marks": len(scope.empty_units),
            "analyse": analyse_time, "dot": dot, "render": render, "first": first,
            "tree": tree, "cold": cold,
            "prepare": prepare, "meanwhile": meanwhile, "finish": finish,
            "cached": cached}


def _best_alternating(times: int, actions) -> list[float]:
    """Best of `times` for each action, taking turns, so that load from other processes on
    the machine falls on all of them alike rather than on whichever ran during a burst."""
    best = [float("inf")] * len(actions)
    for _ in range(times):
        for i, action in enumerate(actions):
            started = time.perf_counter()
            action()
            best[i] = min(best[i], time.perf_counter() - started)
    return best


def _best(times: int, action) -> float:
    """Best of `times`, with the cyclic collector paused as the render pauses it."""
    from cascade.allocation import paused_gc

    best = float("inf")
    for _ in range(times):
        with paused_gc():
            started = time.perf_counter()
            action()
            best = min(best, time.perf_counter() - started)
    return best


def _print(rows: list[dict]) -> None:
    print("| case | drawn (+ units without strategy) | dot alone | our render | render ÷ dot "
          "| first render ÷ dot | cold page | cached page | cold ÷ cached |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['case']} | {r['drawn']} (+{r['unit_marks']}) | {r['dot']:.3f} s | "
              f"{r['render']:.3f} s | {r['render'] / r['dot']:.2f}× | "
              f"{r['first'] / r['dot']:.2f}× | {r['cold']:.3f} s | "
              f"{r['cached'] * 1000:.1f} ms | {r['cold'] / r['cached']:.0f}× |")
    print("\n| case | drawable tree (first view) | before dot: filter, collapse, build DOT "
          "| dot | while dot runs: hover facts, page lists "
          "| check and annotate SVG, measured alone |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['case']} | {r['tree'] * 1000:.1f} ms | {r['prepare'] * 1000:.0f} ms | "
              f"{r['dot'] * 1000:.0f} ms | {r['meanwhile'] * 1000:.0f} ms | "
              f"{r['finish'] * 1000:.0f} ms |")
    print("\n(analysis alone: " + ", ".join(f"{r['case']}: {r['analyse']:.2f} s" for r in rows)
          + f"; {os.cpu_count()} CPUs, {_dot_version()})")


def _dot_version() -> str:
    done = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
    return done.stderr.strip()


WORDS = ("customers", "delivery", "checkout", "trust", "search", "payments", "stock", "speed",
         "mobile", "data", "platform", "riders", "orders", "prices", "quality", "teams")


def _workspace(size: int):
    """An organisation shaped like the demo, scaled: a vision and themes at the top, tribes
    translating them, teams translating the tribes' objectives, key results below; one unit
    per ~20 nodes, a few dependencies, stale translations, drafts and retired nodes."""
    import sqlalchemy as sa

    from cascade.db import db
    from cascade.models import Link, Node, Unit, Workspace

    rng = random.Random(size)
    now = datetime.now(UTC)
    ws = Workspace(slug=f"bench-{size}", name=f"Bench {size:,}")
    db.session.add(ws)
    db.session.flush()
    tribes = max(2, size // 400)
    teams_per_tribe = max(2, size // 20 // tribes)
    unit_rows = [{"key": "org", "name": "Organisation", "parent": None}]
    unit_rows += [{"key": f"t{i}", "name": f"Tribe {i}", "parent": "org"} for i in range(tribes)]
    unit_rows += [{"key": f"t{i}-{j}", "name": f"Team {i}.{j}", "parent": f"t{i}"}
                  for i in range(tribes) for j in range(teams_per_tribe)]
    ids = {}
    for row in unit_rows:
        unit = Unit(workspace_id=ws.id, key=row["key"], name=row["name"],
                    parent_id=ids.get(row["parent"]))
        db.session.add(unit)
        db.session.flush()
        ids[row["key"]] = unit.id
    first = (db.session.scalar(sa.select(sa.func.max(Node.id))) or 0) + 1
    nodes: list[dict] = []

    def add(unit: str, parent: int | None, depth: int) -> int:
        node_id = first + len(nodes)
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).capitalize()
        status = rng.choices(("agreed", "proposed", "draft", "retired"), (70, 15, 10, 5))[0]
        revision = rng.choice((1, 1, 1, 2))
        nodes.append({"id": node_id, "workspace_id": ws.id, "key": f"n{len(nodes)}",
                      "title": title, "statement": "", "unit_id": ids[unit],
                      "parent_id": parent, "status": status if depth else "agreed",
                      "revision": revision, "parent_revision_seen": 1 if parent else None,
                      "version": 1, "created_at": now, "updated_at": now,
                      "_unit": unit, "_depth": depth})
        return node_id

    queue = [add("org", None, 0)]
    queue += [add("org", queue[0], 1) for _ in range(min(5, size - 1))]
    queue = queue[1:]
    while len(nodes) < size and queue:
        parent = nodes[queue.pop(0) - first]
        for _ in range(min(rng.randint(2, 6), size - len(nodes))):
            unit = parent["_unit"]
            if unit == "org":
                unit = f"t{rng.randrange(tribes)}"
            elif unit.count("-") == 0:
                unit = f"{unit}-{rng.randrange(teams_per_tribe)}"
            queue.append(add(unit, parent["id"], parent["_depth"] + 1))
    db.session.execute(sa.insert(Node), [{k: v for k, v in n.items() if not k.startswith("_")}
                                         for n in nodes])
    links = {(rng.randrange(size), rng.randrange(size)) for _ in range(size // 20)}
    db.session.execute(sa.insert(Link), [
        {"workspace_id": ws.id, "source_id": first + a, "target_id": first + b,
         "kind": rng.choice(("depends_on", "contributes_to")), "created_at": now}
        for a, b in links if a != b])
    db.session.commit()
    return ws


if __name__ == "__main__":
    run()

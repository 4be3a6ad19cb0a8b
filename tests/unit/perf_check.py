"""Run by hand: time the engine on a large synthetic workspace (not a timed test).

    PYTHONPATH=. python tests/unit/perf_check.py [nodes]

A wide, deep organisation with every kind of gap in it, so that each rule has work to
do; the engine should stay linear-ish, well under a second or two at 20,000 nodes.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, datetime, timedelta

from cascade.coherence import analyse, score, scores_by_node
from cascade.coherence.model import Answer, Node, Note, Snapshot, Statement, Unit


def big_workspace(size: int, seed: int = 7) -> Snapshot:
    """`size` nodes over about size/20 units, with links, notes and pulses."""
    rng = random.Random(seed)
    units = [Unit("u0", "Org")]
    for i in range(1, max(2, size // 20)):
        units.append(Unit(f"u{i}", f"Unit {i}", f"u{rng.randrange(max(1, i // 2), i)}"
                          if i > 3 else "u0", archived=rng.random() < 0.02))
    nodes = []
    for i in range(size):
        parent = f"n{rng.randrange(max(0, i - 200), i)}" if i and rng.random() < 0.97 else None
        deps = tuple(f"n{rng.randrange(size)}" for _ in range(rng.random() < 0.1))
        nodes.append(Node(f"n{i}", f"Node {i}", units[min(len(units) - 1, i // 20)].key,
                          parent, rng.choice(("agreed", "agreed", "proposed", "draft",
                                              "retired")),
                          rng.randint(1, 3), rng.choice((None, 1, 2, 3)), deps))
    start = datetime(2026, 9, 1)
    notes = [Note(f"note{i}", f"n{rng.randrange(size)}", "feasibility",
                  rng.choice(("support", "concern", "blocker")), rng.choice(units).key,
                  "open", start + timedelta(hours=rng.randrange(24 * 60)))
             for i in range(size // 2)]
    statements = [Statement(f"p{i}", "Clear", f"n{rng.randrange(size)}",
                            tuple(Answer(rng.choice(units).key, rng.randint(1, 5))
                                  for _ in range(8)))
                  for i in range(size // 20)]
    return Snapshot("big", tuple(units), tuple(nodes), tuple(notes), tuple(statements))


def main(size: int) -> None:
    snap = big_workspace(size)
    began = time.perf_counter()
    found = analyse(snap, date(2026, 11, 1))
    analysed = time.perf_counter()
    total = score(snap, found)
    badges = scores_by_node(snap, found)
    scored = time.perf_counter()
    print(f"{size} nodes: {len(found)} findings in {analysed - began:.2f}s; "
          f"score {total}, {len(badges)} subtree scores in {scored - analysed:.2f}s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)

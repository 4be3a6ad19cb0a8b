"""Small keyword-default builders for hand-made Snapshots, and one coherent workspace.

Tests start from `coherent()` and change one thing, so each test shows exactly which
difference makes a finding appear (or not).
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta

from cascade.coherence import analyse
from cascade.coherence.graph import as_of_end
from cascade.coherence.model import Answer, Finding, Node, Note, Snapshot, Statement, Unit

AS_OF = date(2026, 11, 1)
_ids = itertools.count(1)


def unit(key: str, parent: str | None = None, *, archived: bool = False) -> Unit:
    return Unit(key, key.replace("-", " ").title(), parent, archived)


def node(key: str, unit: str, parent: str | None = None, *, status: str = "agreed",
         revision: int = 1, seen: int | None = None, depends_on: tuple[str, ...] = (),
         title: str | None = None) -> Node:
    return Node(key, title or key.replace("-", " ").capitalize(), unit, parent, status,
                revision, seen, depends_on)


def note(on: str, unit: str | None, *, stance: str = "support", status: str = "open",
         age: timedelta = timedelta(days=1), response: str | None = None,
         kind: str = "validation") -> Note:
    """A note created `age` before the end of the as-of day."""
    return Note(f"n{next(_ids)}", on, kind, stance, unit, status, as_of_end(AS_OF) - age,
                response)


def statement(on: str | None, *answers: tuple[str, int], pulse: str = "p1",
              text: str = "I understand how this relates to my team's work") -> Statement:
    return Statement(pulse, text, on, tuple(Answer(u, v) for u, v in answers))


def coherent() -> Snapshot:
    """Several units, agreed nodes translated all the way down, notes answered, and a
    pulse whose answers agree: a workspace that must produce no findings at all."""
    return Snapshot(
        "acme",
        units=(unit("acme"), unit("pay", "acme"), unit("risk", "acme"),
               unit("pay-web", "pay")),
        nodes=(node("vision", "acme", revision=2),
               node("obj-1", "acme", "vision", seen=2, title="Faster checkout"),
               node("pay-1", "pay", "obj-1", seen=1),
               node("risk-1", "risk", "obj-1", seen=1, depends_on=("pay-1",)),
               node("web-1", "pay-web", "pay-1"),
               node("web-2", "pay-web", "pay-1", status="proposed")),
        notes=(note("obj-1", "pay", stance="concern", age=timedelta(days=30),
                    response="We will phase it."),
               note("obj-1", "risk", stance="blocker", status="incorporated",
                    age=timedelta(days=40)),
               note("pay-1", "pay-web", stance="concern", age=timedelta(days=3)),
               note("pay-1", "pay-web", kind="experiment", age=timedelta(days=20))),
        statements=(statement("obj-1", ("pay", 4), ("risk", 5), ("pay-web", 3), ("pay", 4)),),
    )


def change(snap: Snapshot, **fields: object) -> Snapshot:
    return dataclasses.replace(snap, **fields)


def with_nodes(snap: Snapshot, *nodes: Node) -> Snapshot:
    """Replace nodes with the same key, append the others."""
    new = {n.key: n for n in nodes}
    kept = tuple(new.pop(n.key, n) for n in snap.nodes)
    return change(snap, nodes=kept + tuple(new.values()))


def edit_node(snap: Snapshot, key: str, **fields: object) -> Snapshot:
    return change(snap, nodes=tuple(dataclasses.replace(n, **fields) if n.key == key else n
                                    for n in snap.nodes))


def findings(snap: Snapshot, code: str | None = None, as_of: date = AS_OF) -> list[Finding]:
    return [f for f in analyse(snap, as_of) if code is None or f.code == code]


def summary(found: list[Finding]) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    return [(f.code, f.severity, f.nodes, f.units) for f in found]

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
from cascade.coherence.model import (
    Answer,
    CheckIn,
    Dependency,
    Finding,
    Measure,
    Node,
    Note,
    Snapshot,
    Statement,
    Unit,
)

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


# A measure's default dates put the end of AS_OF exactly halfway: 10 days gone of 20.
HALF_START, HALF_DUE = date(2026, 10, 23), date(2026, 11, 11)


def check_in(value: float, *, age: timedelta = timedelta(days=1), confidence: int | None = None,
             unit: str | None = None) -> CheckIn:
    """A check-in created `age` before the end of the as-of day."""
    return CheckIn(value, as_of_end(AS_OF) - age, confidence, unit)


def measure(on: str, *check_ins: CheckIn, key: str = "m1", direction: str = "increase",
            baseline: float | None = 0, target: float | None = 100,
            start: date | None = HALF_START, due: date | None = HALF_DUE, cadence: int = 30,
            status: str = "live", **fields: object) -> Measure:
    return Measure(key, on, f"{key} of {on}", direction, baseline, target,
                   start=start, due=due, cadence_days=cadence, status=status,
                   check_ins=check_ins, **fields)


def dependency(on_node: str, on: str, state: str = "requested", *,
               age: timedelta | None = timedelta(days=1),
               needed_by: str | None = None) -> Dependency:
    """The agreement on a link made `age` before the end of the as-of day (None: unknown)."""
    return Dependency(on_node, on, state, as_of_end(AS_OF) - age if age is not None else None,
                      needed_by)


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


def measured() -> Snapshot:
    """`coherent()` where one team measures its agreed leaf, checked in yesterday, on pace,
    with a confidence that fits: still a workspace that must produce no findings."""
    return change(coherent(), measures=(measure("web-1", check_in(50, confidence=6,
                                                                  unit="pay-web")),))


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

"""Closing a quarter (or any horizon): for the live nodes of that horizon a leader leads,
keep, retire, or carry each into the next horizon.

Carrying makes a new node (same unit, title and statement, the next horizon, the same
status) linked to the old one (`carried_from`), copies its live measures without their
check-ins, and retires the old one; what still hangs below the old node moves under the new
one, and a carried child goes under its carried parent. Every step is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from cascade import audit, horizons, trees
from cascade.db import db
from cascade.measures.operations import copy_measures
from cascade.models import Node, NodeStatus, Person, Workspace
from cascade.refusals import Refusal
from cascade.strategy import operations as ops

CHOICES = ("keep", "carry", "retire")


@dataclass
class Closed:
    carried: list[tuple[Node, Node]]
    retired: list[Node]


def nodes_of(ws: Workspace, horizon: str, may_close) -> list[Node]:
    """Live nodes whose horizon falls under `horizon` that `may_close(node)`, in tree order
    (parents before their children)."""
    nodes = list(db.session.scalars(sa.select(Node).where(
        Node.workspace_id == ws.id, Node.status != NodeStatus.RETIRED,
        Node.horizon.is_not(None))))
    found = {n.id: n for n in nodes if horizons.matches(n.horizon, horizon)
             and not n.unit.archived and may_close(n)}
    parent = {i: (n.parent_id if n.parent_id in found else None) for i, n in found.items()}
    kids = trees.children_of(parent)
    ordered = [i for root in sorted(k for k, p in parent.items() if p is None)
               for i in trees.subtree(root, {k: sorted(v) for k, v in kids.items()})]
    return [found[i] for i in ordered]


def close(ws: Workspace, nodes: list[Node], choices: dict[int, str], next_horizon: str, *,
          by: Person | None, now: datetime) -> Closed:
    """Apply each node's choice (missing: keep) in tree order."""
    if horizons.period(next_horizon) is None:
        raise Refusal("next_horizon", f"Name the next period. {horizons.HINT}")
    done = Closed([], [])
    carried_to: dict[int, Node] = {}
    for node in nodes:
        choice = choices.get(node.id, "keep")
        if choice == "carry":
            new = _carry(ws, node, next_horizon, carried_to, by=by, now=now)
            carried_to[node.id] = new
            done.carried.append((node, new))
        elif choice == "retire":
            ops.set_status(node, NodeStatus.RETIRED, by=by, now=now)
            done.retired.append(node)
    return done


def _carry(ws: Workspace, node: Node, next_horizon: str, carried_to: dict[int, Node], *,
           by: Person | None, now: datetime) -> Node:
    parent = carried_to.get(node.parent_id, node.parent)
    new = ops.create_node(ws, node.unit, node.title, by, statement=node.statement,
                          parent=parent, horizon=next_horizon)
    new.carried_from = node
    new.status = node.status
    if node.status == NodeStatus.AGREED:
        new.agreed_at = now
    copied = copy_measures(node, new, by=by)
    for child in [c for c in node.children if c.status != NodeStatus.RETIRED]:
        if child.id not in carried_to:
            child.parent = new
            child.parent_revision_seen = new.revision
    previous = str(node.status)
    node.status = NodeStatus.RETIRED
    db.session.flush()
    audit.record(by, ws.id, "node.carry", "node", node.key,
                 {"status": previous, "horizon": node.horizon},
                 {"status": "retired", "carried_to": new.key, "horizon": next_horizon,
                  "measures_copied": copied})
    return new

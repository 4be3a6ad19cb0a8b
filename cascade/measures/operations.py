"""Writing measures and check-ins: each operation checks what forms cannot (dates against
the node's horizon, numbers against the direction), audits, and flushes; the view commits."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from cascade import audit, keys
from cascade.db import db
from cascade.horizons import period
from cascade.models import CheckIn, Measure, Node, NodeStatus, Person
from cascade.refusals import Conflict, Refusal
from cascade.vocabulary import Direction, MeasureStatus

FIELDS = ("name", "unit_of_measure", "direction", "baseline", "target", "band_low",
          "band_high", "start", "due", "cadence_days")


def _check(node: Node, data: dict) -> None:
    """The numbers the direction needs, and dates that make a span (given or from the
    node's horizon)."""
    if data["direction"] == Direction.MAINTAIN:
        for name in ("band_low", "band_high"):
            if data.get(name) is None:
                raise Refusal(name, "A measure to maintain needs both ends of its band.")
        if data["band_low"] > data["band_high"]:
            raise Refusal("band_high", "The top of the band must not be below its bottom.")
    else:
        for name in ("baseline", "target"):
            if data.get(name) is None:
                raise Refusal(name, "A measure to increase or decrease needs a baseline "
                                    "and a target.")
        if data["direction"] == Direction.INCREASE and data["target"] < data["baseline"]:
            raise Refusal("target", "To increase, the target must not be below the baseline.")
        if data["direction"] == Direction.DECREASE and data["target"] > data["baseline"]:
            raise Refusal("target", "To decrease, the target must not be above the baseline.")
    found = period(node.horizon)
    start = data.get("start") or (found.start if found else None)
    due = data.get("due") or (found.end if found else None)
    if start is None:
        raise Refusal("start", "Give a start date: this node's horizon names no period.")
    if due is None:
        raise Refusal("due", "Give a due date: this node's horizon names no period.")
    if due < start:
        raise Refusal("due", "The due date must not be before the start.")


def _free_key(node: Node, name: str) -> str:
    taken = set(db.session.scalars(sa.select(Measure.key).where(Measure.node_id == node.id)))
    return keys.free_key(keys.slugify(name) or "measure", taken)


def create_measure(node: Node, data: dict, *, by: Person | None) -> Measure:
    """A live measure on `node`; its key comes from the name, numbered when taken."""
    if node.status == NodeStatus.RETIRED:
        raise Refusal("name", "A retired node takes no new measures.")
    _check(node, data)
    measure = Measure(workspace_id=node.workspace_id, node=node,
                      key=_free_key(node, data["name"]),
                      **{k: data.get(k) for k in FIELDS if k in data})
    measure.unit_of_measure = measure.unit_of_measure or ""
    db.session.add(measure)
    db.session.flush()
    audit.record(by, node.workspace_id, "measure.create", "node", node.key,
                 after={"measure": measure.key, **_plain(data)})
    return measure


def edit_measure(measure: Measure, version: int | None, data: dict, *,
                 by: Person | None) -> None:
    """Change what the measure says; a form based on an older version is a conflict."""
    if version is not None and version != measure.version:
        raise Conflict()
    _check(measure.node, data)
    new = _plain({k: v for k, v in data.items() if k in FIELDS})
    old = _plain({k: getattr(measure, k) for k in new})
    before = {k: old[k] for k in new if old[k] != new[k]}
    after = {k: new[k] for k in before}
    for name in FIELDS:
        if name in data:
            setattr(measure, name, data[name])
    measure.unit_of_measure = measure.unit_of_measure or ""
    db.session.flush()
    audit.record(by, measure.workspace_id, "measure.edit", "node", measure.node.key,
                 {"measure": measure.key, **before}, {"measure": measure.key, **after})


def set_measure_status(measure: Measure, status: MeasureStatus, *, by: Person | None) -> None:
    """Retire a measure (its check-ins stay, for the record) or bring it back."""
    before = str(measure.status)
    measure.status = status
    db.session.flush()
    action = "measure.retire" if status == MeasureStatus.RETIRED else "measure.restore"
    audit.record(by, measure.workspace_id, action, "node", measure.node.key,
                 {"measure": measure.key, "status": before},
                 {"measure": measure.key, "status": str(status)})


def record_check_in(measure: Measure, value: float, *, confidence: int | None, comment: str,
                    unit_id: int | None, by: Person | None, now: datetime) -> CheckIn:
    """One reported value, in one step; a retired measure takes no more."""
    if measure.status != MeasureStatus.LIVE:
        raise Refusal("value", "This measure is retired; bring it back to check in.")
    check_in = CheckIn(workspace_id=measure.workspace_id, measure=measure, value=value,
                       confidence=confidence, comment=comment or "", author=by,
                       unit_id=unit_id, created_at=now)
    db.session.add(check_in)
    db.session.flush()
    audit.record(by, measure.workspace_id, "measure.check_in", "node", measure.node.key,
                 after={"measure": measure.key, "value": value, "confidence": confidence})
    return check_in


def copy_measures(source: Node, target: Node, *, by: Person | None) -> int:
    """The live measures of `source` on `target` (carrying a node into the next horizon):
    same names and numbers, dates left to follow the new horizon, no check-ins."""
    copied = 0
    for m in db.session.scalars(sa.select(Measure).where(
            Measure.node_id == source.id, Measure.status == MeasureStatus.LIVE)
            .order_by(Measure.id)):
        db.session.add(Measure(workspace_id=target.workspace_id, node=target, key=m.key,
                               name=m.name, unit_of_measure=m.unit_of_measure,
                               direction=m.direction, baseline=m.baseline, target=m.target,
                               band_low=m.band_low, band_high=m.band_high,
                               cadence_days=m.cadence_days))
        copied += 1
    db.session.flush()
    return copied


def _plain(data: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else str(v) if k == "direction" else v)
            for k, v in data.items()}

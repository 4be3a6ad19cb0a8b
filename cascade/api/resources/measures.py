"""Measures and their check-ins: read by everyone in the workspace; the node's own people
check in (with a `write:checkins` token) and make measures (`write:strategy`), through the
measure page's operations."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g
from pydantic import Field
from sqlalchemy.orm import joinedload

from cascade import clock
from cascade.api import bp
from cascade.api import schemas as s
from cascade.api.pages import ListQuery, page
from cascade.api.spec import operation
from cascade.db import db
from cascade.measures import operations as ops
from cascade.models import CheckIn, Measure, Node
from cascade.views.load import measure_by_id, node_by_key

MeasurePage = s.page_of(s.MeasureOut)


class MeasureQuery(ListQuery):
    node: s.Key | None = Field(None, description="Only measures of this node (its key).")


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def measure_out(m: Measure, node_key: str, check_ins=None) -> s.MeasureOut:
    return s.MeasureOut(
        id=m.id, key=m.key, node=node_key, name=m.name, unit_of_measure=m.unit_of_measure,
        direction=str(m.direction), baseline=m.baseline, target=m.target,
        band_low=m.band_low, band_high=m.band_high, start=_iso(m.start), due=_iso(m.due),
        cadence_days=m.cadence_days, status=str(m.status), created_at=m.created_at,
        version=m.version, check_ins=check_ins)


def _detail(measure_id: int) -> s.MeasureOut:
    m = db.session.scalar(sa.select(Measure).where(Measure.id == measure_id)
                          .options(joinedload(Measure.node)))
    rows = db.session.scalars(sa.select(CheckIn).where(CheckIn.measure_id == m.id)
                              .options(joinedload(CheckIn.author), joinedload(CheckIn.unit))
                              .order_by(CheckIn.created_at, CheckIn.id))
    return measure_out(m, m.node.key, [s.CheckInOut(
        id=c.id, value=c.value, confidence=c.confidence, comment=c.comment,
        author=c.author.name if c.author else c.author_name,
        unit=c.unit.key if c.unit else None, created_at=c.created_at) for c in rows])


@operation(bp, "/w/<workspace>/measures", "GET", summary="Measures of the strategy",
           scope="read", action="node.view", query=MeasureQuery, response=MeasurePage,
           tags=("measures",))
def measures(query: MeasureQuery):
    statement = (sa.select(Measure, Node.key).join(Node, Node.id == Measure.node_id)
                 .where(Measure.workspace_id == g.workspace.id))
    if query.node:
        statement = statement.where(Node.key == query.node)
    rows, following = page(statement, Measure.id, query, Measure.created_at)
    return MeasurePage(items=[measure_out(m, key) for m, key in rows], next=following)


@operation(bp, "/w/<workspace>/measures/<int:measure_id>", "GET",
           summary="One measure with its check-ins", scope="read", action="node.view",
           load=measure_by_id, response=s.MeasureOut, tags=("measures",))
def measure(found: Measure):
    return _detail(found.id)


@operation(bp, "/w/<workspace>/nodes/<key>/measures", "POST", summary="Measure a node",
           scope="write:strategy", action="measure.create", load=node_by_key,
           body=s.MeasureCreate, response=s.MeasureOut, status=201, tags=("measures",))
def create_measure(found: Node, body: s.MeasureCreate):
    made = ops.create_measure(found, body.model_dump(), by=g.person)
    db.session.commit()
    return _detail(made.id)


@operation(bp, "/w/<workspace>/measures/<int:measure_id>/check-ins", "POST",
           summary="Check in a value", scope="write:checkins", action="measure.check_in",
           load=measure_by_id, body=s.CheckInCreate, response=s.MeasureOut, status=201,
           tags=("measures",))
def check_in(found: Measure, body: s.CheckInCreate):
    ops.record_check_in(found, body.value, confidence=body.confidence,
                        comment=body.comment.strip(),
                        unit_id=g.actor.reporting_unit(found.node.unit_id), by=g.person,
                        now=clock.now())
    db.session.commit()
    return _detail(found.id)

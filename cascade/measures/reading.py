"""A node's measures as its page shows them: pace, the chart's geometry, the confidences as
a range of anonymous dots, and whether a check-in is due. One query for all of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from cascade.coherence import model as m
from cascade.coherence.graph import as_of_end, utc
from cascade.coherence.pace import Pace, day_start, pace, span
from cascade.db import db
from cascade.models import CheckIn, Measure, Node, Person
from cascade.vocabulary import MeasureStatus

WIDTH, HEIGHT, PAD = 520, 220, 44  # the chart's box and the room for its axis labels


def engine_measure(measure: Measure, check_ins: list[CheckIn]) -> m.Measure:
    """The engine's view of a stored measure, for `coherence.pace`."""
    return m.Measure(measure.key, "", measure.name, str(measure.direction), measure.baseline,
                     measure.target, measure.band_low, measure.band_high, measure.start,
                     measure.due, measure.cadence_days, str(measure.status),
                     tuple(m.CheckIn(c.value, c.created_at, c.confidence) for c in check_ins))


@dataclass
class Chart:
    """Points in the SVG's own coordinates, with the words that describe them."""

    points: list[tuple[float, float]] = field(default_factory=list)
    expected: tuple[float, float, float, float] | None = None  # x1, y1, x2, y2
    band: tuple[float, float] | None = None  # y of the band's top and bottom (maintain)
    today: float | None = None
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT


@dataclass
class MeasureView:
    measure: Measure
    check_ins: list[CheckIn]
    pace: Pace
    start: date | None
    due: date | None
    chart: Chart
    confidences: list[int]  # each person's latest confidence, sorted: dots, not an average
    check_in_due: bool

    @property
    def state(self) -> str:
        """on pace, behind, not yet checked in, or (between the two) a little behind."""
        if self.pace.latest is None:
            return "no check-in yet"
        if self.pace.behind:
            return "behind"
        return "on pace" if self.pace.on_pace else "a little behind, within tolerance"


def _scale(low: float, high: float, size: float, flip: bool):
    span_ = (high - low) or 1.0

    def place(value: float) -> float:
        share = (value - low) / span_
        return round(PAD + (1 - share if flip else share) * (size - 2 * PAD), 1)
    return place


def _nice(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def chart(measure: Measure, check_ins: list[CheckIn], start: date | None, due: date | None,
          today: date) -> Chart:
    """Values against time from start to due (stretched to the last check-in or today when
    later), the expected-pace line from baseline at the start to target at the due date."""
    drawn = Chart()
    first = day_start(start) if start else (utc(check_ins[0].created_at) if check_ins else None)
    last = day_start(due + timedelta(days=1)) if due else None
    moments = [utc(c.created_at) for c in check_ins]
    if first is None:
        return drawn
    last = max([t for t in (last, *moments, as_of_end(today)) if t is not None])
    numbers = [c.value for c in check_ins] + [v for v in (
        measure.baseline, measure.target, measure.band_low, measure.band_high) if v is not None]
    low, high = min(numbers, default=0.0), max(numbers, default=1.0)
    margin = (high - low) * 0.08 or 1.0
    low, high = low - margin, high + margin
    x = _scale(first.timestamp(), last.timestamp(), WIDTH, flip=False)
    y = _scale(low, high, HEIGHT, flip=True)
    drawn.points = [(x(t.timestamp()), y(c.value)) for t, c in zip(moments, check_ins,
                                                                    strict=True)]
    if str(measure.direction) == "maintain" and measure.band_low is not None \
            and measure.band_high is not None:
        drawn.band = (y(measure.band_high), y(measure.band_low))
    elif start and due and measure.baseline is not None and measure.target is not None:
        drawn.expected = (x(day_start(start).timestamp()), y(measure.baseline),
                          x(day_start(due + timedelta(days=1)).timestamp()), y(measure.target))
    now = as_of_end(today).timestamp()
    drawn.today = x(now) if first.timestamp() <= now <= last.timestamp() else None
    drawn.y_ticks = [(y(v), _nice(v)) for v in sorted({low + margin, high - margin})]
    drawn.x_ticks = [(x(first.timestamp()), first.date().isoformat()),
                     (x(last.timestamp()), (last - timedelta(seconds=1)).date().isoformat())]
    return drawn


def confidences(check_ins: list[CheckIn]) -> list[int]:
    """Each person's latest confidence (anonymous), lowest first."""
    latest: dict[object, CheckIn] = {}
    for c in check_ins:
        if c.confidence is not None:
            latest[c.author_id or c.author_name or f"#{c.id}"] = c
    return sorted(c.confidence for c in latest.values())


def node_measures(node: Node, today: date, tolerance: float) -> list[MeasureView]:
    """Every measure of the node (live first) with its check-ins in time order."""
    rows = db.session.scalars(
        sa.select(Measure).outerjoin(CheckIn, CheckIn.measure_id == Measure.id)
        .outerjoin(Person, Person.id == CheckIn.author_id)
        .where(Measure.node_id == node.id)
        .options(contains_eager(Measure.check_ins).contains_eager(CheckIn.author))
        .order_by(Measure.status, Measure.id, CheckIn.created_at, CheckIn.id)).unique()
    end = as_of_end(today)
    views = []
    for measure in rows:
        check_ins = [c for c in measure.check_ins if utc(c.created_at) < end]
        engine = engine_measure(measure, check_ins)
        start, due = span(engine, node.horizon)
        where = pace(engine, node.horizon, end, tolerance)
        views.append(MeasureView(measure, check_ins, where, start, due,
                                 chart(measure, check_ins, start, due, today),
                                 confidences(check_ins),
                                 _due(measure, where, start, due, end)))
    return views


def _due(measure: Measure, where: Pace, start: date | None, due: date | None,
         end: datetime) -> bool:
    """A live measure within its dates whose last check-in (or start) is a cadence old."""
    if measure.status != MeasureStatus.LIVE or start is None or due is None:
        return False
    if not start <= (end - timedelta(days=1)).date() <= due:
        return False
    since = utc(where.latest.created_at) if where.latest else day_start(start)
    return end - since > timedelta(days=measure.cadence_days)


def due_check_ins(ws_id: int, unit_ids: set[int], today: date) -> list[tuple[Measure, Node]]:
    """Live measures on live nodes of these units whose check-in is due (as on the node
    page), in one query; for the inbox."""
    if not unit_ids:
        return []
    last = sa.select(CheckIn.measure_id, sa.func.max(CheckIn.created_at).label("at")) \
        .group_by(CheckIn.measure_id).subquery()
    end = as_of_end(today)
    found = []
    for measure, node, at in db.session.execute(
            sa.select(Measure, Node, last.c.at).join(Node, Node.id == Measure.node_id)
            .outerjoin(last, last.c.measure_id == Measure.id)
            .where(Measure.workspace_id == ws_id, Measure.status == MeasureStatus.LIVE,
                   Node.unit_id.in_(unit_ids), Node.status != "retired")
            .order_by(Node.title, Measure.name)).all():
        engine = m.Measure(measure.key, node.key, measure.name, start=measure.start,
                           due=measure.due,
                           check_ins=(m.CheckIn(0, at),) if at is not None else ())
        start, due = span(engine, node.horizon)
        latest = engine.check_ins[0] if engine.check_ins else None
        if _due(measure, Pace(latest, None, None, False, False), start, due, end):
            found.append((measure, node))
    return found

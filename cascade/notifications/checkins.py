"""Check-ins coming due: a measure's next check-in falls `cadence_days` after its last one
(or after the measure was made), and the day it comes, one `checkin.due` event tells the
node's unit, through the channels each person chose, like every other kind.

Once per measure and due date: a second run the same day (or a retry) finds the event it
recorded and records nothing; a run after a missed day still tells of the date that passed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from cascade.db import db
from cascade.models import CheckIn, Event, Measure, Node
from cascade.notifications.events import emit
from cascade.vocabulary import EventKind, MeasureStatus, NodeStatus


def next_due(since: datetime, cadence_days: int) -> date:
    """The day the next check-in is due, after one made (or a measure started) at `since`."""
    return since.date() + timedelta(days=cadence_days)


def record_due(now: datetime) -> int:
    """Record a `checkin.due` event for each live measure on a live node whose next check-in
    is due today or earlier and not told of yet; returns how many. Flushes; caller commits."""
    today = now.date()
    last = sa.select(CheckIn.measure_id, sa.func.max(CheckIn.created_at).label("at")) \
        .group_by(CheckIn.measure_id).subquery()
    rows = db.session.execute(
        sa.select(Measure, last.c.at).join(Node, Node.id == Measure.node_id)
        .outerjoin(last, last.c.measure_id == Measure.id)
        .options(contains_eager(Measure.node))
        .where(Measure.status == MeasureStatus.LIVE, Node.status != NodeStatus.RETIRED)
        .order_by(Measure.id)).all()
    due = [(measure, on) for measure, at in rows
           if (on := next_due(at or measure.created_at, measure.cadence_days)) <= today]
    if not due:
        return 0
    earliest = min(on for _, on in due)  # an event for a date is recorded on or after it
    told = {(e.get("measure_id"), e.get("due_on")) for e in db.session.scalars(
        sa.select(Event.subject).where(Event.kind == EventKind.CHECKIN_DUE,
                                       Event.created_at >= datetime.combine(
                                           earliest, time.min, tzinfo=now.tzinfo)))}
    made = 0
    for measure, on in due:
        if (measure.id, on.isoformat()) in told:
            continue
        event = emit(EventKind.CHECKIN_DUE, None, measure.workspace_id, node=measure.node,
                     measure_id=measure.id, measure=measure.key, measure_name=measure.name,
                     due_on=on.isoformat())
        event.created_at = now  # the run's own clock: on or after the date it tells of
        made += 1
    db.session.flush()
    return made

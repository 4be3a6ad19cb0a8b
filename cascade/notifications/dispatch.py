"""The first step after a commit: read the outbox and work out, for each new event, who is
told and by which channel. One transaction per batch marks the events dispatched together
with the notifications and webhook deliveries it made, so a crash halfway leaves the batch
to do again, whole."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa

from cascade.db import db
from cascade.models import Event, Notification, Workspace
from cascade.notifications import preferences, webhooks
from cascade.notifications.audience import audience, people_of
from cascade.vocabulary import Channel

BATCH = 500


def dispatch(now: datetime, batch: int = BATCH) -> int:
    """Dispatch up to `batch` waiting events, oldest first; returns how many. Commits."""
    events = db.session.scalars(sa.select(Event).where(Event.dispatched_at.is_(None))
                                .order_by(Event.id).limit(batch)
                                .with_for_update(skip_locked=True)).all()
    by_workspace: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        by_workspace[event.workspace_id].append(event)
    for workspace_id, found in by_workspace.items():
        ws = db.session.get(Workspace, workspace_id)
        people = people_of(workspace_id)
        for event in found:
            _notify(ws, event, audience(event, people), now)
    webhooks.fan_out(events, now)
    for event in events:
        event.dispatched_at = now
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # another worker dispatched this batch first
        db.session.rollback()
        return 0
    return len(events)


def _notify(ws: Workspace, event: Event, people: set[int], now: datetime) -> None:
    for person_id, channel in preferences.channels_for(ws, event.kind, people).items():
        if channel != Channel.OFF:
            db.session.add(Notification(event_id=event.id, person_id=person_id,
                                        workspace_id=ws.id, channel=channel,
                                        created_at=event.created_at))


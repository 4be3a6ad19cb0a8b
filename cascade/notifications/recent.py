"""A person's own notifications in a workspace, newest first, a page at a time: what
"Inbox only" (and every other channel) told them, so nothing they chose is out of sight."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade.db import db
from cascade.models import Notification
from cascade.notifications.preferences import CHANNEL_LABELS
from cascade.notifications.wording import Told, told

PAGE_SIZE = 30


@dataclass(frozen=True)
class Line:
    told: Told
    at: object  # when it happened
    channel: str  # how it was told, as the preferences page names it
    seen: bool


def recent(person_id: int, workspace_id: int, slug: str, page: int = 1
           ) -> tuple[list[Line], bool, int]:
    """One page of the person's notifications, whether there are older ones, and how many
    are unseen (three queries, whatever the page)."""
    mine = (Notification.person_id == person_id, Notification.workspace_id == workspace_id)
    rows = db.session.scalars(
        sa.select(Notification).where(*mine).options(joinedload(Notification.event))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    unseen = db.session.scalar(sa.select(sa.func.count(Notification.id))
                               .where(*mine, Notification.seen_at.is_(None)))
    lines = [Line(told(n.event, slug), n.created_at, CHANNEL_LABELS.get(n.channel, n.channel),
                  n.seen_at is not None) for n in rows[:PAGE_SIZE]]
    return lines, len(rows) > PAGE_SIZE, unseen or 0

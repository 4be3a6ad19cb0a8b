"""What the background work does, step by step; the jobs (and `flask notify`) call these.

`deliver` runs every minute: dispatch new events, compose the immediate mails whose batch
time has come, send what is due. `digests` runs every hour and composes the daily digests
at DIGEST_HOUR (and the weekly ones on Mondays); `reminders` runs with it.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from cascade import clock
from cascade.notifications import dispatch, mailing, reminders, sending, webhooks
from cascade.vocabulary import Channel


def deliver(now: datetime | None = None) -> dict[str, int]:
    """One pass over the outbox and the mail queue; returns what it did."""
    now = now or clock.now()
    done = {"events": 0}
    while (count := dispatch.dispatch(now)):
        done["events"] += count
    done["mails"] = mailing.compose_immediate(now)
    done["webhooks"] = webhooks.deliver_webhooks(now)
    done["sent"] = sending.send_pending(now)
    return done


def digests(now: datetime | None = None, *, force: str | None = None) -> dict[str, int]:
    """The digests due this hour (or the one `force` names, at once), then send them."""
    now = now or clock.now()
    deliver(now)
    done = {}
    at_hour = now.hour == int(current_app.config["DIGEST_HOUR"])
    if force == "daily" or (force is None and at_hour):
        done["daily"] = mailing.compose_digest(Channel.DAILY, now)
    if force == "weekly" or (force is None and at_hour and now.weekday() == 0):
        done["weekly"] = mailing.compose_digest(Channel.WEEKLY, now)
    if force == "reminders" or (force is None and at_hour):
        done["reminders"] = reminders.send_reminders(now)
    done["sent"] = sending.send_pending(now)
    return done

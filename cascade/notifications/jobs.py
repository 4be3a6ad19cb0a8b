"""Background jobs of notifications: the delivery pass every minute, the digests and
reminders on the hour, and one mail sent at once (a password reset). Every step they call
is idempotent (events are dispatched once, a mail is composed once per key and claimed
before it is sent), so a retry or a second worker never tells anyone twice."""

from __future__ import annotations

from cascade.jobs import crontab, enqueue, job, periodic
from cascade.notifications import runs, sending


@periodic(crontab())
def deliver_notifications() -> None:
    """Dispatch new events, compose the immediate mails whose time has come, deliver the
    webhooks and send the mails that are due."""
    runs.deliver()


@periodic(crontab(minute="2"))
def hourly_digests() -> None:
    """Daily digests and reminders at DIGEST_HOUR, weekly digests on Mondays at that hour."""
    runs.digests()


@job(retries=5, retry_delay=30)
def send_mail(mail_id: int) -> None:
    """Send one queued mail now; retried when the SMTP server does not take it."""
    if not sending.send_now(mail_id):
        from cascade.db import db
        from cascade.models import OutgoingMail

        mail = db.session.get(OutgoingMail, mail_id)
        if mail is not None and mail.sent_at is None:
            raise RuntimeError(f"mail {mail_id} not sent: {mail.last_error or 'no SMTP'}")


@periodic(crontab(minute="30"))
def compare_findings() -> None:
    """Every hour, each workspace's findings compared with the last hour's: what opened and
    what was resolved becomes events (one workspace failing leaves the others)."""
    import sqlalchemy as sa

    from cascade.db import db
    from cascade.models import Workspace

    for workspace_id in db.session.scalars(sa.select(Workspace.id).order_by(Workspace.id)):
        enqueue(compare_workspace_findings, workspace_id=workspace_id)
    db.session.commit()


@periodic(crontab(minute="10"))
def check_ins_due() -> None:
    """Every hour, the measures whose next check-in came due become `checkin.due` events
    (once per measure and due date, so the hourly runs after the first record nothing)."""
    from cascade import clock
    from cascade.db import db
    from cascade.notifications.checkins import record_due

    record_due(clock.now())
    db.session.commit()


@job(retries=2, retry_delay=300)
def compare_workspace_findings(*, workspace_id: int) -> None:
    from cascade import clock
    from cascade.db import db
    from cascade.models import Workspace
    from cascade.notifications.findings import compare

    ws = db.session.get(Workspace, workspace_id)
    if ws is not None:
        compare(ws, clock.now())
        db.session.commit()

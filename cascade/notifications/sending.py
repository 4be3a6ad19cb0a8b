"""Sending the mails `mailing` composed, through SMTP, from a job: each is claimed for a
while before it goes (so two workers never send one mail at once, and a worker killed
mid-send leaves it to be tried again), marked sent after, and retried with backoff."""

from __future__ import annotations

import smtplib
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from cascade import clock
from cascade.db import db
from cascade.mail import mail_configured, message_for, smtp_connection
from cascade.models import OutgoingMail

CLAIM = timedelta(minutes=5)  # how long a worker holds a mail it is sending
# mails holding a link that opens an account: their text is not kept once sent
SECRET_PURPOSES = ("reset", "invitation")
DONE = "(sent; its text held a single-use link and is not kept)"


def _backoff(attempts: int) -> timedelta:
    base = float(current_app.config["MAIL_RETRY_SECONDS"])
    return timedelta(seconds=min(base * 2 ** (attempts - 1), 6 * 3600))


def claim(mail_id: int, now: datetime) -> bool:
    """Take the mail for sending, unless another worker holds it or it is sent. Commits."""
    taken = db.session.execute(
        sa.update(OutgoingMail).where(OutgoingMail.id == mail_id,
                                      OutgoingMail.sent_at.is_(None),
                                      OutgoingMail.next_attempt_at <= now)
        .values(next_attempt_at=now + CLAIM, attempts=OutgoingMail.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return taken == 1


def send_pending(now: datetime | None = None, limit: int = 200) -> int:
    """Send every mail that is due, oldest first, over one SMTP connection; returns how
    many went. Each is committed as sent before the next."""
    if not mail_configured():
        return 0
    now = max(now or clock.now(), clock.now())  # a pass run "as of" later sends what is due
    most = int(current_app.config["MAIL_MAX_ATTEMPTS"])
    due = db.session.scalars(sa.select(OutgoingMail.id).where(
        OutgoingMail.sent_at.is_(None), OutgoingMail.next_attempt_at <= now,
        OutgoingMail.attempts < most).order_by(OutgoingMail.id).limit(limit)).all()
    sent = 0
    if not due:
        return 0
    try:
        connection = smtp_connection()
    except (OSError, smtplib.SMTPException) as error:
        current_app.logger.warning("SMTP server unreachable: %s", error)
        return 0
    with connection:
        for mail_id in due:
            sent += _send_one(connection, mail_id, now)
    return sent


def send_now(mail_id: int) -> bool:
    """Send one mail at once (a password reset); the same claim and record as any other."""
    if not mail_configured():
        return False
    try:
        with smtp_connection() as connection:
            return bool(_send_one(connection, mail_id, clock.now()))
    except (OSError, smtplib.SMTPException) as error:
        current_app.logger.warning("mail %s failed: %s", mail_id, error)
        return False


def _send_one(connection, mail_id: int, now: datetime) -> int:
    if not claim(mail_id, now):
        return 0
    mail = db.session.get(OutgoingMail, mail_id)
    try:
        connection.send_message(message_for(mail))
    except (OSError, smtplib.SMTPException) as error:
        mail.last_error = str(error)[:500]
        mail.next_attempt_at = now + _backoff(mail.attempts)
        db.session.commit()
        current_app.logger.warning("mail %s to %s failed: %s", mail.id, mail.to_address, error)
        return 0
    mail.sent_at, mail.last_error = clock.now(), None
    if mail.purpose in SECRET_PURPOSES:
        mail.text, mail.html = DONE, None
    db.session.commit()
    return 1


"""Sending e-mail through the SMTP server in the configuration, when there is one.

Every message Cascade sends is an `OutgoingMail` row first (`cascade.notifications`):
notifications, digests, reminders and password resets go the same way, and jobs send
them (`notifications.sending`). Invitations still go out at once, from the admin's request,
so the admin sees whether they went.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app


def mail_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def smtp_connection() -> smtplib.SMTP:
    """An open, signed-in connection to the configured server; use it as a context manager."""
    config = current_app.config
    smtp = smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=10)
    try:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def message_for(mail) -> EmailMessage:
    """The message for an `OutgoingMail`: plain text, HTML when there is some, a stable
    Message-ID (a resend is recognisably the same mail) and one-click unsubscribe."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = formatdate(mail.created_at.timestamp())
    message["Message-ID"] = f"<cascade-mail-{mail.id}-{mail.created_at.timestamp():.0f}@cascade>"
    message["Auto-Submitted"] = "auto-generated"
    if mail.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    return message


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message now; raises `OSError`/`smtplib.SMTPException` when delivery
    fails (an invitation, whose admin is told at once)."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtp_connection() as smtp:
        smtp.send_message(message)

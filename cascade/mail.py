"""Sending e-mail through the SMTP server in the configuration, when there is one."""

from __future__ import annotations

import smtplib
import threading
from email.message import EmailMessage

from flask import current_app


def mail_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message; raises `OSError`/`smtplib.SMTPException` when delivery fails."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=10) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
        smtp.send_message(message)


def send_later(to: str, subject: str, body: str) -> threading.Thread:
    """Send from a thread of its own, so that the page answers in the same time whether or
    not a message goes out (a password reset must not reveal which addresses exist); a
    failure is logged."""
    app = current_app._get_current_object()

    def deliver() -> None:
        with app.app_context():
            try:
                send_mail(to, subject, body)
            except (OSError, smtplib.SMTPException) as error:
                app.logger.warning("mail to %s failed: %s", to, error)
    thread = threading.Thread(target=deliver, daemon=True)
    thread.start()
    return thread

"""Real receivers the suite starts: an SMTP server (aiosmtpd) for mail, and an HTTP server
(a `http.server` thread) for webhooks; each on a free local port, for one test."""

from __future__ import annotations

import email
import socket
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the SMTP server received: (sender, recipients, raw message) each."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              envelope.content.decode("utf-8", "replace")))
        return "250 OK"

    def wait(self, count: int = 1, seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)

    def parsed(self) -> list[email.message.EmailMessage]:
        return [email.message_from_string(raw, policy=policy.default)
                for _, _, raw in self.messages]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.parsed() if m["To"] == address]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture
def smtp(app):
    """A real SMTP server on a free local port, and the app configured to send through it."""
    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS=False)
    yield inbox
    controller.stop()

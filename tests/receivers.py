"""Real receivers the suite starts: an SMTP server (aiosmtpd) for mail, and an HTTP server
(a `http.server` thread) for webhooks; each on a free local port, for one test."""

from __future__ import annotations

import email
import json
import socket
import threading
import time
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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


class Receiver:
    """What the HTTP server received, and how it answers: `answers` are the statuses of
    the next requests (then 200); with `hold_at`, the request of that number waits for
    `release` before it answers (a worker killed while it waits)."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict, bytes]] = []
        self.answers: list[int] = []
        self.hold_at: int | None = None
        self.held = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    def answer(self, headers: dict, body: bytes) -> int:
        with self.lock:
            self.requests.append((headers, body))
            number = len(self.requests)
            status = self.answers.pop(0) if self.answers else 200
        if number == self.hold_at:
            self.held.set()
            self.release.wait(30)
        return status

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _, body in self.requests]

    def header(self, name: str) -> list[str]:
        return [headers.get(name) for headers, _ in self.requests]


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = receiver.answer(dict(self.headers.items()), body)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"thanks" if status < 300 else b"not now")
            except OSError:
                pass  # the sender is gone (killed mid-request)

        def log_message(self, *args):
            pass
    return Handler


@pytest.fixture
def http_receiver(app):
    """A real HTTP server on a free local port, in a thread; webhooks may go to 127.0.0.1."""
    receiver = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_port}/hooks/cascade"
    app.config.update(WEBHOOK_ALLOWED_HOSTS=["127.0.0.1"], WEBHOOK_RETRY_SECONDS=10,
                      WEBHOOK_TIMEOUT=5)
    yield receiver
    receiver.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)

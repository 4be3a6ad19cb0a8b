"""Webhook deliveries: each event goes to every active endpoint of its workspace that asked
for its kind (and, with a subtree filter, whose unit it is about), signed, retried with
backoff, logged 30 days; an endpoint that keeps failing is paused and its admins are told.

A delivery is claimed before it is sent and recorded right after, one at a time, so a
worker killed mid-batch leaves everything it finished recorded; the one in flight is sent
again after its claim runs out, with the same X-Cascade-Delivery id for receivers to
recognise.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import secrets
import socket
import ssl
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app

from cascade import clock, trees
from cascade.db import db
from cascade.models import Event, Unit, Webhook, WebhookDelivery, Workspace
from cascade.notifications import addresses, chat
from cascade.notifications.events import emit
from cascade.vocabulary import EventKind

KEEP = timedelta(days=30)
FORMATS = ("cascade", "slack", "teams")


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `timestamp.body`, as the X-Cascade-Signature header carries it."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def fan_out(events: list[Event], now: datetime) -> None:
    """A pending delivery for each event and each endpoint that wants it (dispatch hook)."""
    wanted = [e for e in events if e.kind != EventKind.WEBHOOK_TEST]
    if not wanted:
        return
    hooks = db.session.scalars(sa.select(Webhook).where(
        Webhook.workspace_id.in_({e.workspace_id for e in wanted}))).all()
    if not hooks:
        return
    parents = dict(db.session.execute(sa.select(Unit.id, Unit.parent_id).where(
        Unit.workspace_id.in_({h.workspace_id for h in hooks}))).all())
    for event in wanted:
        for hook in hooks:
            if hook.workspace_id == event.workspace_id and _wants(hook, event, parents):
                db.session.add(WebhookDelivery(webhook_id=hook.id, event_id=event.id,
                                               next_attempt_at=now, created_at=now))


def _wants(hook: Webhook, event: Event, parents: dict) -> bool:
    if hook.kinds and event.kind not in hook.kinds:
        return False
    if hook.unit_id is None:
        return True
    return event.unit_id is not None and (
        event.unit_id == hook.unit_id or trees.below(event.unit_id, hook.unit_id, parents))


def payload(hook: Webhook, delivery: WebhookDelivery, ws: Workspace) -> bytes:
    event = delivery.event
    return json.dumps(chat.body(hook.format, event, ws, delivery.id),
                      ensure_ascii=False, sort_keys=True).encode()


def _post(url: str, targets: list[tuple], body: bytes, headers: dict,
          timeout: float) -> tuple[int, str]:
    parts = urlsplit(url)
    ip, port = targets[0]
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = (_PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP)(
        parts.hostname, port, ip, timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(2000).decode("utf-8", "replace")
    finally:
        connection.close()


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever the name resolves to now."""

    def __init__(self, host, port, ip, timeout):
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self):
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, ip, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip

    def connect(self):
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _claim(delivery_id: int, now: datetime) -> bool:
    claim = timedelta(seconds=float(current_app.config["WEBHOOK_CLAIM_SECONDS"]))
    taken = db.session.execute(
        sa.update(WebhookDelivery).where(
            WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at <= now,
            WebhookDelivery.webhook_id.in_(sa.select(Webhook.id).where(Webhook.active)))
        .values(next_attempt_at=now + claim, attempts=WebhookDelivery.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return taken == 1


def deliver_webhooks(now: datetime | None = None, limit: int = 100) -> int:
    """Send every due delivery of an active endpoint, oldest first; returns how many were
    received (2xx). Each is recorded before the next is sent. Also forgets old ones."""
    now = max(now or clock.now(), clock.now())
    due = db.session.scalars(
        sa.select(WebhookDelivery.id).join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now,
               Webhook.active.is_(True))
        .order_by(WebhookDelivery.id).limit(limit)).all()
    received = sum(send(delivery_id, now) for delivery_id in due)
    prune(now)
    return received


def send(delivery_id: int, now: datetime) -> bool:
    """One attempt at one delivery, if no one else holds it; records the outcome."""
    if not _claim(delivery_id, now):
        return False
    delivery = db.session.get(WebhookDelivery, delivery_id)
    hook = delivery.webhook
    ws = db.session.get(Workspace, hook.workspace_id)
    body = payload(hook, delivery, ws)
    timestamp = str(int(clock.now().timestamp()))
    headers = {"Content-Type": "application/json", "User-Agent": "Cascade-Webhooks/1",
               "X-Cascade-Event": delivery.event.kind,
               "X-Cascade-Event-Id": str(delivery.event_id),
               "X-Cascade-Delivery": str(delivery.id), "X-Cascade-Timestamp": timestamp,
               "X-Cascade-Signature": signature(hook.secret, timestamp, body)}
    try:
        targets = addresses.check(hook.url)
        status, text = _post(hook.url, targets, body, headers,
                             float(current_app.config["WEBHOOK_TIMEOUT"]))
        error = None if 200 <= status < 300 else f"HTTP {status}"
    except (addresses.Refused, OSError, http.client.HTTPException) as problem:
        status, text, error = None, None, str(problem)[:500] or type(problem).__name__
    delivery.response_status, delivery.response_body, delivery.error = status, text, error
    if error is None:
        delivery.status, delivery.delivered_at = "delivered", clock.now()
        hook.failures_in_row = 0
    else:
        _failed(hook, delivery, now)
    db.session.commit()
    return error is None


def _failed(hook: Webhook, delivery: WebhookDelivery, now: datetime) -> None:
    config = current_app.config
    if delivery.attempts >= int(config["WEBHOOK_MAX_ATTEMPTS"]):
        delivery.status = "failed"
    else:
        base = float(config["WEBHOOK_RETRY_SECONDS"])
        delivery.next_attempt_at = now + timedelta(
            seconds=min(base * 2 ** (delivery.attempts - 1), 12 * 3600))
    hook.failures_in_row += 1
    if hook.active and hook.failures_in_row >= int(config["WEBHOOK_PAUSE_AFTER"]):
        pause(hook, f"Paused after {hook.failures_in_row} failed attempts in a row "
                    f"(last: {delivery.error}).", by=None)


def pause(hook: Webhook, reason: str, *, by) -> None:
    """Stop sending to the endpoint (deliveries wait); the admins hear of it."""
    hook.active, hook.paused_reason = False, reason[:300]
    emit(EventKind.WEBHOOK_PAUSED, by, hook.workspace_id, webhook=hook.id, url=hook.url,
         reason=hook.paused_reason)


def resume(hook: Webhook) -> None:
    hook.active, hook.paused_reason, hook.failures_in_row = True, None, 0


def resend(delivery: WebhookDelivery, now: datetime) -> None:
    """Send a delivery again from the start (the receiver sees the same delivery id)."""
    delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, now
    delivery.error = None


def test_event(hook: Webhook, by, now: datetime) -> WebhookDelivery:
    """A `webhook.test` event for this endpoint only."""
    event = emit(EventKind.WEBHOOK_TEST, by, hook.workspace_id, webhook=hook.id)
    event.dispatched_at = now  # nobody else is told of it
    db.session.flush()
    delivery = WebhookDelivery(webhook_id=hook.id, event_id=event.id, next_attempt_at=now,
                               created_at=now)
    db.session.add(delivery)
    db.session.flush()
    return delivery


def prune(now: datetime) -> None:
    """Forget deliveries older than 30 days (the log keeps a month)."""
    db.session.execute(sa.delete(WebhookDelivery).where(
        WebhookDelivery.created_at < now - KEEP, WebhookDelivery.status != "pending"))
    db.session.commit()


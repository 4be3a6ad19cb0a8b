"""Counting failed sign-ins so that guessing is slow and nobody can lock anyone else out.

Three counts of *failures* (a successful sign-in spends nothing):

- per address, whatever the account (SIGNIN_ADDRESS_LIMITS): one address guessing at many
  accounts is refused, and only that address;
- per account and address (SIGNIN_LIMITS): an address guessing at one account is refused
  for that account;
- per account from everywhere (SIGNIN_ACCOUNT_LIMITS): a distributed guess at one account
  slows it down for browsers it does not know. A browser the person signed in from before
  carries a signed *device cookie* and is exempt, so an attacker, from any number of new
  addresses, cannot keep the person out; a new browser waits or resets the password.

E-mail addresses are counted in one spelling (NFKC, case-folded), so `Sam@`, `SAM@` and
`ｓａｍ@` share one count. Counts live in Redis when CASCADE_REDIS_URL is set (shared by
every worker and host); otherwise in each worker's memory. When Redis does not answer,
counting falls back to memory for that worker and sign-in keeps working.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass

from flask import Flask, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse_many
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

DEVICE_COOKIE = "cascade_device"
DEVICE_DAYS = 180


def email_key(text: str | None) -> str:
    """One spelling per address for counting: NFKC, case-folded, stripped.

    >>> email_key(" Sam@ACME.test ") == email_key("ｓａｍ@acme.test") == "sam@acme.test"
    True
    """
    return unicodedata.normalize("NFKC", text or "").casefold().strip()[:320] or "-"


class _Counter:
    """A moving-window limiter over Redis, or over memory when Redis is absent or down."""

    RETRY_SECONDS = 30  # after Redis failed, how long to count locally before trying again

    def __init__(self, uri: str | None) -> None:
        self.memory = MovingWindowRateLimiter(MemoryStorage())
        self.shared = None
        self.down_until = 0.0
        if uri and not uri.startswith("memory://"):
            storage = storage_from_string(uri, socket_timeout=1, socket_connect_timeout=1)
            self.shared = MovingWindowRateLimiter(storage)

    def _call(self, method: str, *args) -> bool:
        if self.shared is not None and time.monotonic() >= self.down_until:
            try:
                return getattr(self.shared, method)(*args)
            except Exception as error:  # noqa: BLE001 - any storage failure: count locally
                self.down_until = time.monotonic() + self.RETRY_SECONDS
                current_app.logger.warning("sign-in limits: Redis unavailable (%s); "
                                           "counting in this worker only", error)
        return getattr(self.memory, method)(*args)

    def allowed(self, limits, *key: str) -> bool:
        return all(self._call("test", limit, *key) for limit in limits)

    def take(self, limits, *key: str) -> bool:
        """Spend one of each limit; False when any is used up (nothing more is spent)."""
        return all([self._call("hit", limit, *key) for limit in limits])

    def fail(self, limits, *key: str) -> None:
        for limit in limits:
            self._call("hit", limit, *key)


TOO_MANY = {
    "address": "Too many sign-in attempts from here. Wait a few minutes, then try again.",
    "account": "Too many sign-in attempts for this account from browsers it does not know. "
               "Wait a few minutes, sign in from a browser you used before, or reset your "
               "password.",
}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""  # "address", "account" or "" when allowed

    @property
    def message(self) -> str:
        return TOO_MANY.get(self.reason, "")


def init_app(app: Flask) -> None:
    app.extensions["cascade.throttle"] = _Counter(app.config["RATELIMIT_STORAGE_URI"])


def _limits(name: str):
    return parse_many(current_app.config[name])


def _enabled() -> bool:
    return current_app.config.get("RATELIMIT_ENABLED", True)


def _counter() -> _Counter:
    return current_app.extensions["cascade.throttle"]


def check(email: str, scope: str = "signin") -> Verdict:
    """May this request try a password for `email` now? `scope` keeps other counts (the
    password-reset requests, "reset") apart, so asking for links never slows sign-in."""
    if not _enabled():
        return Verdict(True)
    counter, address, account = _counter(), request.remote_addr or "-", email_key(email)
    if not counter.allowed(_limits("SIGNIN_ADDRESS_LIMITS"), scope, "address", address):
        return Verdict(False, "address")
    if not counter.allowed(_limits("SIGNIN_LIMITS"), scope, "account-address", account,
                           address):
        return Verdict(False, "address")
    if not known_device(account) and not counter.allowed(
            _limits("SIGNIN_ACCOUNT_LIMITS"), scope, "account", account):
        return Verdict(False, "account")
    return Verdict(True)


def failed(email: str, scope: str = "signin") -> None:
    """Count one wrong password (or unknown account) against every key it touches."""
    if not _enabled():
        return
    counter, address, account = _counter(), request.remote_addr or "-", email_key(email)
    counter.fail(_limits("SIGNIN_ADDRESS_LIMITS"), scope, "address", address)
    counter.fail(_limits("SIGNIN_LIMITS"), scope, "account-address", account, address)
    if not known_device(account):
        counter.fail(_limits("SIGNIN_ACCOUNT_LIMITS"), scope, "account", account)


def api_request(token_id: int) -> bool:
    """Count one API request against its token's API_LIMITS; False when over the limit."""
    if not _enabled():
        return True
    return _counter().take(_limits("API_LIMITS"), "api", "token", str(token_id))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="cascade-device")


def known_device(account: str) -> bool:
    """Whether this browser signed in to `account` before (its device cookie says so)."""
    token = request.cookies.get(DEVICE_COOKIE)
    if not token:
        return False
    try:
        accounts = _serializer().loads(token, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return False
    return isinstance(accounts, list) and account in accounts


def remember_device(response, email: str):
    """Mark this browser as one `email` signs in from (up to five accounts per browser)."""
    account = email_key(email)
    try:
        accounts = _serializer().loads(request.cookies.get(DEVICE_COOKIE, ""),
                                       max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        accounts = []
    accounts = [account] + [a for a in accounts if a != account][:4]
    response.set_cookie(DEVICE_COOKIE, _serializer().dumps(accounts),
                        max_age=DEVICE_DAYS * 86400, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response

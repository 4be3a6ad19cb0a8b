"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# RFC 9106 "low memory" profile: 64 MiB, 3 passes, 4 lanes — above OWASP ASVS 5.0's minimum.
hasher = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4)

MIN_LENGTH, MAX_LENGTH = 8, 256


def hash_password(password: str) -> str:
    return hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when `password` matches; never raises for a wrong or malformed hash."""
    if not stored:
        hasher.hash(password)  # spend the same time, so timing does not reveal the account
        return False
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return hasher.check_needs_rehash(stored)


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("cascade").joinpath("data/common-passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str) -> str | None:
    """Why this password may not be used, or None when it may."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if password.lower() in common_passwords():
        return "This password is on the list of commonly used passwords; choose another."
    return None

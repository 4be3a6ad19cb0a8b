"""Times and dates as a `cascade/v1` file spells them, read in one place for validation
and loading."""

from __future__ import annotations

from datetime import UTC, date, datetime


def parse_datetime(text: str) -> datetime | None:
    """An ISO 8601 time with a zone, in UTC; None when it is not one, or when its UTC time
    falls outside years 1–9999 (`9999-12-31T23:59:59-14:00`)."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return value.astimezone(UTC) if value.tzinfo else None
    except (ValueError, OverflowError):
        return None


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None

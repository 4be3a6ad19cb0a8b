"""The one clock: what "now" and "today" are, in UTC.

Domain code never reads it. Views, commands and jobs read it once per request or run and
pass the moment in, so every rule can be tested as of any date and one request never sees
two different days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    """This moment, timezone-aware UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in UTC: the day the brief's rules are computed "as of" by default."""
    return now().date()

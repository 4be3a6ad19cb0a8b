"""What a measure's progress, expected pace and *behind* mean, decided in one place.

The node page's chart and on-pace badge and the measure rules all ask these functions, so
a measure the page shows as behind is exactly one the engine counts as behind. Arithmetic
is exact (fractions of the numbers as typed), so a measure exactly on the tolerance is
never behind because of a rounding error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction

from cascade.coherence.graph import utc
from cascade.coherence.model import CheckIn, Measure
from cascade.horizons import period


def exact(number: float | int | None) -> Fraction | None:
    """A number as people typed it (0.1 is one tenth), or None for a missing or odd one.

    >>> exact(0.1), exact(3), exact(None), exact(float("nan"))
    (Fraction(1, 10), Fraction(3, 1), None, None)
    """
    if number is None or (isinstance(number, float) and not math.isfinite(number)):
        return None
    return Fraction(str(number)) if isinstance(number, float) else Fraction(number)


def span(measure: Measure, horizon: str | None) -> tuple[date | None, date | None]:
    """The measure's start and due dates, each falling back to the node's horizon period.

    >>> span(Measure("m", "n", "M"), "2027-Q1")
    (datetime.date(2027, 1, 1), datetime.date(2027, 3, 31))
    >>> span(Measure("m", "n", "M", start=date(2027, 2, 1)), "someday")
    (datetime.date(2027, 2, 1), None)
    """
    found = period(horizon)
    start = measure.start or (found.start if found else None)
    due = measure.due or (found.end if found else None)
    return start, due


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def latest(measure: Measure, end: datetime | None) -> CheckIn | None:
    """The last check-in created before `end` (all of them without one); the later listed
    wins a tie."""
    found = None
    for check_in in measure.check_ins:
        when = utc(check_in.created_at)
        if (end is None or when < end) and (found is None or when >= utc(found.created_at)):
            found = check_in
    return found


def progress(measure: Measure, value: float) -> Fraction | None:
    """How far `value` has come from the baseline to the target, clamped to 0…1; for
    `maintain`, 1 inside the band and 0 outside. None when the measure lacks its numbers.

    >>> progress(Measure("m", "n", "M", baseline=10, target=30), 15)
    Fraction(1, 4)
    >>> progress(Measure("m", "n", "M", "decrease", baseline=10, target=5), 12)
    Fraction(0, 1)
    >>> progress(Measure("m", "n", "M", "maintain", band_low=1, band_high=2), 2)
    Fraction(1, 1)
    """
    v = exact(value)
    if v is None:
        return None
    if measure.direction == "maintain":
        low, high = exact(measure.band_low), exact(measure.band_high)
        return Fraction(int((low is None or low <= v) and (high is None or v <= high)))
    base, target = exact(measure.baseline), exact(measure.target)
    if base is None or target is None:
        return None
    if measure.direction == "decrease":
        base, target, v = -base, -target, -v
    if target == base:
        return Fraction(int(v >= target))
    return min(Fraction(1), max(Fraction(0), (v - base) / (target - base)))


def expected(start: date | None, due: date | None, end: datetime) -> Fraction | None:
    """How far along the way from the start of `start` to the end of `due` the moment
    `end` is, clamped to 0…1; None without both dates.

    >>> end = day_start(date(2026, 11, 2))  # the end of 1 November
    >>> expected(date(2026, 10, 23), date(2026, 11, 11), end)
    Fraction(1, 2)
    """
    if start is None or due is None:
        return None
    whole = day_start(due + timedelta(days=1)) - day_start(start)
    gone = end - day_start(start)
    if whole <= timedelta(0):
        return Fraction(int(gone >= timedelta(0)))
    ratio = Fraction(int(gone.total_seconds()), int(whole.total_seconds()))
    return min(Fraction(1), max(Fraction(0), ratio))


@dataclass(frozen=True)
class Pace:
    """A measure as of a moment: its latest check-in, progress p and expected e."""

    latest: CheckIn | None
    progress: Fraction | None
    expected: Fraction | None
    behind: bool

    @property
    def on_pace(self) -> bool:
        """Checked in, with both figures known, and p ≥ e (the brief's "on pace")."""
        return self.progress is not None and self.expected is not None \
            and self.progress >= self.expected


def pace(measure: Measure, horizon: str | None, end: datetime, tolerance: float) -> Pace:
    """Where the measure stands at `end`: behind when e − p > tolerance; a measure with no
    check-in yet is never behind."""
    check_in = latest(measure, end)
    p = progress(measure, check_in.value) if check_in is not None else None
    e = expected(*span(measure, horizon), end)
    limit = exact(tolerance)
    behind = p is not None and e is not None and limit is not None and e - p > limit
    return Pace(check_in, p, e, behind)


def percent(fraction: Fraction | None) -> str:
    """A fraction as a whole percentage for people to read.

    >>> percent(Fraction(1, 3)), percent(None)
    ('33%', '–')
    """
    return "–" if fraction is None else f"{round(fraction * 100)}%"

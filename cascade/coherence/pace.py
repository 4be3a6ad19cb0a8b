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
    wins a tie. Compared as naive UTC, so stored rows need no conversion each."""
    found, best = None, None
    naive_end = end.astimezone(UTC).replace(tzinfo=None) if end is not None else None
    for check_in in measure.check_ins:
        when = check_in.created_at
        if when.tzinfo is not None:
            when = when.astimezone(UTC).replace(tzinfo=None)
        if (naive_end is None or when < naive_end) and (best is None or when >= best):
            found, best = check_in, when
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
    """A measure as of a moment: its latest check-in, progress p and expected e (floats
    for showing; `behind` and `on_pace` are decided exactly)."""

    latest: CheckIn | None
    progress: float | None
    expected: float | None
    behind: bool
    on_pace: bool  # checked in, both figures known, and p ≥ e


NEAR = 1e-9  # closer than this to a threshold, the floats are checked again exactly


def pace(measure: Measure, horizon: str | None, end: datetime, tolerance: float) -> Pace:
    """Where the measure stands at `end`: behind when e − p > tolerance; a measure with no
    check-in yet is never behind. Floats decide unless a figure is within `NEAR` of the
    line, where the exact fractions (`progress`, `expected`) do.

    >>> m = Measure("m", "n", "M", baseline=0, target=100, start=date(2026, 10, 23),
    ...             due=date(2026, 11, 11), check_ins=(CheckIn(25, datetime(2026, 10, 30)),))
    >>> where = pace(m, None, day_start(date(2026, 11, 2)), 0.25)
    >>> where.progress, where.expected, where.behind, where.on_pace
    (0.25, 0.5, False, False)
    """
    check_in = latest(measure, end)
    start, due = span(measure, horizon)
    p = _quick_progress(measure, check_in.value) if check_in is not None else None
    e = _quick_expected(start, due, end)
    if p is None or e is None:
        return Pace(check_in, p, e, False, False)
    gap = e - p
    if abs(gap - tolerance) > NEAR and abs(gap) > NEAR:
        return Pace(check_in, p, e, gap > tolerance, gap <= 0)
    exact_p, exact_e = progress(measure, check_in.value), expected(start, due, end)
    limit = exact(tolerance)
    behind = limit is not None and exact_e - exact_p > limit
    return Pace(check_in, p, e, behind, exact_p >= exact_e)


def _quick_progress(measure: Measure, value: float) -> float | None:
    """`progress` in floats."""
    if value is None or not math.isfinite(value):
        return None
    if measure.direction == "maintain":
        low, high = measure.band_low, measure.band_high
        return float((low is None or low <= value) and (high is None or value <= high))
    base, target = measure.baseline, measure.target
    if base is None or target is None or not (math.isfinite(base) and math.isfinite(target)):
        return None
    if measure.direction == "decrease":
        base, target, value = -base, -target, -value
    if target == base:
        return float(value >= target)
    return min(1.0, max(0.0, (value - base) / (target - base)))


def _quick_expected(start: date | None, due: date | None, end: datetime) -> float | None:
    """`expected` in floats."""
    if start is None or due is None:
        return None
    whole = (day_start(due + timedelta(days=1)) - day_start(start)).total_seconds()
    gone = (end - day_start(start)).total_seconds()
    if whole <= 0:
        return float(gone >= 0)
    return min(1.0, max(0.0, gone / whole))


def percent(fraction: Fraction | float | None) -> str:
    """A fraction as a whole percentage for people to read.

    >>> percent(Fraction(1, 3)), percent(0.255), percent(None)
    ('33%', '26%', '–')
    """
    return "–" if fraction is None else f"{round(fraction * 100)}%"

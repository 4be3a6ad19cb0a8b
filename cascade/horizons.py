"""What a horizon's text means as a period of days: the one reading for forms, filters,
measures and the engine.

Standard library only, since the pure coherence engine reads periods too. The brief's
spellings are `YYYY`, `YYYY-H1`/`H2`, `YYYY-Q1`…`Q4` and `YYYY-MM`; any other text is kept
as typed but has no period.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

HINT = "A period such as 2027, 2027-H1, 2027-Q3 or 2027-05; other text is kept but has no dates."

_PATTERN = re.compile(r"(?P<year>\d{4})(?:-(?:H(?P<half>[12])|Q(?P<quarter>[1-4])"
                      r"|(?P<month>0[1-9]|1[0-2])))?", re.ASCII)


@dataclass(frozen=True, order=True)
class Period:
    """From the first day to the last day of a period, both included."""

    start: date
    end: date

    def within(self, other: Period) -> bool:
        """Whether this period lies inside `other` (starting no earlier, ending no later)."""
        return other.start <= self.start and self.end <= other.end


def _months(year: int, first: int, count: int) -> Period:
    last = first + count - 1
    return Period(date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]))


def period(text: str | None) -> Period | None:
    """The period a horizon's text names, or None when it names none.

    >>> period("2027-Q3")
    Period(start=datetime.date(2027, 7, 1), end=datetime.date(2027, 9, 30))
    >>> period("2028-02").end, period("2027-H1").end, period("2027").start
    (datetime.date(2028, 2, 29), datetime.date(2027, 6, 30), datetime.date(2027, 1, 1))
    >>> period("next year"), period("2027-Q5"), period(None), period("0000")
    (None, None, None, None)
    """
    match = _PATTERN.fullmatch((text or "").strip())
    if match is None or int(match["year"]) < 1:
        return None
    year = int(match["year"])
    if match["half"]:
        return _months(year, 1 + 6 * (int(match["half"]) - 1), 6)
    if match["quarter"]:
        return _months(year, 1 + 3 * (int(match["quarter"]) - 1), 3)
    if match["month"]:
        return _months(year, int(match["month"]), 1)
    return _months(year, 1, 12)


def matches(horizon: str | None, chosen: str) -> bool:
    """Whether a node's horizon falls under a chosen one (for filters): the same text, or a
    period inside the chosen period.

    >>> matches("2027-Q2", "2027-H1"), matches("2027-Q3", "2027-H1"), matches("soon", "soon")
    (True, False, True)
    """
    mine, wanted = (horizon or "").strip(), chosen.strip()
    if not wanted or mine == wanted:
        return bool(mine) or not wanted
    inner, outer = period(mine), period(wanted)
    return inner is not None and outer is not None and inner.within(outer)


def choices(horizons) -> list[str]:
    """The distinct horizons given and the years and halves that hold them (to filter a
    whole year at once), periods first in time order, then other texts.

    >>> choices(["2027-Q1", None, "soon", "2027-Q1"])
    ['2027', '2027-H1', '2027-Q1', 'soon']
    """
    texts = {h.strip() for h in horizons if h and h.strip()}
    for text in list(texts):
        found = period(text)
        if found is not None and len(text) > 4:
            texts.add(text[:4])
            if "-H" not in text:
                texts.add(f"{text[:4]}-H{1 + (found.start.month - 1) // 6}")
    return sorted(texts, key=lambda t: (period(t) is None,
                                        (period(t).start, -period(t).end.toordinal())
                                        if period(t) else (_FAR, 0), t))


_FAR = date.max


def following(text: str | None) -> str | None:
    """The horizon right after this one, spelled the same way (for carrying a node on).

    >>> following("2027-Q4"), following("2027-H1"), following("2027-12"), following("2027")
    ('2028-Q1', '2027-H2', '2028-01', '2028')
    >>> following("someday") is None
    True
    """
    found = period(text)
    if found is None:
        return None
    text = (text or "").strip()
    year = found.end.year
    if len(text) == 4:
        return f"{year + 1}" if year < 9999 else None
    after = found.end.month + 1
    if after > 12:
        if year >= 9999:
            return None
        year, after = year + 1, 1
    if "-H" in text:
        return f"{year}-H{1 + (after - 1) // 6}"
    if "-Q" in text:
        return f"{year}-Q{1 + (after - 1) // 3}"
    return f"{year}-{after:02d}"

"""Line-chart geometry for the score trend, drawn as inline SVG by the findings page.

Computed here so the template only places shapes: no script, no style attributes (colours
come from classes in static/css/findings.css), and x positions follow the calendar, so a
gap between snapshots shows as a gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 40, 12, 28  # room for a centred date at either end
TICK_GAP = 84  # the least distance between two date labels


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Series:
    name: str
    css: str  # class suffix, e.g. "score" or "uncovered"
    points: str  # for <polyline points="…">
    dots: tuple[Dot, ...]
    last: int


@dataclass
class Chart:
    title: str
    series: list[Series]
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: float = HEIGHT - BOTTOM


def css_name(code: str) -> str:
    """A finding code as a class suffix.

    >>> css_name("UNANSWERED_FEEDBACK")
    'unanswered-feedback'
    """
    return code.lower().replace("_", "-")


def line_chart(title: str, days: list[date], series: dict[str, list[int]],
               top: int | None = None) -> Chart:
    """One line per named series over `days` (oldest first); the y axis runs from 0 to `top`
    (default: the largest value, rounded up to a readable step)."""
    peak = max((v for values in series.values() for v in values), default=0)
    top = top or _nice(peak)  # a multiple of 4, so the four steps are whole numbers
    span = max((days[-1] - days[0]).days, 1) if days else 1

    def x(day: date) -> float:
        if len(days) == 1:
            return (LEFT + WIDTH - RIGHT) / 2
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - days[0]).days / span, 1)

    def y(value: int) -> float:
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top), 1)

    lines = []
    for name, values in series.items():
        dots = tuple(Dot(x(d), y(v), f"{name}: {v} on {d.isoformat()}")
                     for d, v in zip(days, values, strict=True))
        lines.append(Series(name, css_name(name), " ".join(f"{d.x},{d.y}" for d in dots),
                            dots, values[-1] if values else 0))
    y_ticks = [(y(top * i // 4), str(top * i // 4)) for i in range(5)]
    return Chart(title, lines, y_ticks, _date_ticks([(x(d), d.isoformat()) for d in days]))


def _date_ticks(ticks: list[tuple[float, str]]) -> list[tuple[float, str]]:
    """The first and last dates, and as many between as fit without overlapping.

    >>> [label for _, label in _date_ticks([(44, "a"), (60, "b"), (200, "c"), (590, "d"),
    ...                                     (600, "e")])]
    ['a', 'c', 'e']
    """
    kept: list[tuple[float, str]] = []
    for tick in dict.fromkeys(ticks):
        if not kept or tick[0] - kept[-1][0] >= TICK_GAP:
            kept.append(tick)
    if ticks and kept[-1] != ticks[-1]:
        if len(kept) > 1 and ticks[-1][0] - kept[-1][0] < TICK_GAP:
            kept.pop()
        kept.append(ticks[-1])
    return kept


def _nice(peak: int) -> int:
    """A round upper bound for an axis with four even steps: 4, 8, 20, 40, 100, 200, …

    >>> [_nice(v) for v in (0, 3, 7, 13, 37, 101, 260)]
    [4, 4, 8, 20, 40, 200, 400]
    """
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if 4 * step * magnitude >= peak:
                return 4 * step * magnitude
        magnitude *= 10


def score_trend(history: list, codes: tuple[str, ...]) -> list[Chart]:
    """The score over time, and open findings per code (codes that were ever open), from
    ScoreRecord rows oldest first; nothing to draw without a snapshot."""
    if not history:
        return []
    days = [s.as_of for s in history]
    charts = [line_chart("Coherence score over time", days,
                         {"Score": [s.score for s in history]}, top=100)]
    counts = {code: [int((s.counts or {}).get(code, 0)) for s in history] for code in codes}
    ever = {code: values for code, values in counts.items() if any(values)}
    if ever:
        charts.append(line_chart("Open findings per code over time", days, ever))
    return charts

"""Line-chart geometry for the score trend, drawn as inline SVG by the findings page.

Computed here so the template only places shapes: no script, no style attributes (colours
come from classes in static/css/findings.css), and x positions follow the calendar, so a
gap between snapshots shows as a gap. Open findings per rule are small multiples (one small
chart per rule, all on one scale) rather than one chart of up to nineteen coloured lines,
which no palette keeps apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

TICK_GAP = 84  # the least distance between two date labels


@dataclass(frozen=True)
class Frame:
    """A chart's size and margins in SVG units (room for a centred date at either end)."""

    width: int
    height: int
    left: int = 44
    right: int = 40
    top: int = 12
    bottom: int = 28
    steps: int = 4  # y-axis divisions: the axis top is a multiple of 4


WIDE = Frame(640, 200)
SMALL = Frame(240, 84, left=24, right=6, top=8, bottom=24, steps=2)


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
    x_ticks: list[tuple[float, str, str]] = field(default_factory=list)  # x, label, anchor
    frame: Frame = WIDE

    @property
    def width(self) -> int:
        return self.frame.width

    @property
    def height(self) -> int:
        return self.frame.height

    @property
    def left(self) -> int:
        return self.frame.left

    @property
    def right(self) -> int:
        return self.frame.width - self.frame.right


@dataclass
class Trend:
    """What the trend card draws: the score, and one small chart per rule ever open."""

    score: Chart
    rules: list[Chart]


def css_name(code: str) -> str:
    """A finding code as a class suffix.

    >>> css_name("UNANSWERED_FEEDBACK")
    'unanswered-feedback'
    """
    return code.lower().replace("_", "-")


def line_chart(title: str, days: list[date], series: dict[str, list[int]],
               top: int | None = None, frame: Frame = WIDE) -> Chart:
    """One line per named series over `days` (oldest first); the y axis runs from 0 to `top`
    (default: the largest value, rounded up to a readable step)."""
    peak = max((v for values in series.values() for v in values), default=0)
    top = top or _nice(peak)  # a multiple of 4, so the steps are whole numbers
    span = max((days[-1] - days[0]).days, 1) if days else 1
    inner = frame.width - frame.left - frame.right

    def x(day: date) -> float:
        if len(days) == 1:
            return frame.left + inner / 2
        return round(frame.left + inner * (day - days[0]).days / span, 1)

    def y(value: int) -> float:
        return round(frame.top + (frame.height - frame.top - frame.bottom) * (1 - value / top), 1)

    lines = []
    for name, values in series.items():
        dots = tuple(Dot(x(d), y(v), f"{name}: {v} on {d.isoformat()}")
                     for d, v in zip(days, values, strict=True))
        lines.append(Series(name, css_name(name), " ".join(f"{d.x},{d.y}" for d in dots),
                            dots, values[-1] if values else 0))
    steps = frame.steps
    y_ticks = [(y(top * i // steps), str(top * i // steps)) for i in range(steps + 1)]
    x_ticks = [(at, label, "middle") for at, label in
               _date_ticks([(x(d), d.isoformat()) for d in days])]
    if frame is SMALL and len(x_ticks) > 1:  # its first and last day, inside its narrow box
        x_ticks = [(x_ticks[0][0], x_ticks[0][1], "start"), (x_ticks[-1][0], x_ticks[-1][1], "end")]
    return Chart(title, lines, y_ticks, x_ticks, frame)


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


def score_trend(history: list, codes: tuple[str, ...]) -> Trend | None:
    """The score over time, and open findings per rule (rules that were ever open, the most
    open now first, all on one scale so the small charts compare), from ScoreRecord rows
    oldest first; nothing to draw without a snapshot."""
    if not history:
        return None
    days = [s.as_of for s in history]
    score = line_chart("Coherence score over time", days,
                       {"Score": [s.score for s in history]}, top=100)
    counts = {code: [int((s.counts or {}).get(code, 0)) for s in history] for code in codes}
    ever = {code: values for code, values in counts.items() if any(values)}
    top = _nice(max((v for values in ever.values() for v in values), default=0))
    order = sorted(ever, key=lambda code: (-ever[code][-1], codes.index(code)))
    rules = [line_chart(code, days, {code: ever[code]}, top=top, frame=SMALL) for code in order]
    return Trend(score, rules)

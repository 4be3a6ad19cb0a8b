"""Geometry for the server-drawn SVG charts; templates only place what these return.

Colours come from CSS classes (static/css/pulses.css), so charts follow the stylesheet and
the page needs no inline styles.
"""

from __future__ import annotations

from dataclasses import dataclass

from cascade.pulses.stats import LABELS, SCALE, Distribution, percent


@dataclass(frozen=True)
class Segment:
    value: int
    x: float
    width: float
    count: int
    label: str


def bar(dist: Distribution, width: float = 300) -> list[Segment]:
    """The stacked bar: one segment per scale point that was answered, widths by share."""
    segments: list[Segment] = []
    x = 0.0
    for value, count in zip(SCALE, dist.counts, strict=True):
        if not count:
            continue
        w = width * count / dist.n
        segments.append(Segment(value, round(x, 2), round(w, 2), count,
                                f"{LABELS[value]} ({value}): {count}"))
        x += w
    return segments


@dataclass(frozen=True)
class Box:
    low: float
    high: float
    q1: float
    q3: float
    median: float
    ticks: tuple[tuple[int, float], ...]


def box(dist: Distribution, width: float = 160, pad: float = 8) -> Box | None:
    """The range strip: min–max line, the middle half as a box, the median as a mark."""
    if not dist.n:
        return None

    def x(v: float) -> float:
        return round(pad + (v - 1) / 4 * (width - 2 * pad), 2)

    q1, q3 = dist.quartiles
    return Box(low=x(dist.lowest), high=x(dist.highest), q1=x(q1), q3=x(q3),
               median=x(dist.median), ticks=tuple((v, x(v)) for v in SCALE))


def tone(dist: Distribution) -> str:
    """CSS class for a panorama cell: the median in half steps, t10 (1) to t50 (5)."""
    return f"t{round(dist.median * 2) * 5}"


def describe(dist: Distribution) -> str:
    """The whole distribution in words, for screen readers and tooltips."""
    counts = ", ".join(f"{c} × {v}" for v, c in zip(SCALE, dist.counts, strict=True) if c)
    q1, q3 = dist.quartiles
    return (f"{dist.n} answers ({counts}); median {dist.median:g}; middle half {q1:g}–{q3:g}; "
            f"range {dist.lowest}–{dist.highest}; {percent(dist.share_low)}% at 1–2, "
            f"{percent(dist.share_high)}% at 4–5")

"""Distributions of 1–5 answers: the whole range, the median and the spread, never a mean alone.

Pure functions: the anonymity threshold is applied here, so every page (and any export of
results) hides the same small groups in the same way.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

SCALE = (1, 2, 3, 4, 5)
LABELS = {1: "Strongly disagree", 2: "Disagree", 3: "Neither", 4: "Agree", 5: "Strongly agree"}


@dataclass(frozen=True)
class Distribution:
    """How many answered 1, 2, 3, 4 and 5, with the summaries a coach reads first."""

    counts: tuple[int, int, int, int, int]

    @property
    def n(self) -> int:
        return sum(self.counts)

    @property
    def values(self) -> list[int]:
        return [v for v, c in zip(SCALE, self.counts, strict=True) for _ in range(c)]

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.n else None

    @property
    def lowest(self) -> int | None:
        return next((v for v, c in zip(SCALE, self.counts, strict=True) if c), None)

    @property
    def highest(self) -> int | None:
        return next((v for v, c in reversed(list(zip(SCALE, self.counts, strict=True))) if c),
                    None)

    @property
    def quartiles(self) -> tuple[float, float] | None:
        """The interquartile range: where the middle half of the answers lie."""
        values = self.values
        if not values:
            return None
        if len(values) == 1:
            return float(values[0]), float(values[0])
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
        return q1, q3

    @property
    def iqr(self) -> float | None:
        q = self.quartiles
        return None if q is None else q[1] - q[0]

    @property
    def share_low(self) -> float:
        """Share of answers at 1–2 (disagree)."""
        return (self.counts[0] + self.counts[1]) / self.n if self.n else 0.0

    @property
    def share_high(self) -> float:
        """Share of answers at 4–5 (agree)."""
        return (self.counts[3] + self.counts[4]) / self.n if self.n else 0.0

    @property
    def divided(self) -> bool:
        """Both a 1–2 and a 4–5: the split an average of 3 would hide."""
        return self.counts[0] + self.counts[1] > 0 and self.counts[3] + self.counts[4] > 0

    @property
    def wide(self) -> bool:
        """The middle half spans two or more points: views are spread, not shared."""
        return (self.iqr or 0) >= 2

    @property
    def needs_attention(self) -> bool:
        """Low alignment (median 2.5 or lower), or views both widely spread and split
        between disagreeing and agreeing."""
        return self.n > 0 and (self.median <= 2.5 or (self.wide and self.divided))

    def __add__(self, other: Distribution) -> Distribution:
        return Distribution(tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)))


EMPTY = Distribution((0, 0, 0, 0, 0))


def distribution(values: Iterable[int]) -> Distribution:
    """Count answers per scale point; values off the 1–5 scale are left out."""
    counts = [0] * len(SCALE)
    for value in values:
        if 1 <= value <= 5:
            counts[value - 1] += 1
    return Distribution(tuple(counts))


def pooled(parts: Iterable[Distribution]) -> Distribution:
    total = EMPTY
    for part in parts:
        total = total + part
    return total


def visible(dist: Distribution, min_answers: int) -> bool:
    """Whether a group has enough answers to be shown without exposing anyone."""
    return dist.n >= max(1, min_answers)


def percent(share: float) -> int:
    return round(share * 100)

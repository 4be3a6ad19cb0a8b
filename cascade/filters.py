"""Jinja filters: all formatting templates need, registered in one place."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask

from cascade import clock
from cascade.coherence import names
from cascade.coherence.pace import percent
from cascade.text import markdown


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(markdown=markdown.render, excerpt=markdown.excerpt, when=when,
                                 ago=ago, plural=plural, score=score, number=number,
                                 percent=percent, rule_name=names.name)


def when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """"3 days ago" — how long a note has waited is what matters, not its timestamp."""
    if value is None:
        return ""
    seconds = int(((now or clock.now()) - value).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            return f"{plural(seconds // size, unit)} ago"
    return "just now"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def score(value: float | int | None) -> str:
    """A coherence score as pages show it: one decimal, so acknowledging a finding in a
    large workspace visibly moves it (`coherence.score.formula_tenths`)."""
    return "" if value is None else f"{value:.1f}"


def number(value: float | int | None) -> str:
    """A measure's number as people write it: 12, 3.5, 1,250 (never 12.0)."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")

"""Plain-language pieces shared by the findings' messages and suggested conversations.

A finding opens a conversation, so its words name things the way people do (titles in
quotes, unit names) and describe what is, without judging anyone.
"""

from __future__ import annotations

from collections.abc import Iterable

from cascade.coherence.model import Finding


def finding(code: str, severity: str, nodes: Iterable[str | None],
            units: Iterable[str | None], message: str, suggestion: str,
            detail: str = "") -> Finding:
    """A Finding whose names are de-duplicated in order, so the subject stays first;
    `detail` tells apart findings naming the same nodes and units (one per measure)."""
    return Finding(code, severity, tuple(dict.fromkeys(k for k in nodes if k is not None)),
                   tuple(dict.fromkeys(k for k in units if k is not None)), message, suggestion,
                   detail=detail)


def quoted(text: str) -> str:
    """A title as it appears in a sentence.

    >>> quoted("Faster checkout")
    '“Faster checkout”'
    """
    return f"“{text}”"


def possessive(name: str) -> str:
    """Names ending in s take a bare apostrophe, as people write them.

    >>> possessive("Payments"), possessive("Lea")
    ("Payments'", "Lea's")
    """
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def listing(items: Iterable[str], limit: int = 4) -> str:
    """Items joined as in prose; long lists are cut so a message stays readable.

    >>> listing(["A", "B", "C"]), listing(["A"] * 6)
    ('A, B and C', 'A, A, A, A and 2 more')
    """
    items = list(items)
    if len(items) > limit:
        items = items[:limit] + [f"{len(items) - limit} more"]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"

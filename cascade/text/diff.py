"""Readable differences between two texts, as data a template renders (and escapes).

Lines are compared first; a changed line is then compared word by word, so a reader sees
which words moved on rather than a whole paragraph struck out and retyped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Line:
    kind: str  # same | del | ins | change
    parts: tuple[tuple[str, str], ...]  # (same | del | ins, text)


def diff(old: str, new: str) -> list[Line]:
    """The lines of `new` against `old`; empty when they are the same."""
    if old == new:
        return []
    a, b = (old or "").splitlines(), (new or "").splitlines()
    out: list[Line] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [Line("same", (("same", line),)) for line in a[i1:i2]]
        elif tag == "replace" and i2 - i1 == j2 - j1:
            out += [Line("change", _words(x, y)) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
        else:
            out += [Line("del", (("del", line),)) for line in a[i1:i2]]
            out += [Line("ins", (("ins", line),)) for line in b[j1:j2]]
    return out


def _words(old: str, new: str) -> tuple[tuple[str, str], ...]:
    a, b = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    parts: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("ins", "".join(b[j1:j2])))
    return tuple(parts)


def compare(old, new) -> dict:
    """Title and statement differences between two revisions (anything with those fields)."""
    return {"title": diff(old.title, new.title), "statement": diff(old.statement, new.statement)}

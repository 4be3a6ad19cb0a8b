"""User text on its way into DOT: cleaned once, then escaped for the label kind it lands in.

Titles and unit names may hold anything (quotes, backslashes, braces, markup, control
characters, bidi overrides, emoji). Control characters and bidi overrides are dropped,
since they cannot be drawn and could make a title read other than it is; plain labels go
through `graphviz.escape` with `&` written as `&amp;` (dot reads entities in every label),
HTML-like labels through `html.escape`. No DOT is ever written
by hand: the graphviz library quotes every attribute value.
"""

from __future__ import annotations

import html
import re
import textwrap

import graphviz

# C0/C1 controls, lone surrogates, bidi embeddings/overrides/isolates, non-characters.
_UNDRAWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
                         "\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


def clean(text: str | None, limit: int = 200) -> str:
    """One line of drawable text, at most `limit` characters (an ellipsis marks a cut)."""
    text = text or ""
    # Every undrawable character and every space but " " is unprintable, so printable text
    # without doubled or outer spaces is already clean: two C-level checks, no regex pass.
    if not (text.isprintable() and "  " not in text and text[:1] != " " != text[-1:]):
        text = _SPACE.sub(" ", _UNDRAWABLE.sub("", text)).strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def plain(text: str | None, limit: int = 80) -> str:
    """A plain DOT label: backslash escapes, `<...>` and character references (`&#xD800;`,
    which dot would turn into bytes no XML may hold) lose their special meaning."""
    return graphviz.escape(clean(text, limit).replace("&", "&amp;"))


def lines(text: str | None, width: int = 26, most: int = 3) -> list[str]:
    """A title wrapped for a node, the last kept line ending in an ellipsis when cut."""
    wrapped = _wrap(clean(text, width * most + 20), width)
    if len(wrapped) > most:
        wrapped = wrapped[:most]
        wrapped[-1] = wrapped[-1][:width - 1].rstrip() + "…"  # one ellipsis, within width
    return wrapped


def _wrap(text: str, width: int) -> list[str]:
    """`textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False)` for
    cleaned text (single spaces, no tabs or newlines): the same greedy filling, without
    textwrap's general machinery when every word fits on a line."""
    words = text.split(" ") if text else []
    if any(len(word) > width for word in words):
        return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
    out: list[str] = []
    line = ""
    for word in words:
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            out.append(line)
            line = word
    if line:
        out.append(line)
    return out or [""]


def html_text(text: str) -> str:
    """Text for an HTML-like label: markup characters become entities."""
    return html.escape(clean(text, 400), quote=True)


def html_label(body: str) -> str:
    """Mark an already-escaped HTML-like label as such for the graphviz library."""
    return f"<{body}>"

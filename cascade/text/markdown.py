"""Markdown to safe HTML: the only place in Cascade that makes `Markup`."""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

_TAGS = {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
         "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "del"}


def render(text: str | None) -> Markup:
    """User Markdown, rendered and sanitised: no raw HTML, no script, only http(s)/mailto links."""
    html = _md.render(text or "")
    clean = nh3.clean(html, tags=_TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    return Markup(clean)


def excerpt(text: str | None, length: int = 80) -> str:
    """The words of a Markdown text without its markup, cut at a word near `length`: for
    one-line previews in lists (plain text, escaped by the template like any other)."""
    words = " ".join(nh3.clean(_md.render(text or ""), tags=set()).split())
    words = html.unescape(words)
    if len(words) <= length:
        return words
    return words[:length].rsplit(" ", 1)[0].rstrip(",.;:") + "…"

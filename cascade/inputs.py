"""What typed input may hold, in one place: the characters Cascade refuses everywhere, and
whole numbers read from query strings within a range.

PostgreSQL's text cannot hold NUL; UTF-8 cannot encode a lone surrogate; XML 1.0 (the SVG
the graph is drawn in, and the exports) cannot hold the other C0 controls, U+FFFE or
U+FFFF. A value with any of them is refused at the door (forms, URLs, query strings,
imports), with a message, rather than failing later on one backend or in one picture.
"""

from __future__ import annotations

import re

# C0 controls but tab, newline and carriage return; surrogates; the two non-characters
# XML excludes. (DEL and the C1 controls are valid XML and storable: the graph drops them.)
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

UNSTORABLE_MESSAGE = ("holds a character that cannot be stored (a NUL byte, a control "
                      "character or an unpaired surrogate); remove it and try again")


def unstorable(text: str) -> str | None:
    """The first refused character of `text` as a readable escape (`U+0000`), or None."""
    found = UNSTORABLE.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def whole_number(text: str | None, low: int, high: int) -> int | None:
    """`text` as an int in low..high when it is plain ASCII digits, else None.

    `str.isdigit` also accepts superscripts and other scripts' digits that `int` refuses,
    and `int` would spend time on thousands of digits: both are checked first.

    >>> whole_number("12", 0, 50), whole_number("⁰⁴⁵", 0, 50), whole_number("9" * 400, 1, 9)
    (12, None, None)
    """
    text = (text or "").strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(high)):
        return None
    value = int(text)
    return value if low <= value <= high else None


def own_path(target: str | None) -> str | None:
    """`target` when it is a path on this site (`/w/acme/?x=1`), else None.

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so
    `/\\t/evil.test` and `/\\\\evil.test` would leave the site; a newline would also break
    the Location header. Anything with a control character, a space or a backslash, or
    that names a scheme or a host, is refused.

    >>> own_path("/w/acme/?q=1"), own_path("/\\t/evil.test"), own_path("//evil.test")
    ('/w/acme/?q=1', None, None)
    """
    from urllib.parse import urlsplit

    if not target or not target.startswith("/") or target.startswith("//") \
            or not target.isprintable() or any(c in target for c in " \\"):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None

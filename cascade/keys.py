"""Keys and slugs: one pattern each, one way to make one from a name, one way to find a free one.

A key names a unit, node or pulse inside its workspace, in URLs and in cascade/v1 files; a
slug names a workspace in its URL. Web forms, the CLI and the importer accept exactly these,
and every key Cascade makes itself matches them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

KEY_LENGTH, SLUG_LENGTH = 80, 60
KEY = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.:-]{{0,{KEY_LENGTH - 1}}}")
SLUG = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{SLUG_LENGTH - 1}}}")
# Page names that share a key's place in URLs (/nodes/new, /pulses/panorama): a record with
# such a key could never be opened.
RESERVED = frozenset({"new", "panorama", "search.json"})

KEY_HINT = ("Start with a letter or digit; then letters, digits, hyphens, underscores, dots "
            f"or colons, at most {KEY_LENGTH} characters.")
SLUG_HINT = (f"Use lower-case letters, digits and hyphens, starting with a letter or digit, "
             f"at most {SLUG_LENGTH} characters.")


def key_problem(key: str) -> str | None:
    """Why `key` cannot name a unit, node or pulse, or None when it can.

    >>> key_problem("pay-1"), key_problem("Q1:goal_2.b"), key_problem("-x") is not None
    (None, None, True)
    >>> key_problem("new")
    "'new' is the name of a page; choose another key."
    """
    if not KEY.fullmatch(key):
        return KEY_HINT
    if key in RESERVED:
        return f"{key!r} is the name of a page; choose another key."
    return None


def slug_problem(slug: str) -> str | None:
    """Why `slug` cannot be a workspace's address, or None when it can.

    >>> slug_problem("northwind"), slug_problem("North") is not None
    (None, True)
    """
    return None if SLUG.fullmatch(slug) else SLUG_HINT


def slugify(text: str, length: int = SLUG_LENGTH) -> str:
    """Lower-case ASCII words joined by hyphens, accents folded, at most `length` characters.

    >>> slugify("Groceries in < 1 hour"), slugify("Équipe Café"), slugify("***")
    ('groceries-in-1-hour', 'equipe-cafe', '')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:length].rstrip("-")


def free_key(wanted: str, taken: Container[str], length: int = KEY_LENGTH) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`… : the first that is not taken nor reserved, cut
    so that it still fits `length`.

    >>> free_key("plan", {"plan", "plan-2"}), free_key("new", set())
    ('plan-3', 'new-2')
    """
    key, number = wanted[:length], 1
    while key in taken or key in RESERVED:
        number += 1
        suffix = f"-{number}"
        key = wanted[:length - len(suffix)].rstrip("-") + suffix
    return key

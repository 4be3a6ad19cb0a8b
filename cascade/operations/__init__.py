"""Write use cases: take loaded objects and clean data, enforce the rules, flush, never commit.

Each records an audit entry. A refused change raises `cascade.refusals.Refusal` naming the
form field it is about, so views can show it next to that field.
"""

from __future__ import annotations


class Conflict(Exception):
    """Someone else saved the same row since the form was loaded."""

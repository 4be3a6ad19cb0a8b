"""Write use cases: take loaded objects and clean data, enforce the rules, flush, never commit.

Each records an audit entry. A refused change raises `Refused` naming the form field it is
about, so views can show it next to that field.
"""

from __future__ import annotations


class Refused(ValueError):
    """A change the domain does not allow; `field` names the form field to attach it to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class Conflict(Exception):
    """Someone else saved the same row since the form was loaded."""

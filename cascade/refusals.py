"""A domain operation's "no": which form field it concerns and what to tell the person."""

from __future__ import annotations


class Refusal(ValueError):
    """Raised by an operation before it changes anything; views show it next to `field`."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message

    def show_on(self, form) -> None:
        """Put the message under the form's field (or the form's first field if unknown)."""
        field = getattr(form, self.field, None)
        if field is None:
            field = next(iter(form))
        field.errors = [*field.errors, self.message]


class Conflict(Exception):
    """Someone else saved the same row since the form was loaded: the view shows both texts."""

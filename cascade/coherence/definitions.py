"""What the brief's words mean for one record, decided in one place.

Every page, the graph, the inbox and the rules ask these functions, so that a node the tree
calls *stale* is exactly a node the engine raises STALE_TRANSLATION for.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def live(status: str, unit_active: bool) -> bool:
    """A node takes part in the analysis: not retired, and its unit exists and is not archived.

    >>> live("agreed", True), live("retired", True), live("agreed", False)
    (True, False, False)
    """
    return status != "retired" and unit_active


def stale(seen: int | None, parent_revision: int, *, node_live: bool, parent_live: bool) -> bool:
    """A translation whose parent moved on since its owners last confirmed it: both live, and
    the parent revision it was confirmed against (`seen`) is lower than the parent's now. A
    node that never recorded a revision is current.

    >>> both = {"node_live": True, "parent_live": True}
    >>> stale(1, 2, **both), stale(2, 2, **both), stale(None, 2, **both)
    (True, False, False)
    >>> stale(1, 2, node_live=True, parent_live=False)
    False
    """
    return node_live and parent_live and seen is not None and seen < parent_revision


def in_grace(agreed_at: datetime | None, as_of_end: datetime | None, grace_days: int) -> bool:
    """A node agreed too recently for its units to have translated it yet: marked agreed no
    more than `grace_days` before the end of the as-of day. A node whose agreement time is
    unknown (imported without one) counts as agreed long ago; without an as-of date there is
    no grace. Naive times are UTC.

    >>> end = datetime(2026, 11, 2, tzinfo=UTC)
    >>> fortnight, second = timedelta(days=14), timedelta(seconds=1)
    >>> in_grace(end - fortnight, end, 14), in_grace(end - fortnight - second, end, 14)
    (True, False)
    >>> in_grace(None, end, 14), in_grace(end, None, 14)
    (False, False)
    """
    if agreed_at is None or as_of_end is None:
        return False
    agreed = agreed_at.replace(tzinfo=UTC) if agreed_at.tzinfo is None else agreed_at
    return as_of_end - agreed <= timedelta(days=grace_days)


# Stances whose silence becomes a gap: an unanswered concern or blocker.
PRESSING = ("concern", "blocker")


def awaiting_answer(status: str, response: str | None) -> bool:
    """A note waits for an answer: still `open`, and nobody wrote a response (missing or
    blank).

    >>> awaiting_answer("open", None), awaiting_answer("open", "  "), awaiting_answer("open", "Ok")
    (True, True, False)
    >>> awaiting_answer("acknowledged", None)
    False
    """
    return status == "open" and not (response or "").strip()


def overdue(stance: str, status: str, response: str | None, created_at: datetime,
            cutoff: datetime) -> bool:
    """A concern or blocker waiting for an answer since before `cutoff` (the end of the
    as-of day less `feedback_days`): what UNANSWERED_FEEDBACK raises, and what pages mark
    overdue. Naive times are UTC.

    >>> cut = datetime(2026, 10, 19, tzinfo=UTC)
    >>> overdue("blocker", "open", None, datetime(2026, 10, 1), cut)
    True
    >>> overdue("support", "open", None, datetime(2026, 10, 1), cut)
    False
    >>> overdue("concern", "acknowledged", "Heard.", datetime(2026, 10, 1), cut)
    False
    """
    created = created_at.replace(tzinfo=UTC) if created_at.tzinfo is None else created_at
    return stance in PRESSING and awaiting_answer(status, response) and created < cutoff

"""What the brief's words mean for one record, decided in one place.

Every page, the graph, the inbox and the rules ask these functions, so that a node the tree
calls *stale* is exactly a node the engine raises STALE_TRANSLATION for.
"""

from __future__ import annotations


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

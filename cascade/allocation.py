"""Bulk work that allocates many small objects (a snapshot, an analysis, an import) runs
with Python's cyclic garbage collector paused: otherwise each of its collections re-scans
every live object, and the cost of building 100,000 tuples grows faster than their number.
Nothing built there forms reference cycles that need collecting before the work ends."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector for the block, restoring its previous state after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


LONG_LIVED_FROM = 5_000  # nodes: below, a full collection over the analysis is quick


def keep_long_lived(nodes: int) -> None:
    """After loading a large analysis that will serve many requests: collect once, then
    move every live object to the permanent generation (`gc.freeze`), so later full
    collections skip them. At 20,000 nodes the analysis is ~500,000 objects, and the full
    collection every ~14 requests re-walked them all (300–400 ms on the findings page, a
    fifth of that once frozen). Unfreezing first lets the previous analysis's cycles be
    collected, so nothing is kept for good; the one collection costs what one of those did."""
    if nodes < LONG_LIVED_FROM:
        return
    gc.unfreeze()
    gc.collect()
    gc.freeze()

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

"""A large analysis loaded for many requests is moved out of the cyclic collector's way
(`allocation.keep_long_lived`); a small one is left alone, and nothing stays for good."""

import gc
import weakref

from cascade.allocation import LONG_LIVED_FROM, keep_long_lived


class Box:
    pass


def test_a_large_analysis_is_frozen_until_the_next_one_and_then_collected():
    try:
        gc.unfreeze()
        keep_long_lived(LONG_LIVED_FROM - 1)
        assert gc.get_freeze_count() == 0
        box = Box()
        box.me = box  # a cycle: only the collector frees it
        ref = weakref.ref(box)
        keep_long_lived(LONG_LIVED_FROM)
        assert gc.get_freeze_count() > 0
        del box
        gc.collect()
        assert ref() is not None  # frozen: full collections pass it by
        keep_long_lived(LONG_LIVED_FROM)  # the next large analysis: the old cycles go
        assert ref() is None
    finally:
        gc.unfreeze()

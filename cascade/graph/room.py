"""The graph in a room: a picture packed to be read when fitted on a projector.

A strategy tree is wide and shallow (a few levels, dozens of key results), so dot's usual
drawing, fitted to a 16:9 screen, has labels a few pixels high. A room's picture uses short
wrapped labels and tight spacing, stacks each team's nodes in blocks (`build.Packing`), and
is packed in whichever of a few ways makes its text largest for the screen's shape: each
candidate is laid out by dot (in parallel; every layout is cached like any other) and
measured from its viewBox. Views larger than `options.ROOM_BUDGET` fold into summaries first, so
the picture never holds more than a room can read.
"""

from __future__ import annotations

import re
from contextlib import ExitStack

from cascade.graph.build import Packing, build
from cascade.graph.cache import Cache
from cascade.graph.collapse import Plan
from cascade.graph.render import Layout
from cascade.graph.scope import Scope

CANDIDATES = (*(Packing("TB", column) for column in (3, 4, 5, 6)),
              *(Packing("LR", column) for column in (2, 3, 4)))

_VIEWBOX = re.compile(rb'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')


def scale(svg: bytes, shape: float) -> float:
    """How large one unit of the drawing is when it is fitted into a box of this shape
    one unit high: what the text size is proportional to, for comparing packings."""
    found = _VIEWBOX.search(svg)
    if found is None:
        return 0.0
    width, height = float(found[1]), float(found[2])
    return min(shape / width, 1 / height) if width and height else 0.0


def choose(scope: Scope, plan: Plan, shape: float, cache: Cache, timeout: float = 60,
           **extras) -> Packing:
    """The packing whose picture has the largest text when fitted into `shape`."""
    with ExitStack() as stack:
        runs = [(packing, stack.enter_context(
            Layout(build(scope, plan, packing=packing, **extras).dot.source, "svg", cache,
                   timeout))) for packing in CANDIDATES]
        return max(runs, key=lambda run: scale(run[1].output(), shape))[0]

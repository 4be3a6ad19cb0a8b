"""The graph in a room: a picture packed to be read when fitted on a projector.

A strategy tree is wide and shallow (a few levels, dozens of key results), so dot's usual
drawing, fitted to a 16:9 screen, has labels a few pixels high. A room's picture uses short
wrapped labels and type large beside tight spacing, stacks each team's nodes in blocks
(`build.Packing`), and is packed in whichever of a few ways makes its text largest in the
screen's box: each candidate is laid out by dot (all at once; every layout is cached like
any other) and measured from its viewBox. When even the best packing's text would be
smaller than `READABLE` pixels, the deepest levels fold into summaries (as the desk's
budget folds a big workspace) and the packings are tried again.
"""

from __future__ import annotations

import re
from contextlib import ExitStack

from cascade.graph.build import ROOM_FONT, Packing, build
from cascade.graph.cache import Cache
from cascade.graph.collapse import Plan, collapse
from cascade.graph.options import ROOM_BUDGET, GraphOptions
from cascade.graph.render import Layout, RenderError
from cascade.graph.scope import Scope

READABLE = 12  # CSS pixels of type: what a room reads from the back of a meeting room
FOLDS = 4  # budgets tried at most, each a third smaller than the last

CANDIDATES = (*(Packing("TB", column) for column in (3, 4, 5, 6)),
              *(Packing("LR", column) for column in (2, 3, 4)))

_VIEWBOX = re.compile(rb'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')


def text_px(svg: bytes, box: tuple[int, int]) -> float:
    """The size of the node text, in CSS pixels, when the picture is fitted into `box`."""
    found = _VIEWBOX.search(svg)
    if found is None:
        return 0.0
    width, height = float(found[1]), float(found[2])
    if not (width and height):
        return 0.0
    return ROOM_FONT * min(box[0] / width, box[1] / height)


def choose(scope: Scope, plan: Plan, box: tuple[int, int], cache: Cache,
           timeout: float = 60) -> tuple[Packing, float]:
    """The packing whose text is largest fitted into `box`, and that size. A packing that
    dot crashes on counts as unreadable (if all do, the view's own fallback draws the first
    without links: `view.laid_out`); running out of time is an error, as for any view."""
    with ExitStack() as stack:
        runs = [(packing, stack.enter_context(
            Layout(build(scope, plan, packing=packing).dot.source, "svg", cache, timeout)))
            for packing in CANDIDATES]
        sizes = [(_measured(layout, box), packing) for packing, layout in runs]
    size, packing = max(sizes, key=lambda pair: pair[0])
    return packing, size


def _measured(layout: Layout, box: tuple[int, int]) -> float:
    try:
        return text_px(layout.output(), box)
    except RenderError as error:
        if not error.crashed:
            raise
        return 0.0


def readable(scope: Scope, options: GraphOptions, cache: Cache,
             timeout: float = 60) -> tuple[Plan, Packing]:
    """The view folded to `ROOM_BUDGET` nodes, and further only as it takes for its text
    to reach `READABLE` pixels in the options' box (or as far as `FOLDS` budgets go), and
    its packing."""
    assert options.room is not None
    budget, tried = min(options.budget, ROOM_BUDGET), set()
    for _ in range(FOLDS):
        plan = collapse(scope, budget, options.expand)
        drawn = len(plan.visible) + len(plan.summaries)
        if drawn in tried:  # folding further changed nothing
            break
        tried.add(drawn)
        packing, size = choose(scope, plan, options.room, cache, timeout)
        if size >= READABLE or budget <= 10:
            break
        budget = max(10, budget * 2 // 3)
    return plan, packing

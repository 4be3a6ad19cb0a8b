"""What a graph view shows: its filters, the expanded summaries and the node budget.

Options come from query strings typed by anyone, so parsing never fails: a value that makes
no sense is dropped, and the view shows what the remaining filters select.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

from cascade.inputs import whole_number
from cascade.vocabulary import NODE_STATUSES

MAX_DEPTH = 50
MAX_EXPANDED = 200
MAX_VALUE = 120
ROOM_BUDGET = 60  # nodes a room's picture draws at most (`room.readable` may fold more)
ROOM_SIDES = (200, 4000)  # CSS pixels a room's picture may be packed for, each side
ROOM_STEP = 20  # sizes are rounded to this, so a handful of pictures serve every screen
PROJECTOR = (1060, 700)  # the presenter's picture at 1366×768, beside its legend


def room_of(text: str | None) -> tuple[int, int] | None:
    """A screen box from a query string ("1086x698": CSS pixels, width x height), each side
    rounded to `ROOM_STEP` within `ROOM_SIDES`; None (no room picture) for anything else."""
    found = re.fullmatch(r"(\d{1,5})x(\d{1,5})", text or "")
    if found is None:
        return None
    low, high = ROOM_SIDES
    return tuple(min(max(round(int(side) / ROOM_STEP) * ROOM_STEP, low), high)
                 for side in found.groups())  # type: ignore[return-value]


@dataclass(frozen=True)
class GraphOptions:
    root: str | None = None  # show only this node's subtree
    unit: str | None = None  # nodes owned by this unit or below it (plus their ancestors)
    depth: int | None = None  # levels below the top of the view; 0 = the top only
    code: str | None = None  # nodes named by findings with this code
    status: str | None = None  # nodes with this status
    horizon: str | None = None  # nodes of this horizon or of a period inside it
    expand: tuple[str, ...] = ()  # collapsed nodes the viewer opened
    budget: int = 300  # visible nodes before subtrees collapse into summaries
    changed: tuple[str, ...] = ()  # nodes outlined as changed since a comparison day
    room: tuple[int, int] | None = None  # a room's picture for a box of this size (CSS px)

    @classmethod
    def from_args(cls, args: Mapping[str, str], budget: int) -> GraphOptions:
        """Read a query string; blank or malformed values mean "no filter"."""
        depth = whole_number(_text(args, "depth"), 0, 10**9)
        status = _text(args, "status")
        listed = _text(args, "expand", MAX_VALUE * MAX_EXPANDED) or ""
        expand = tuple(sorted({k for k in listed.split(",")
                               if k and len(k) <= MAX_VALUE}))[:MAX_EXPANDED]
        return cls(root=_text(args, "root"), unit=_text(args, "unit"),
                   depth=min(depth, MAX_DEPTH) if depth is not None else None,
                   code=_text(args, "code"),
                   status=status if status in NODE_STATUSES else None,
                   horizon=_text(args, "horizon", 40), expand=expand, budget=max(10, int(budget)),
                   room=room_of(_text(args, "room", 20)))

    def for_room(self, box: tuple[int, int] | None = PROJECTOR) -> GraphOptions:
        """These options drawn as a room's picture fitted into `box` (None: the desk's)."""
        return replace(self, room=box)

    @property
    def filtered(self) -> bool:
        return any((self.root, self.unit, self.depth is not None, self.code, self.status,
                    self.horizon))

    def args(self) -> dict[str, str]:
        """The query-string form of these options, without the defaults (for links)."""
        values = {"root": self.root, "unit": self.unit, "code": self.code,
                  "status": self.status, "horizon": self.horizon,
                  "expand": ",".join(self.expand) or None,
                  "depth": str(self.depth) if self.depth is not None else None,
                  "room": "{}x{}".format(*self.room) if self.room else None}
        return {k: v for k, v in values.items() if v}

    def fingerprint(self) -> dict:
        return asdict(self)


def _text(args: Mapping[str, str], name: str, limit: int = MAX_VALUE) -> str | None:
    value = (args.get(name) or "").strip()
    return value if value and len(value) <= limit else None

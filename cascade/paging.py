"""One page of a list, read by SQL: a count and LIMIT/OFFSET, never every row sliced in
Python, so a page costs the same two statements at 50 or 20,000 nodes.

The caller's order must end in a unique column (the id): rows that tie on the visible sort
then keep one order from page to page, and paging never skips or repeats one. The pager
macro (`templates/_macros/pager.html`, `counted`) shows "41–80 of 40,112" and the links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from cascade.db import db

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int  # 1-based; a number past the end is the last page
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """The position of the first item shown (1-based; 0 when there is none)."""
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return (self.number - 1) * self.size + len(self.items)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def clamp(number: int | None, total: int, size: int = PAGE_SIZE) -> int:
    """The page to show for a requested number: 1 for none, the last one past the end."""
    return min(max(1, number or 1), max(1, -(-total // size)))


def page_of(statement: sa.Select, number: int | None, size: int = PAGE_SIZE, *,
            total: int | None = None, rows: bool = False, load=None) -> Page:
    """Page `number` of `statement` (ordered, ending in a unique column). `total` when the
    caller counted already (say, with its group counts); otherwise one COUNT. Items are
    the first column's objects, or whole rows with `rows`; with `load`, the statement
    selects ids and `load(ids)` reads their objects, in that order: the deep OFFSET then
    walks narrow rows, never the joins that draw a row (page 1,000 as fast as page 1)."""
    if total is None:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(
            statement.order_by(None).subquery()))
    number = clamp(number, total, size)
    if not total:
        return Page([], 1, size, 0)
    window = statement.limit(size).offset((number - 1) * size)
    items = list(db.session.execute(window).all() if rows else db.session.scalars(window))
    if load is not None:
        found = {item.id: item for item in load(items)}
        items = [found[i] for i in items if i in found]
    return Page(items, number, size, total)

"""The unit tree: create, rename, move (never into its own subtree) and archive units."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade import trees
from cascade.db import db
from cascade.models import Membership, Unit, Workspace
from cascade.paging import PAGE_SIZE, Page, clamp


def units_of(ws: Workspace) -> list[Unit]:
    return list(db.session.scalars(sa.select(Unit).where(Unit.workspace_id == ws.id)
                                   .order_by(Unit.name)))


def unit_named(ws: Workspace, text: str, by_name: bool = True) -> Unit | None:
    """The unit whose key is `text`, else (`by_name`) the one so named, regardless of case:
    how filters let people name one unit of thousands without listing them all."""
    found = db.session.scalar(sa.select(Unit).where(Unit.workspace_id == ws.id,
                                                    Unit.key == text))
    if found is None and by_name:
        found = db.session.scalars(sa.select(Unit).where(
            Unit.workspace_id == ws.id, sa.func.lower(Unit.name) == text.lower())
            .order_by(Unit.archived, Unit.id).limit(1)).first()
    return found


def unit_tree(units) -> list[tuple[Unit, int]]:
    """Units depth-first with their depth, siblings in `trees.unit_order`; a unit whose
    parent is not among them starts a tree of its own."""
    return trees.outline(units, key=lambda u: u.id, parent=lambda u: u.parent_id,
                         order=lambda u: trees.unit_order(u.name, u.archived))


def subtree_ids(units, unit: Unit) -> set[int]:
    """The unit and every unit below it."""
    return set(trees.subtree(unit.id, trees.children_of({u.id: u.parent_id for u in units})))


@dataclass(frozen=True)
class UnitOutline:
    """One page of the unit tree, depth-first: `page.items` are (Unit, depth) pairs; the
    path above the first row (the page may start inside a department), the number of
    units below each unit shown, and up to `PEOPLE_SHOWN` of each one's people."""
    page: Page
    above: list[tuple[int, str, str]]  # (id, key, name) from the top down
    below: dict[int, int]
    people: dict[int, list[Membership]]
    more_people: dict[int, int]


PEOPLE_SHOWN = 8


def outline_page(rows, *, under: int | None = None, words: str = "",
                 number: int | None = 1, size: int = PAGE_SIZE) -> UnitOutline:
    """The unit tree a page at a time, from `rows` (`snapshot.unit_rows`, which every
    workspace page reads already): only the units under `under` when given, only those
    whose name or key contains `words`. The outline is ordered in memory from those narrow
    rows; the units and people of the page are then read in two statements."""
    parent = {uid: up for uid, _, _, up, _ in rows}
    tree = trees.outline(rows, key=lambda r: r[0], parent=lambda r: r[3],
                         order=lambda r: trees.unit_order(r[2], r[4]))
    kids = trees.children_of(parent)
    if under is not None:
        inside = set(trees.subtree(under, kids))
        top = next(d for r, d in tree if r[0] == under)
        tree = [(r, d - top) for r, d in tree if r[0] in inside]
    if words:
        needle = words.lower()
        tree = [(r, d) for r, d in tree if needle in r[2].lower() or needle in r[1].lower()]
    number = clamp(number, len(tree), size)
    window = tree[(number - 1) * size:number * size]
    ids = [r[0] for r, _ in window]
    units = {u.id: u for u in db.session.scalars(sa.select(Unit).where(Unit.id.in_(ids)))}
    people: dict[int, list[Membership]] = {uid: [] for uid in ids}
    more: dict[int, int] = dict.fromkeys(ids, 0)
    if ids:
        for membership in db.session.scalars(
                sa.select(Membership).where(Membership.unit_id.in_(ids))
                .options(joinedload(Membership.person))
                .order_by(Membership.unit_id, Membership.id)):
            shown = people[membership.unit_id]
            if len(shown) < PEOPLE_SHOWN:
                shown.append(membership)
            else:
                more[membership.unit_id] += 1
    above = []
    if window and number > 1 and not words:  # where a page that starts mid-tree is
        names = {uid: (uid, key, name) for uid, key, name, _, _ in rows}
        above = [names[a] for a in reversed(trees.ancestors(window[0][0][0], parent))
                 if under is None or a in inside]
    return UnitOutline(Page([(units[r[0]], d) for r, d in window], number, size, len(tree)),
                       above, {uid: len(trees.subtree(uid, kids)) - 1 for uid in ids},
                       people, more)


OVERVIEW_UNITS = 60


def top_of_tree(rows, limit: int = OVERVIEW_UNITS) -> tuple[list[tuple], dict[int, int]]:
    """The unit tree as the overview shows it, from `rows` (`snapshot.unit_rows`): all of it
    while it has at most `limit` units, else the top units and those right below them (at
    most `limit`), so the page does not list every team of a large organisation. Returns
    the (row, depth) pairs shown and, for each, how many units lie below it."""
    tree = trees.outline(rows, key=lambda r: r[0], parent=lambda r: r[3],
                         order=lambda r: trees.unit_order(r[2], r[4]))
    if len(tree) > limit:
        tree = [(r, d) for r, d in tree if d <= 1][:limit]
    kids = trees.children_of({uid: up for uid, _, _, up, _ in rows})
    return tree, {r[0]: len(trees.subtree(r[0], kids)) - 1 for r, _ in tree}

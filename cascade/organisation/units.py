"""The unit tree: create, rename, move (never into its own subtree) and archive units."""

from __future__ import annotations

import sqlalchemy as sa

from cascade import trees
from cascade.db import db
from cascade.models import Unit, Workspace


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

"""The unit tree: create, rename, move (never into its own subtree) and archive units."""

from __future__ import annotations

import re

import sqlalchemy as sa

from cascade.audit import record
from cascade.db import db
from cascade.models import Unit, Workspace
from cascade.refusals import Refusal


def units_of(ws: Workspace) -> list[Unit]:
    return list(db.session.scalars(sa.select(Unit).where(Unit.workspace_id == ws.id)
                                   .order_by(Unit.name)))


def unit_tree(units) -> list[tuple[Unit, int]]:
    """Units in outline order with their depth, archived ones last in their level."""
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    out: list[tuple[Unit, int]] = []
    stack = [(u, 0) for u in reversed(sorted(children.get(None, []),
                                             key=lambda u: (u.archived, u.name)))]
    while stack:
        unit, depth = stack.pop()
        out.append((unit, depth))
        kids = sorted(children.get(unit.id, []), key=lambda u: (u.archived, u.name))
        stack.extend((kid, depth + 1) for kid in reversed(kids))
    return out


def subtree_ids(units, unit: Unit) -> set[int]:
    """The unit and every unit below it."""
    children: dict[int | None, list[int]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u.id)
    found, stack = set(), [unit.id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _free_key(ws: Workspace, wanted: str) -> str:
    taken = set(db.session.scalars(sa.select(Unit.key).where(Unit.workspace_id == ws.id)))
    key, n = wanted, 2
    while key in taken:
        key, n = f"{wanted[:56]}-{n}", n + 1
    return key


def create_unit(ws: Workspace, name: str, parent: Unit | None, key: str | None = None) -> Unit:
    """A new unit under `parent`; the key comes from the name unless given, and is unique."""
    name = name.strip()
    if parent is not None and parent.archived:
        raise Refusal("parent", "That unit is archived; choose an active parent.")
    if key:
        if db.session.scalar(sa.select(Unit.id).where(Unit.workspace_id == ws.id,
                                                      Unit.key == key)):
            raise Refusal("key", f"The key {key!r} is already used by another unit.")
    else:
        key = _free_key(ws, slugify(name) or "unit")
    unit = Unit(workspace_id=ws.id, key=key, name=name, parent=parent)
    db.session.add(unit)
    db.session.flush()
    record(ws.id, "unit.create", "unit", key,
           after={"name": name, "parent": parent.key if parent else None})
    return unit


def update_unit(unit: Unit, name: str, parent: Unit | None, all_units) -> None:
    """Rename and move; a unit may not move below itself, nor under an archived unit."""
    name = name.strip()
    if parent is not None:
        if parent.id in subtree_ids(all_units, unit):
            raise Refusal("parent", "A unit cannot move into itself or below one of its "
                                    "own sub-units.")
        if parent.archived and parent.id != unit.parent_id:
            raise Refusal("parent", "That unit is archived; choose an active parent.")
    before = {"name": unit.name, "parent": unit.parent.key if unit.parent else None}
    after = {"name": name, "parent": parent.key if parent else None}
    changed = {k for k in before if before[k] != after[k]}
    if not changed:
        return
    unit.name, unit.parent = name, parent
    action = "unit.move" if "parent" in changed else "unit.rename"
    record(unit.workspace_id, action, "unit", unit.key,
           before={k: before[k] for k in changed}, after={k: after[k] for k in changed})


def set_archived(unit: Unit, archived: bool) -> None:
    """Archive a unit whose sub-units are all archived, or bring one back under an active parent."""
    if unit.archived == archived:
        return
    if archived and any(not child.archived for child in unit.children):
        raise Refusal("unit", f"{unit.name} still has active sub-units; archive or move "
                              "them first.")
    if not archived and unit.parent is not None and unit.parent.archived:
        raise Refusal("unit", f"{unit.name} sits under the archived unit "
                              f"{unit.parent.name}; restore that one first.")
    unit.archived = archived
    record(unit.workspace_id, "unit.archive" if archived else "unit.restore", "unit", unit.key,
           before={"archived": not archived}, after={"archived": archived})

"""The one place that decides who may do what in a workspace.

Roles come from the product brief: leaders author and change the nodes of the units they lead
and below; members translate and edit the nodes of their own units and leave notes anywhere;
coaches see everything, acknowledge findings and run pulses but never rewrite strategy;
admins manage the workspace. Views ask `Actor.can`; templates ask the same, to hide what
a person cannot do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cascade.vocabulary import NodeStatus, Role


@dataclass
class Actor:
    """A person's roles in one workspace, with the unit tree needed to reason about "below"."""

    person_id: int
    roles: dict[int, set[Role]]  # unit id -> roles held there
    unit_parent: dict[int, int | None]  # unit id -> parent unit id, for the whole workspace
    _led: set[int] | None = field(default=None, repr=False)

    @property
    def workspace_roles(self) -> set[Role]:
        return {role for held in self.roles.values() for role in held}

    def has(self, role: Role) -> bool:
        return role in self.workspace_roles

    def units_with(self, *roles: Role) -> set[int]:
        return {unit for unit, held in self.roles.items() if held & set(roles)}

    def leads(self, unit_id: int) -> bool:
        """A leader of this unit or of any unit above it."""
        if self._led is None:
            self._led = self.units_with(Role.LEADER)
        seen: set[int] = set()
        current: int | None = unit_id
        while current is not None and current not in seen:
            if current in self._led:
                return True
            seen.add(current)
            current = self.unit_parent.get(current)
        return False

    def belongs_to(self, unit_id: int) -> bool:
        """A leader or member of exactly this unit: its own people."""
        return bool(self.roles.get(unit_id, set()) & {Role.LEADER, Role.MEMBER})

    def can(self, action: str, thing=None) -> bool:
        check = RULES.get(action)
        if check is None:
            raise KeyError(f"unknown action {action!r}")
        return bool(check(self, thing))


def _owns_node(actor: Actor, node) -> bool:
    return actor.leads(node.unit_id) or actor.belongs_to(node.unit_id)


def _may_set_status(actor: Actor, arg) -> bool:
    """Leaders move any status; a unit's own members may only propose their drafts."""
    node, target = arg
    if actor.leads(node.unit_id):
        return True
    return (actor.belongs_to(node.unit_id) and node.status == NodeStatus.DRAFT
            and target == NodeStatus.PROPOSED)


RULES = {
    "workspace.view": lambda a, _: bool(a.roles),
    "workspace.admin": lambda a, _: a.has(Role.ADMIN),
    "node.create": lambda a, unit_id: a.leads(unit_id),
    "node.translate": lambda a, unit_id: a.belongs_to(unit_id) or a.leads(unit_id),
    "node.edit": _owns_node,
    "node.status": _may_set_status,
    "node.link": _owns_node,
    "note.create": lambda a, _: bool(a.roles),
    "note.edit": lambda a, note: note.author_id == a.person_id and note.status == "open",
    "note.answer": lambda a, note: _owns_node(a, note.node),
    "note.reply": lambda a, _: bool(a.roles),
    "note.learn": lambda a, note: note.author_id == a.person_id and note.kind == "experiment",
    "finding.view": lambda a, _: bool(a.workspace_roles & {Role.COACH, Role.LEADER, Role.ADMIN}),
    "finding.acknowledge": lambda a, _: a.has(Role.COACH),
    "snapshot.take": lambda a, _: a.has(Role.COACH),
    "pulse.run": lambda a, _: bool(a.workspace_roles & {Role.COACH, Role.LEADER}),
    "pulse.answer": lambda a, unit_ids: bool(a.units_with(Role.LEADER, Role.MEMBER)
                                             & set(unit_ids or ())),
    "audit.view": lambda a, _: a.has(Role.ADMIN),
    "unit.manage": lambda a, _: a.has(Role.ADMIN),
    "people.manage": lambda a, _: a.has(Role.ADMIN),
}


def actor_for(person_id: int, memberships: Iterable, unit_parent: dict[int, int | None]) -> Actor:
    roles: dict[int, set[Role]] = {}
    for membership in memberships:
        roles.setdefault(membership.unit_id, set()).add(Role(membership.role))
    return Actor(person_id=person_id, roles=roles, unit_parent=unit_parent)

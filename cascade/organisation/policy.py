"""The one place that decides who may do what in a workspace.

Roles come from the product brief: leaders author and change the nodes of the units they lead
and below; members translate and edit the nodes of their own units and leave notes anywhere;
coaches see everything, acknowledge findings and run pulses but never rewrite strategy;
admins manage the workspace. Views ask `Actor.can` (through `access.requires`); templates ask
the same, to hide what a person cannot do. A rule given no object answers "anywhere in this
workspace": may this person create a node in some unit, answer some pulse?
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cascade import trees
from cascade.vocabulary import NodeStatus, Role


@dataclass
class Actor:
    """A person's roles in one workspace, with the unit tree needed to reason about "below"."""

    person_id: int | None
    roles: dict[int, set[Role]]  # unit id -> roles held there
    unit_parent: dict[int, int | None]  # unit id -> parent unit id, for the whole workspace
    archived: frozenset[int] = frozenset()  # ids of the workspace's archived units
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
        return unit_id in self._led or not self._led.isdisjoint(
            trees.ancestors(unit_id, self.unit_parent))

    def belongs_to(self, unit_id: int) -> bool:
        """A leader or member of exactly this unit: its own people."""
        return bool(self.roles.get(unit_id, set()) & {Role.LEADER, Role.MEMBER})

    def reporting_unit(self, unit_id: int) -> int | None:
        """The unit a person speaks for on a node of `unit_id`: that unit when they belong
        to it, else the nearest unit above it that they lead."""
        if self.belongs_to(unit_id):
            return unit_id
        return next((u for u in trees.ancestors(unit_id, self.unit_parent)
                     if Role.LEADER in self.roles.get(u, set())), None)

    def translation_targets(self, parent_unit_id: int) -> set[int]:
        """The units this person may translate a node of `parent_unit_id` for: their own
        active units strictly below it, since translations flow down the unit tree."""
        return {unit for unit in self.roles
                if unit not in self.archived and self.belongs_to(unit)
                and trees.below(unit, parent_unit_id, self.unit_parent)}

    def answers_for(self, pulse) -> list:
        """The units a pulse asks that this person answers for (they belong to it, and it
        is active), by name."""
        return sorted((u for u in pulse.units if self.belongs_to(u.id) and not u.archived),
                      key=lambda u: u.name)

    def can(self, action: str, thing=None) -> bool:
        check = RULES.get(action)
        if check is None:
            raise KeyError(f"unknown action {action!r}")
        return bool(check(self, thing))


def _in_workspace(actor: Actor, _=None) -> bool:
    return bool(actor.roles)


def _owns_node(actor: Actor, node) -> bool:
    return actor.leads(node.unit_id) or actor.belongs_to(node.unit_id)


def _may_create(actor: Actor, unit_id: int | None) -> bool:
    """Leaders author in the units they lead and below."""
    if unit_id is None:
        return bool(actor.units_with(Role.LEADER))
    return actor.leads(unit_id)


def _may_set_status(actor: Actor, arg) -> bool:
    """Leaders move any status; a unit's own members may only propose their drafts."""
    node, target = arg
    if actor.leads(node.unit_id):
        return True
    return (actor.belongs_to(node.unit_id) and node.status == NodeStatus.DRAFT
            and target == NodeStatus.PROPOSED)


def _leads_target(actor: Actor, link) -> bool:
    """A dependency request is answered by the leaders of the unit asked to deliver."""
    return actor.leads(link.target.unit_id)


def _may_close(actor: Actor, node=None) -> bool:
    """Closing a quarter retires or carries nodes: the leaders of their units."""
    return bool(actor.units_with(Role.LEADER)) if node is None else actor.leads(node.unit_id)


def _may_answer_pulse(actor: Actor, pulse) -> bool:
    if pulse is None:
        return bool(actor.units_with(Role.LEADER, Role.MEMBER))
    return bool(actor.answers_for(pulse))


RULES = {
    "workspace.view": _in_workspace,
    "workspace.admin": lambda a, _: a.has(Role.ADMIN),
    "node.view": _in_workspace,
    "node.create": _may_create,
    "node.translate": lambda a, parent: bool(a.translation_targets(parent.unit_id)),
    "node.edit": _owns_node,
    "node.status": _may_set_status,
    "node.link": _owns_node,
    # a parent owner reviews a translation: they lead its unit (from above)
    "node.review": lambda a, node: a.leads(node.unit_id),
    # "not for us": those who could translate the parent may decline it instead
    "node.decline": lambda a, parent: bool(a.translation_targets(parent.unit_id)),
    "link.remove": lambda a, link: _owns_node(a, link.source),
    # a depends_on request: the other unit's leaders commit, counter or decline; the
    # requesting node's owners accept a counter or withdraw
    "dependency.respond": _leads_target,
    "dependency.settle": lambda a, link: _owns_node(a, link.source),
    # measures: the node's own people (leaders and members of its unit, leaders above)
    "measure.create": _owns_node,
    "measure.edit": lambda a, measure: _owns_node(a, measure.node),
    "measure.check_in": lambda a, measure: _owns_node(a, measure.node),
    "horizon.close": _may_close,
    "note.view": _in_workspace,
    "note.create": _in_workspace,
    "note.edit": lambda a, note: note.author_id == a.person_id and note.status == "open",
    "note.answer": lambda a, note: _owns_node(a, note.node),
    "note.reply": _in_workspace,
    "note.learn": lambda a, note: note.author_id == a.person_id and note.kind == "experiment",
    "finding.view": lambda a, _: bool(a.workspace_roles & {Role.COACH, Role.LEADER, Role.ADMIN}),
    "finding.acknowledge": lambda a, _: a.has(Role.COACH),
    "snapshot.take": lambda a, _: a.has(Role.COACH),
    "pulse.view": _in_workspace,
    "pulse.run": lambda a, _: bool(a.workspace_roles & {Role.COACH, Role.LEADER}),
    "pulse.answer": _may_answer_pulse,
    # facilitated sessions: coaches run them; whoever may read findings reads their reports
    "session.run": lambda a, _: a.has(Role.COACH),
    "session.view": lambda a, _: bool(a.workspace_roles & {Role.COACH, Role.LEADER, Role.ADMIN}),
    "session.join": _in_workspace,
    "audit.view": lambda a, _: a.has(Role.ADMIN),
    "jobs.view": lambda a, _: a.has(Role.ADMIN),
    "unit.manage": lambda a, _: a.has(Role.ADMIN),
    "people.manage": lambda a, _: a.has(Role.ADMIN),
    "token.own": _in_workspace,
    "token.revoke": lambda a, token: token.person_id == a.person_id or a.has(Role.ADMIN),
    "token.oversee": lambda a, _: a.has(Role.ADMIN),
}


def actor_for(person_id: int | None, memberships: Iterable, unit_parent: dict[int, int | None],
              archived: Iterable[int] = ()) -> Actor:
    """The actor for a person's memberships in one workspace."""
    roles: dict[int, set[Role]] = {}
    for membership in memberships:
        roles.setdefault(membership.unit_id, set()).add(Role(membership.role))
    return Actor(person_id=person_id, roles=roles, unit_parent=unit_parent,
                 archived=frozenset(archived))

"""Who hears of an event: the people it concerns, less whoever did it, and only those the
policy lets see what it is about (`organisation.policy`, the same checks the pages make).

Concern follows the product's flows: a node's own unit hears of its changes, the units
below hear when it is agreed (they are to translate it), a translation's owners hear when
it turns stale, a node's owners hear of notes on it, a note's author of its answer and
replies, the asked units of a pulse, a node's unit of its measures' check-ins due,
coaches and the leaders of the units named of findings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from cascade.db import db
from cascade.models import Event, Membership, Node, Note, Person, Pulse, Unit
from cascade.organisation.policy import Actor, actor_for
from cascade.vocabulary import EventKind, NodeStatus, Role

# The view check a person must pass to be told of each kind of event.
VIEW = {
    EventKind.NODE_CREATED: "node.view", EventKind.NODE_REVISED: "node.view",
    EventKind.NODE_STATUS: "node.view", EventKind.TRANSLATION_STALE: "node.view",
    EventKind.NOTE_CREATED: "note.view", EventKind.NOTE_ANSWERED: "note.view",
    EventKind.NOTE_REPLY: "note.view",
    EventKind.PULSE_OPENED: "pulse.view", EventKind.PULSE_CLOSED: "pulse.view",
    EventKind.FINDING_OPENED: "finding.view", EventKind.FINDING_RESOLVED: "finding.view",
    EventKind.FINDING_ACKNOWLEDGED: "finding.view", EventKind.SCORE_SNAPSHOT: "finding.view",
    EventKind.DEPENDENCY_REQUESTED: "node.view", EventKind.DEPENDENCY_ANSWERED: "node.view",
    EventKind.CHECKIN_DUE: "node.view", EventKind.WEBHOOK_PAUSED: "workspace.admin",
}


@dataclass
class People:
    """The active members of one workspace, as the policy sees them; loaded once for a
    batch of events (two queries, whatever the number of events)."""

    actors: dict[int, Actor]
    units: dict[int, tuple[str, int | None, bool]]  # id -> (key, parent id, archived)

    def belonging_to(self, unit_id: int | None) -> set[int]:
        return {pid for pid, actor in self.actors.items()
                if unit_id is not None and actor.belongs_to(unit_id)}

    def with_role(self, role: Role) -> set[int]:
        return {pid for pid, actor in self.actors.items() if actor.has(role)}

    def leaders_of(self, unit_id: int) -> set[int]:
        return {pid for pid, actor in self.actors.items()
                if Role.LEADER in actor.roles.get(unit_id, set())}

    def sub_units(self, unit_id: int) -> list[int]:
        return [uid for uid, (_, parent, archived) in self.units.items()
                if parent == unit_id and not archived]

    def unit_id(self, key: str) -> int | None:
        return next((uid for uid, (k, _, _) in self.units.items() if k == key), None)


def people_of(workspace_id: int) -> People:
    """Every active person holding a role in the workspace, with their roles."""
    units = {uid: (key, parent, archived) for uid, key, parent, archived in db.session.execute(
        sa.select(Unit.id, Unit.key, Unit.parent_id, Unit.archived)
        .where(Unit.workspace_id == workspace_id))}
    memberships = db.session.scalars(
        sa.select(Membership).join(Person, Person.id == Membership.person_id)
        .where(Membership.workspace_id == workspace_id, Person.active.is_(True))).all()
    by_person: dict[int, list] = defaultdict(list)
    for membership in memberships:
        by_person[membership.person_id].append(membership)
    parents = {uid: parent for uid, (_, parent, _) in units.items()}
    archived = [uid for uid, (_, _, gone) in units.items() if gone]
    return People(actors={pid: actor_for(pid, held, parents, archived)
                          for pid, held in by_person.items()}, units=units)


def audience(event: Event, people: People) -> set[int]:
    """The ids of the people to tell: concerned, not the one who acted, allowed to see it."""
    action = VIEW.get(event.kind)
    if action is None:
        return set()
    concerned = _concerned(event, people) - {event.actor_id}
    return {pid for pid in concerned
            if pid in people.actors and people.actors[pid].can(action, None)}


def _concerned(event: Event, people: People) -> set[int]:
    kind = event.kind
    node = db.session.get(Node, event.node_id) if event.node_id else None
    if kind in (EventKind.FINDING_OPENED, EventKind.FINDING_RESOLVED,
                EventKind.FINDING_ACKNOWLEDGED):
        units = [people.unit_id(key) for key in event.subject.get("units", [])]
        return people.with_role(Role.COACH).union(
            *(people.leaders_of(u) for u in units if u is not None))
    if kind == EventKind.SCORE_SNAPSHOT:
        return people.with_role(Role.COACH)
    if kind == EventKind.WEBHOOK_PAUSED:
        return people.with_role(Role.ADMIN)
    if kind in (EventKind.PULSE_OPENED, EventKind.PULSE_CLOSED):
        return _pulse_people(event, people)
    if node is None:
        return set()
    if kind == EventKind.NODE_CREATED:
        if node.parent is not None and node.parent.unit_id != node.unit_id:
            return people.belonging_to(node.parent.unit_id)
        parent_unit = people.units.get(node.unit_id, (None, None, False))[1]
        return people.leaders_of(parent_unit) if parent_unit is not None else set()
    if kind == EventKind.NODE_STATUS and event.subject.get("status") == NodeStatus.AGREED:
        return people.belonging_to(node.unit_id).union(
            *(people.belonging_to(u) for u in people.sub_units(node.unit_id)))
    if kind in (EventKind.NOTE_ANSWERED, EventKind.NOTE_REPLY):
        return _conversation(event)
    return people.belonging_to(node.unit_id)


def _pulse_people(event: Event, people: People) -> set[int]:
    pulse = db.session.get(Pulse, event.pulse_id) if event.pulse_id else None
    if pulse is None:
        return set()
    asked = set().union(*(people.belonging_to(u.id) for u in pulse.units if not u.archived))
    if event.kind == EventKind.PULSE_CLOSED and pulse.created_by_id:
        asked.add(pulse.created_by_id)
    return asked


def _conversation(event: Event) -> set[int]:
    """A note's author hears of its answer; the author, whoever answered and everyone who
    replied hear of a new reply."""
    note = db.session.get(Note, event.note_id) if event.note_id else None
    if note is None:
        return set()
    if event.kind == EventKind.NOTE_ANSWERED:
        return {note.author_id} - {None}
    return ({note.author_id, note.responded_by_id}
            | {reply.author_id for reply in note.replies}) - {None}

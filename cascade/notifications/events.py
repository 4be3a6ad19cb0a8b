"""Recording an event in the outbox, in the same transaction as the change it reports.

Every write use case that people may want to hear about calls `emit` next to its audit
entry; nothing is sent from here. The jobs read the outbox after the commit, so a change
that rolls back tells nobody, and one that commits is never lost.
"""

from __future__ import annotations

from cascade.db import db
from cascade.models import Event, Node, Note, Person, Pulse, Unit
from cascade.vocabulary import EventKind


def emit(kind: EventKind, by: Person | None, workspace_id: int, /, *, node: Node | None = None,
         unit: Unit | None = None, note: Note | None = None, pulse: Pulse | None = None,
         **details) -> Event:
    """Add an event naming who acted and what it is about; `details` are plain values
    (a status, a stance, a code) kept with the names as they stand now."""
    unit = unit if unit is not None else (node.unit if node is not None else None)
    subject = {"actor": by.name if by is not None else None}
    if node is not None:
        subject |= {"node": node.key, "title": node.title}
    if unit is not None:
        subject |= {"unit": unit.name, "unit_key": unit.key}
    if pulse is not None:
        subject |= {"pulse": pulse.key, "pulse_title": pulse.title}
    if note is not None:
        subject |= {"note": note.id}
    event = Event(workspace_id=workspace_id, kind=str(kind),
                  actor_id=by.id if by is not None else None,
                  unit_id=unit.id if unit is not None else None,
                  node_id=node.id if node is not None else None,
                  note_id=note.id if note is not None else None,
                  pulse_id=pulse.id if pulse is not None else None,
                  subject=subject | details)
    db.session.add(event)
    return event

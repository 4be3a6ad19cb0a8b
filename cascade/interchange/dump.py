"""Reading a workspace back out as a `cascade/v1` document, a fixed number of queries."""

from __future__ import annotations

import sqlalchemy as sa

from cascade import clock
from cascade.db import db
from cascade.interchange.progress import dump_links, dump_measures
from cascade.interchange.validate import FORMAT
from cascade.models import (
    CheckIn,
    Membership,
    Node,
    Note,
    Person,
    Pulse,
    PulseAnswer,
    PulseStatement,
    Unit,
    Workspace,
    pulse_unit,
)
from cascade.organisation.settings import settings_for
from cascade.pulses.release import in_visible_groups, reads_answers


def _rows(statement):
    return db.session.execute(statement).all()


def dump(ws: Workspace) -> dict:
    """The whole workspace as one JSON-ready dict; answers stay anonymous (no respondents)."""
    units = {u.id: u for u in db.session.scalars(
        sa.select(Unit).where(Unit.workspace_id == ws.id).order_by(Unit.id))}
    ukey = {uid: u.key for uid, u in units.items()}
    nodes = list(db.session.scalars(sa.select(Node).where(Node.workspace_id == ws.id)
                                    .order_by(Node.id)))
    nkey = {n.id: n.key for n in nodes}
    links = dump_links(ws.id, nkey)
    measures = dump_measures(ws.id, nkey, ukey)
    return {
        "format": FORMAT,
        "workspace": {"slug": ws.slug, "name": ws.name},
        "units": [{"key": u.key, "name": u.name, "parent": ukey.get(u.parent_id),
                   "archived": u.archived} for u in units.values()],
        "people": _people(ws, ukey),
        "nodes": [{"key": n.key, "title": n.title, "statement": n.statement,
                   "unit": ukey[n.unit_id], "parent": nkey.get(n.parent_id),
                   "status": str(n.status), "revision": n.revision,
                   "parent_revision_seen": n.parent_revision_seen, "horizon": n.horizon,
                   "depends_on": links.get((n.id, "depends_on"), []),
                   "contributes_to": links.get((n.id, "contributes_to"), []),
                   **_agreed_at(n),
                   **({"measures": measures[n.id]} if n.id in measures else {})}
                  for n in nodes],
        "notes": _notes(ws, nkey, ukey),
        "pulses": _pulses(ws, nkey, ukey),
    }


def _agreed_at(node: Node) -> dict:
    """`agreed_at` when it is known; a node without one stays without, as it was imported."""
    if node.agreed_at is None:
        return {}
    return {"agreed_at": node.agreed_at.isoformat().replace("+00:00", "Z")}


def _people(ws: Workspace, ukey: dict[int, str]) -> list[dict]:
    """Members with their roles, and authors of the workspace's notes and check-ins who no
    longer hold a role (with none), so that every author is in the file."""
    members = sa.select(Membership.person_id).where(Membership.workspace_id == ws.id)
    authors = sa.select(Note.author_id).where(Note.workspace_id == ws.id)
    reporters = sa.select(CheckIn.author_id).where(CheckIn.workspace_id == ws.id)
    people: dict[int, dict] = {
        pid: {"email": email, "name": name, "memberships": []}
        for pid, email, name in _rows(sa.select(Person.id, Person.email, Person.name).where(
            Person.id.in_(members) | Person.id.in_(authors) | Person.id.in_(reporters))
            .order_by(Person.id))}
    for person_id, unit_id, role in _rows(
            sa.select(Membership.person_id, Membership.unit_id, Membership.role)
            .where(Membership.workspace_id == ws.id).order_by(Membership.person_id,
                                                              Membership.id)):
        people[person_id]["memberships"].append({"unit": ukey[unit_id], "role": str(role)})
    return list(people.values())


def _notes(ws: Workspace, nkey, ukey) -> list[dict]:
    rows = _rows(sa.select(Note, Person.email).outerjoin(Person, Person.id == Note.author_id)
                 .where(Note.workspace_id == ws.id).order_by(Note.id))
    return [{"node": nkey[n.node_id], "kind": str(n.kind), "stance": str(n.stance),
             "author": email, "unit": ukey.get(n.unit_id), "body": n.body,
             "status": str(n.status), "response": n.response, "hypothesis": n.hypothesis,
             "measure": n.measure, "learned": n.learned,
             "created_at": n.created_at.isoformat().replace("+00:00", "Z"),
             **({"author_name": n.author_name} if n.author_name and not email else {})}
            for n, email in rows]


def _pulses(ws: Workspace, nkey, ukey) -> list[dict]:
    pulses = list(db.session.scalars(sa.select(Pulse).where(Pulse.workspace_id == ws.id)
                                     .order_by(Pulse.id)))
    ids = [p.id for p in pulses]
    asked: dict[int, list[str]] = {}
    for pulse_id, unit_id in _rows(sa.select(pulse_unit.c.pulse_id, pulse_unit.c.unit_id)
                                   .where(pulse_unit.c.pulse_id.in_(ids))
                                   .order_by(pulse_unit.c.unit_id)):
        asked.setdefault(pulse_id, []).append(ukey[unit_id])
    statements: dict[int, list[dict]] = {}
    by_id: dict[int, dict] = {}
    pulse_of: dict[int, int] = {}
    for s in db.session.scalars(sa.select(PulseStatement).where(PulseStatement.pulse_id.in_(ids))
                                .order_by(PulseStatement.pulse_id, PulseStatement.position,
                                          PulseStatement.id)):
        entry = {"text": s.text, "node": nkey.get(s.node_id), "answers": []}
        by_id[s.id] = entry
        pulse_of[s.id] = s.pulse_id
        statements.setdefault(s.pulse_id, []).append(entry)
    closed = {p.id for p in pulses if reads_answers(p, clock.today())}
    answers = [(a, pulse_of[a.statement_id] in closed) for a in db.session.scalars(
        sa.select(PulseAnswer).where(PulseAnswer.statement_id.in_(list(by_id))))]
    # As the pulse pages show them: released in steps while open, each unit from the threshold.
    answers = [(a, live) for a, live in answers if live or a.shown_value is not None]
    for a, live in in_visible_groups(answers, lambda r: (r[0].statement_id, r[0].unit_id),
                                     settings_for(ws).pulse_min_answers):
        value, role, comment = ((a.value, a.role, a.comment) if live
                                else (a.shown_value, a.shown_role, a.shown_comment))
        by_id[a.statement_id]["answers"].append(
            {"unit": ukey[a.unit_id], "value": value,
             "role": str(role) if role else None, "comment": comment})
    for entry in by_id.values():  # by content, never by time: the order must not point at anyone
        entry["answers"].sort(key=lambda a: (a["unit"], a["value"], a["role"] or "",
                                             a["comment"] or ""))
    return [{"key": p.key, "title": p.title, "node": nkey.get(p.node_id),
             "status": str(p.status),
             "opens_on": p.opens_on.isoformat() if p.opens_on else None,
             "closes_on": p.closes_on.isoformat() if p.closes_on else None,
             "units": asked.get(p.id, []), "statements": statements.get(p.id, [])}
            for p in pulses]

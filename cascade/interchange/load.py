"""Writing a valid `cascade/v1` document into the database, in one transaction, in bulk.

Rows go in with one multi-row INSERT per table, parents are linked by a second bulk UPDATE,
so a 20,000-node file costs a handful of statements rather than one per row.
"""

from __future__ import annotations

import sqlalchemy as sa

from cascade import audit
from cascade.allocation import paused_gc
from cascade.db import db, utcnow
from cascade.interchange.validate import parse_date, parse_datetime, problems
from cascade.models import (
    Link,
    Membership,
    Node,
    NodeRevision,
    Note,
    Person,
    Pulse,
    PulseAnswer,
    PulseStatement,
    Unit,
    Workspace,
    pulse_unit,
)


class InvalidFile(ValueError):
    """The document was refused; `problems` holds (JSON path, message) pairs."""

    def __init__(self, found: list[tuple[str, str]]):
        super().__init__(f"{len(found)} problem(s) in the file")
        self.problems = found


def load(doc: dict, *, replace: bool = False) -> Workspace:
    """Create the workspace the document describes; flushes, leaves the commit to the caller."""
    with paused_gc():
        return _load(doc, replace)


def _load(doc: dict, replace: bool) -> Workspace:
    found = problems(doc)
    existing = (db.session.scalar(sa.select(Workspace).where(
        Workspace.slug == doc["workspace"]["slug"])) if not found else None)
    if existing is not None and not replace:
        found.append(("$.workspace.slug", f"workspace {existing.slug!r} already exists; "
                                          "import with replace to overwrite it"))
    if found:
        raise InvalidFile(found)
    if existing is not None:
        db.session.execute(sa.delete(Workspace).where(Workspace.id == existing.id))
        db.session.expunge(existing)
    ws = Workspace(slug=doc["workspace"]["slug"], name=doc["workspace"]["name"])
    db.session.add(ws)
    db.session.flush()
    units = _load_units(ws.id, doc.get("units", []))
    _load_people(ws.id, doc.get("people", []), units)
    nodes = _load_nodes(ws.id, doc.get("nodes", []), units)
    _load_notes(ws.id, doc.get("notes", []), nodes, units)
    _load_pulses(ws.id, doc.get("pulses", []), nodes, units)
    audit.record(ws.id, "workspace.import", "workspace", ws.slug,
                 after={"replaced": existing is not None,
                        **{name: len(doc.get(name, [])) for name in _SECTIONS}})
    return ws


_SECTIONS = ("units", "people", "nodes", "notes", "pulses")


def _insert(model, rows: list[dict]) -> None:
    """Insert rows with one driver-level executemany: the statement is compiled once and
    only the columns whose type converts values (timestamps, booleans) are processed, so a
    row costs little more than the driver's own work. Rows must share their keys; enum
    values arrive as the validated strings the database stores."""
    if not rows:
        return
    conn = db.session.connection()
    dialect = conn.dialect
    table = model.__table__
    convert = {}
    for column in table.c:
        if not isinstance(column.type, sa.Enum | sa.String | sa.Integer):
            processor = column.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                convert[column.key] = processor
    # Python-side defaults (created_at, version…): one value, converted once, per batch.
    defaults = {c.key: c.default.arg(None) if c.default.is_callable else c.default.arg
                for c in table.c if c.default is not None and c.key not in rows[0]}
    defaults = {k: convert[k](v) if k in convert else v for k, v in defaults.items()}
    convert = {k: f for k, f in convert.items() if k in rows[0]}
    if convert:
        rows = [{**row, **{n: f(row[n]) for n, f in convert.items()}} for row in rows]
    if defaults:
        rows = [{**defaults, **row} for row in rows]
    names = list(rows[0])
    compiled = sa.insert(table).values({n: sa.bindparam(n) for n in names}).compile(
        dialect=dialect)
    if compiled.positional:
        order = compiled.positiontup
        params = [tuple(row[n] for n in order) for row in rows]
    else:
        params = rows
    conn.exec_driver_sql(str(compiled), params)


def _insert_keyed(model, rows: list[dict], key: str, ws_id: int) -> dict[str, int]:
    """Insert rows of a workspace, then read their ids back by key in one query."""
    _insert(model, rows)
    table = model.__table__
    return dict(db.session.execute(sa.select(table.c[key], table.c.id)
                                   .where(table.c.workspace_id == ws_id)).all())


def _insert_returning(model, rows: list[dict]) -> list[int]:
    """Insert a few rows and return their ids in the order given."""
    if not rows:
        return []
    table = model.__table__
    result = db.session.execute(
        sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return list(result.scalars())


def _link_parents(model, ids: dict[str, int], parents: dict[str, str | None]) -> None:
    rows = [{"_id": ids[key], "_parent": ids[parent]}
            for key, parent in parents.items() if parent is not None]
    if rows:
        table = model.__table__
        db.session.execute(sa.update(table).where(table.c.id == sa.bindparam("_id"))
                           .values(parent_id=sa.bindparam("_parent")), rows)


def _load_units(ws_id: int, records: list[dict]) -> dict[str, int]:
    keys = _insert_keyed(Unit, [{"workspace_id": ws_id, "key": u["key"], "name": u["name"],
                                 "archived": bool(u.get("archived", False))} for u in records],
                         "key", ws_id)
    _link_parents(Unit, keys, {u["key"]: u.get("parent") for u in records})
    return keys


def _load_people(ws_id: int, records: list[dict], units: dict[str, int]) -> dict[str, int]:
    emails = [p["email"].lower() for p in records]
    known = dict(db.session.execute(sa.select(Person.email, Person.id)
                                    .where(Person.email.in_(emails))).all()) if emails else {}
    new = [p for p in records if p["email"].lower() not in known]
    _insert(Person, [{"email": p["email"].lower(), "name": p["name"]} for p in new])
    if new:
        known = dict(db.session.execute(sa.select(Person.email, Person.id)
                                        .where(Person.email.in_(emails))).all())
    memberships = {(known[p["email"].lower()], units[m["unit"]], m["role"])
                   for p in records for m in p.get("memberships", [])}
    _insert(Membership, [{"workspace_id": ws_id, "person_id": person, "unit_id": unit,
                          "role": role} for person, unit, role in sorted(memberships)])
    return known


def _load_nodes(ws_id: int, records: list[dict], units: dict[str, int]) -> dict[str, int]:
    by_key = {n["key"]: n for n in records}
    rows = []
    for n in records:
        parent = by_key.get(n.get("parent")) if n.get("parent") else None
        seen = n.get("parent_revision_seen")
        if parent is not None and seen is None:
            seen = parent.get("revision", 1)
        rows.append({"workspace_id": ws_id, "key": n["key"], "title": n["title"],
                     "statement": n.get("statement") or "", "unit_id": units[n["unit"]],
                     "status": n.get("status", "draft"), "revision": n.get("revision", 1),
                     "parent_revision_seen": seen if parent is not None else None,
                     "horizon": n.get("horizon")})
    ids = _insert_keyed(Node, rows, "key", ws_id)
    _link_parents(Node, ids, {n["key"]: n.get("parent") for n in records})
    _insert(NodeRevision, [{"node_id": ids[r["key"]], "revision": r["revision"],
                            "title": r["title"], "statement": r["statement"]} for r in rows])
    links = {(ids[n["key"]], ids[target], kind) for n in records
             for kind in ("depends_on", "contributes_to") for target in n.get(kind, [])}
    _insert(Link, [{"workspace_id": ws_id, "source_id": s, "target_id": t, "kind": kind}
                   for s, t, kind in sorted(links)])
    return ids


def _load_notes(ws_id: int, records: list[dict], nodes: dict[str, int], units) -> None:
    emails = {n["author"].lower() for n in records if n.get("author")}
    people = dict(db.session.execute(sa.select(Person.email, Person.id)
                                     .where(Person.email.in_(emails))).all()) if emails else {}
    now = utcnow()
    _insert(Note, [{
        "workspace_id": ws_id, "node_id": nodes[n["node"]], "kind": n["kind"],
        "stance": n["stance"], "body": n["body"], "status": n.get("status", "open"),
        "response": n.get("response"), "hypothesis": n.get("hypothesis"),
        "measure": n.get("measure"), "learned": n.get("learned"),
        "author_id": people.get((n.get("author") or "").lower()),
        "unit_id": units.get(n.get("unit")) if n.get("unit") else None,
        "created_at": parse_datetime(n["created_at"]) if n.get("created_at") else now,
        "updated_at": now,
    } for n in records])


def _load_pulses(ws_id: int, records: list[dict], nodes: dict[str, int], units) -> None:
    for p in records:
        pulse = Pulse(workspace_id=ws_id, key=p["key"], title=p.get("title") or "",
                      node_id=nodes.get(p.get("node")) if p.get("node") else None,
                      status=p.get("status", "open"),
                      opens_on=parse_date(p["opens_on"]) if p.get("opens_on") else None,
                      closes_on=parse_date(p["closes_on"]) if p.get("closes_on") else None)
        db.session.add(pulse)
        db.session.flush()
        if p.get("units"):
            db.session.execute(sa.insert(pulse_unit), [
                {"pulse_id": pulse.id, "unit_id": units[u]} for u in dict.fromkeys(p["units"])])
        statements = p.get("statements", [])
        ids = _insert_returning(PulseStatement, [{
            "pulse_id": pulse.id, "position": i, "text": s["text"],
            "node_id": nodes[s["node"]] if s.get("node") else pulse.node_id,
        } for i, s in enumerate(statements)])
        _insert(PulseAnswer, [{"statement_id": sid, "unit_id": units[a["unit"]],
                               "value": a["value"], "role": a.get("role"),
                               "comment": a.get("comment")}
                              for sid, s in zip(ids, statements, strict=True)
                              for a in s.get("answers", [])])

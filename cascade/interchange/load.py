"""Writing a valid `cascade/v1` document into the database, in one transaction, in bulk.

Rows go in with one driver-level executemany per table (nodes get their parent as they go
in, when it comes earlier in the file), so a 20,000-node file costs a handful of
statements rather than one per row.
"""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from cascade import audit
from cascade.allocation import paused_gc
from cascade.db import db, utcnow
from cascade.interchange import progress
from cascade.interchange.validate import parse_date, parse_datetime, problems
from cascade.models import (
    CheckIn,
    Invitation,
    Link,
    Measure,
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
from cascade.organisation.invitations import token_hash


class InvalidFile(ValueError):
    """The document was refused; `problems` holds (JSON path, message) pairs."""

    def __init__(self, found: list[tuple[str, str]]):
        super().__init__(f"{len(found)} problem(s) in the file")
        self.problems = found


def load(doc: dict, *, replace: bool = False, by: Person | None = None,
         enrol: Enrolment | None = None) -> Workspace:
    """Create the workspace the document describes, audited as imported `by` that person
    (None: the operator at the command line); flushes, leaves the commit to the caller.

    Without `enrol`, the operator's import: everyone in the file gets their roles, and an
    address with no account gets one without a password (`Enrolment.created` lists them,
    so the command can hand out links to choose one). With `enrol` (the web), only the
    people it names get roles; everyone else in the file is invited instead
    (`Enrolment.invited`), and their notes keep their name as text."""
    with paused_gc(), _page_cache(IMPORT_CACHE_KIB):
        ws = _load(doc, replace, by, enrol if enrol is not None else Enrolment(None))
        db.session.flush()
        return ws


@dataclass
class Enrolment:
    """Who an import may give roles to (`members`: addresses; None: everyone), and what
    came of it: accounts created, invitations made (with their tokens, shown once)."""

    members: set[str] | None
    invitation_days: int = 7
    created: list[Person] = field(default_factory=list)
    invited: list[tuple[Invitation, str]] = field(default_factory=list)


IMPORT_CACHE_KIB = 64 * 1024


@contextmanager
def _page_cache(kib: int):
    """On SQLite, a page cache of up to `kib` while writing, so the indexes a large file
    touches at random (notes by node and by author) stay in memory rather than being
    evicted and read back; the connection's own size is restored afterwards. The pages
    written stay cached until the commit writes them."""
    conn = db.session.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


def _load(doc: dict, replace: bool, by: Person | None, enrol: Enrolment) -> Workspace:
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
    people = _load_people(ws, doc.get("people", []), units, enrol, by)
    nodes = _load_nodes(ws.id, doc.get("nodes", []), units)
    names = {p["email"].lower(): p["name"] for p in doc.get("people", [])}
    progress.load_measures(_insert, ws.id, doc.get("nodes", []), nodes, units, people, names,
                           _Binds())
    _load_notes(ws.id, doc.get("notes", []), nodes, units, people, names)
    _load_pulses(ws.id, doc.get("pulses", []), nodes, units)
    audit.record(by, ws.id, "workspace.import", "workspace", ws.slug,
                 after={"replaced": existing is not None,
                        **{name: len(doc.get(name, [])) for name in _SECTIONS}})
    return ws


_SECTIONS = ("units", "people", "nodes", "notes", "pulses")


def _binder(column: sa.Column):
    """Python value -> database value for a column whose type converts values (timestamps,
    booleans), remembering each distinct value: a file repeats most of them."""
    dialect = db.session.connection().dialect
    convert = column.type.dialect_impl(dialect).bind_processor(dialect) or (lambda v: v)
    memo: dict = {None: None}

    def bind(value):
        try:
            return memo[value]
        except KeyError:
            memo[value] = converted = convert(value)
            return converted
    return bind


def _insert(model, names: tuple[str, ...], rows: list[tuple], *,
            expressions: dict[str, str] | None = None) -> None:
    """Insert rows of `names` values with one driver-level executemany.

    The statement is written once in the driver's own parameter style, so each row costs
    only the driver's work. Values must already be in database form (`_binder` for
    timestamps and booleans; enums as the validated strings the database stores). Columns
    the rows leave out get their model default: one converted value per batch for
    timestamps and constants, a fresh value per row for other callables (tokens).
    `expressions` replaces a column's placeholder with SQL taking its own parameters."""
    if not rows:
        return
    conn = db.session.connection()
    dialect = conn.dialect
    table = model.__table__
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    shared, fresh = [], []
    for column in table.c:
        default = column.default
        if default is None or column.key in names:
            continue
        if not default.is_callable:
            shared.append((column.key, _binder(column)(default.arg)))
        elif getattr(default.arg, "__wrapped__", None) is utcnow:
            shared.append((column.key, _binder(column)(utcnow())))
        else:
            fresh.append((column.key, default.arg))
    quote = dialect.identifier_preparer.quote
    columns = [*names, *(k for k, _ in shared), *(k for k, _ in fresh)]
    values = [(expressions or {}).get(n, mark) for n in names] + [mark] * (len(shared) + len(fresh))
    sql = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
           f"({', '.join(quote(table.c[k].name) for k in columns)}) VALUES ({', '.join(values)})")
    if shared:
        constant = tuple(v for _, v in shared)
        rows = [row + constant for row in rows]
    if fresh:
        rows = [row + tuple(make(None) for _, make in fresh) for row in rows]
    conn.exec_driver_sql(sql, rows)


def _ids(table: sa.Table, key: str, ws_id: int) -> dict[str, int]:
    """The ids of a workspace's rows by key, in one query."""
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


def _mark() -> str:
    """The driver's positional placeholder."""
    return "?" if db.session.connection().dialect.paramstyle == "qmark" else "%s"


def _link_parents(table: sa.Table, ids: dict[str, int], parents: dict[str, str | None]) -> None:
    """Set parent ids with one executemany, in id order."""
    rows = sorted((ids[key], ids[parent]) for key, parent in parents.items()
                  if parent is not None)
    if rows:
        mark = _mark()
        db.session.connection().exec_driver_sql(
            f"UPDATE {table.name} SET parent_id = {mark} WHERE id = {mark}",
            [(parent, child) for child, parent in rows])


def _load_units(ws_id: int, records: list[dict]) -> dict[str, int]:
    archived = _binder(Unit.__table__.c.archived)
    _insert(Unit, ("workspace_id", "key", "name", "archived"),
            [(ws_id, u["key"], u["name"], archived(bool(u.get("archived", False))))
             for u in records])
    keys = _ids(Unit.__table__, "key", ws_id)
    _link_parents(Unit.__table__, keys, {u["key"]: u.get("parent") for u in records})
    return keys


def _load_people(ws: Workspace, records: list[dict], units: dict[str, int],
                 enrol: Enrolment, by: Person | None) -> dict[str, int]:
    """Roles for the people the import may enrol, invitations for the others; returns the
    account ids of those who now hold a role, by address (the notes' authors)."""
    emails = [p["email"].lower() for p in records]
    if enrol.members is not None:
        emails = [e for e in emails if e in enrol.members]
    known = dict(db.session.execute(sa.select(Person.email, Person.id)
                                    .where(Person.email.in_(emails))).all()) if emails else {}
    if enrol.members is None:
        new = [p for p in records if p["email"].lower() not in known]
        _insert(Person, ("email", "name"), [(p["email"].lower(), p["name"]) for p in new])
        if new:
            known = dict(db.session.execute(sa.select(Person.email, Person.id)
                                            .where(Person.email.in_(emails))).all())
            enrol.created = list(db.session.scalars(sa.select(Person).where(
                Person.email.in_([p["email"].lower() for p in new])).order_by(Person.id)))
    memberships = {(known[p["email"].lower()], units[m["unit"]], m["role"])
                   for p in records if p["email"].lower() in known
                   for m in p.get("memberships", [])}
    _insert(Membership, ("workspace_id", "person_id", "unit_id", "role"),
            [(ws.id, *membership) for membership in sorted(memberships)])
    for p in records:
        if p["email"].lower() not in known:
            for m in p.get("memberships", []):
                enrol.invited.append(_invite(ws, p["email"].lower(), m["unit"],
                                             units[m["unit"]], m["role"], by,
                                             enrol.invitation_days))
    return known


def _invite(ws: Workspace, email: str, unit_key: str, unit_id: int, role: str,
            by: Person | None, days: int) -> tuple[Invitation, str]:
    """An invitation like an admin's (`organisation.operations.invite`), for a file's person."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation(workspace_id=ws.id, email=email, unit_id=unit_id, role=role,
                            token_hash=token_hash(token), invited_by=by,
                            expires_at=utcnow() + timedelta(days=days))
    db.session.add(invitation)
    audit.record(by, ws.id, "invitation.create", "invitation", email,
                 after={"email": email, "unit": unit_key, "role": role, "imported": True})
    return invitation, token


def _load_nodes(ws_id: int, records: list[dict], units: dict[str, int]) -> dict[str, int]:
    """Nodes go in in file order (ids follow it; export reads them back in id order). A node
    whose parent comes earlier in the file gets its parent id as it is inserted, looked up
    by key; the others are linked afterwards. First revisions are copied from the inserted
    rows by one INSERT … SELECT."""
    by_key = {n["key"]: n for n in records}
    table = Node.__table__
    rows, earlier, later = [], set(), {}
    stamp = _binder(table.c.agreed_at)
    for n in records:
        key, parent_key = n["key"], n.get("parent")
        seen = None
        if parent_key:
            seen = n.get("parent_revision_seen")
            if seen is None:
                seen = by_key[parent_key].get("revision", 1)
            if parent_key not in earlier:
                later[key] = parent_key
        rows.append((ws_id, key, n["title"], n.get("statement") or "", units[n["unit"]],
                     n.get("status", "draft"), n.get("revision", 1), seen, n.get("horizon"),
                     _agreed_at(n, stamp), ws_id, parent_key if parent_key in earlier else None))
        earlier.add(key)
    mark = _mark()
    quote = db.session.connection().dialect.identifier_preparer.quote
    _insert(Node, ("workspace_id", "key", "title", "statement", "unit_id", "status", "revision",
                   "parent_revision_seen", "horizon", "agreed_at", "parent_id"), rows,
            expressions={"parent_id": f"(SELECT parent.id FROM node AS parent WHERE "
                                      f"parent.workspace_id = {mark} AND "
                                      f"parent.{quote('key')} = {mark})"})
    ids = _ids(table, "key", ws_id)
    _link_parents(table, ids, later)
    db.session.connection().exec_driver_sql(
        f"INSERT INTO {NodeRevision.__table__.name} "
        "(node_id, revision, title, statement, created_at) "
        f"SELECT id, revision, title, statement, created_at FROM {table.name} "
        f"WHERE workspace_id = {mark} ORDER BY id", (ws_id,))
    _insert(Link, ("workspace_id", "source_id", "target_id", "kind", "state", "needed_by",
                   "response", "created_at"),
            progress.link_rows(ws_id, records, ids, _Binds()))
    return ids


class _Binds:
    """Times and days in database form for the progress rows (`interchange.progress`):
    called with a time, `.day(date)` for a date, `.now` for rows the file gives no time."""

    def __init__(self) -> None:
        self._stamp = _binder(CheckIn.__table__.c.created_at)
        self.day = _binder(Measure.__table__.c.start)
        self.now = self._stamp(utcnow())

    def __call__(self, moment):
        return self._stamp(moment)


def _agreed_at(record: dict, stamp):
    """When the file says the node was last agreed; None (agreed long ago) when it does not."""
    agreed = record.get("agreed_at")
    return stamp(parse_datetime(agreed)) if agreed else None


def _load_notes(ws_id: int, records: list[dict], nodes: dict[str, int], units,
                people: dict[str, int], names: dict[str, str]) -> None:
    """An author who holds a role here is linked to their account; any other keeps the
    name the file gives them, as text."""
    stamp = _binder(Note.__table__.c.created_at)
    created_at: dict[str, object] = {}  # file text -> database value
    now = stamp(utcnow())
    rows = []
    for n in records:
        author, unit, created = n.get("author"), n.get("unit"), n.get("created_at")
        if created:
            if created not in created_at:
                created_at[created] = stamp(parse_datetime(created))
            created = created_at[created]
        author_id = people.get(author.lower()) if author else None
        author_name = n.get("author_name") or None
        if author and author_id is None:
            author_name = names.get(author.lower(), author)
        rows.append((ws_id, nodes[n["node"]], n["kind"], n["stance"], n["body"],
                     n.get("status", "open"), n.get("response"), n.get("hypothesis"),
                     n.get("measure"), n.get("learned"),
                     author_id, author_name, units[unit] if unit else None, created or now,
                     now))
    _insert(Note, ("workspace_id", "node_id", "kind", "stance", "body", "status", "response",
                   "hypothesis", "measure", "learned", "author_id", "author_name", "unit_id",
                   "created_at", "updated_at"), rows)


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
        # A file holds results as they were shown: they are shown again as they are.
        _insert(PulseAnswer, ("statement_id", "unit_id", "value", "role", "comment",
                              "shown_value", "shown_role", "shown_comment"),
                [(sid, units[a["unit"]], a["value"], a.get("role"), a.get("comment"),
                  a["value"], a.get("role"), a.get("comment"))
                 for sid, s in zip(ids, statements, strict=True)
                 for a in s.get("answers", [])])

"""Backup and restore: every row of every table, as the database holds it, in a file that
any backend restores (SQLite → PostgreSQL is how a team moves off the embedded default).

A backup is JSON Lines: a header (format and schema revision), then per table a line naming
it and its columns, then one line per row, in primary-key order. Tables come from the
SQLAlchemy metadata, so a new model is backed up with no change here; only what can be
rebuilt from the rest is skipped, and listed in `DERIVED` with the reason. Ids are kept (so
pulse answers' keyed respondents, audit entries and every reference still match); a restore
goes into an empty database, at the backup's schema revision, then migrates to the newest.
Backup → restore → backup gives the same file byte for byte.

Extending: a new table needs nothing (add it to `DERIVED` only if it is a cache or a result
that is recomputed); a new column type needs a case in `_encode`/`_decode`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime

import sqlalchemy as sa

from cascade.db import UTCDateTime, db
from cascade.inputs import UNSTORABLE

FORMAT = "cascade-backup/1"
BATCH = 1000

# table name -> why it is not in a backup (it is rebuilt from the other tables)
DERIVED: dict[str, str] = {
    "stored_analysis": "the engine's output per workspace version, computed again on demand",
    "stored_node_findings": "each node's findings in a stored analysis, stored with it",
}


class BackupError(ValueError):
    """A backup that cannot be written or restored here; the message says why."""


def tables() -> list[sa.Table]:
    """What a backup holds, parents before children."""
    return [t for t in db.metadata.sorted_tables if t.name not in DERIVED]


def _encode(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):  # e.g. a score record's compressed snapshot
        return base64.b64encode(value).decode("ascii")
    return value


def _decoder(column: sa.Column):
    if isinstance(column.type, UTCDateTime) or isinstance(column.type, sa.DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(column.type, sa.Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(column.type, sa.LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    return lambda v: v


def schema_revision(connection) -> str | None:
    try:
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except sa.exc.DBAPIError:
        connection.rollback()
        return None


def write(connection, workspace: str | None = None) -> Iterator[str]:
    """The backup's lines (each ends in a newline): the whole instance, or one workspace
    with the people it names (`workspace`: its slug)."""
    header = {"format": FORMAT, "schema": schema_revision(connection)}
    where = _workspace_filters(connection, workspace) if workspace else {}
    if workspace:
        header["workspace"] = workspace
    yield json.dumps(header) + "\n"
    for table in tables():
        columns = [c.name for c in table.columns]
        yield json.dumps({"table": table.name, "columns": columns}) + "\n"
        query = sa.select(table).order_by(*table.primary_key.columns)
        if workspace:
            query = query.where(where[table.name])
        for row in connection.execute(query.execution_options(yield_per=BATCH)):
            yield json.dumps([_encode(v) for v in row], ensure_ascii=False) + "\n"


def _workspace_filters(connection, slug: str) -> dict[str, sa.ColumnElement]:
    """Per table, which rows belong to the workspace: those with its `workspace_id`, those
    whose owning (ON DELETE CASCADE) parent row belongs, and the people any of them names."""
    ws_id = connection.execute(sa.text("SELECT id FROM workspace WHERE slug = :s"),
                               {"s": slug}).scalar()
    if ws_id is None:
        raise BackupError(f"no workspace {slug!r}")
    person = db.metadata.tables["person"]
    where: dict[str, sa.ColumnElement] = {"workspace": db.metadata.tables["workspace"].c.id
                                          == ws_id}
    for table in tables():
        if table.name in ("workspace", "person"):
            continue
        if "workspace_id" in table.c:
            where[table.name] = table.c.workspace_id == ws_id
            continue
        owners = [fk for fk in table.foreign_keys if fk.ondelete == "CASCADE"
                  and fk.column.table.name in where]
        if owners:
            fk = owners[0]
            parent = fk.column.table
            where[table.name] = fk.parent.in_(sa.select(fk.column).where(where[parent.name]))
    named = [sa.select(fk.parent).where(where[t.name], fk.parent.is_not(None))
             for t in tables() if t.name in where
             for fk in t.foreign_keys if fk.column.table is person]
    where["person"] = person.c.id.in_(sa.union(*named))
    for table in tables():  # rows owned by a named person (a pending password reset)
        if table.name not in where:
            owners = [fk for fk in table.foreign_keys if fk.column.table is person]
            where[table.name] = owners[0].parent.in_(sa.select(person.c.id).where(
                where["person"])) if owners else sa.false()
    return where


def read(lines: Iterable[str]) -> tuple[dict, Iterator[tuple[sa.Table, list[str], list]]]:
    """The header, and the rows by table, decoded; refuses what is not a Cascade backup."""
    lines = iter(lines)
    try:
        header = json.loads(next(lines))
    except (StopIteration, ValueError):
        raise BackupError("this is not a Cascade backup (no header line)") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"this is not a {FORMAT} file")

    def rows():
        table = columns = None
        for number, line in enumerate(lines, start=2):
            item = json.loads(line)
            if isinstance(item, dict):
                table = db.metadata.tables.get(item["table"])
                if table is None:
                    raise BackupError(f"line {number}: table {item['table']!r} is not in "
                                      "this version of Cascade")
                columns = item["columns"]
                decoders = [_decoder(table.c[name]) for name in columns]
                yield table, columns, None
            else:
                yield table, columns, [d(v) for d, v in zip(decoders, item, strict=True)]
    return header, rows()


def restore(connection, rows, *, replace_unstorable: bool = False) -> dict[str, int]:
    """Insert every row into an empty schema in one transaction; returns rows per table.
    Self-references (a unit's parent, a node's parent) are set once every row is in."""
    counts: dict[str, int] = {}
    later: list[tuple[sa.Table, list[dict]]] = []
    batch: list[dict] = []
    table = None

    def flush() -> None:
        if batch:
            connection.execute(table.insert(), batch)
            counts[table.name] = counts.get(table.name, 0) + len(batch)
            batch.clear()
    for next_table, columns, values in rows:
        if values is None:
            flush()
            table = next_table
            own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
            pending: list[dict] = []
            if own:
                later.append((table, pending))
            continue
        row = dict(zip(columns, values, strict=True))
        for name, value in row.items():
            if isinstance(value, str) and UNSTORABLE.search(value):
                if not replace_unstorable:
                    raise BackupError(
                        f"{table.name} row {row.get('id')}: {name} holds a character no "
                        "database here can store (a NUL byte or a control character); "
                        "restore with --replace-unstorable to write U+FFFD instead")
                row[name] = UNSTORABLE.sub("\ufffd", value)
        for name in own:
            if row.get(name) is not None:
                pending.append({"_id": row["id"], "_parent": row[name], "_column": name,
                                **{f"_{c.name}": row.get(c.name) for c in table.c
                                   if c.onupdate is not None}})
                row[name] = None
        batch.append(row)
        if len(batch) >= BATCH:
            flush()
    flush()
    for table, pending in later:
        for column in {p["_column"] for p in pending}:
            mine = [p for p in pending if p["_column"] == column]
            kept = [c.name for c in table.c if c.onupdate is not None]  # not "now"
            statement = table.update().where(table.c.id == sa.bindparam("_id")).values(
                {column: sa.bindparam("_parent"), **{k: sa.bindparam(f"_{k}") for k in kept}})
            connection.execute(statement, [{k: v for k, v in p.items() if k != "_column"}
                                           for p in mine])
    _reset_sequences(connection)
    return counts


def _reset_sequences(connection) -> None:
    """PostgreSQL hands out ids from sequences: move each past the ids restored."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables():
        if list(table.primary_key.columns.keys()) == ["id"]:
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)")


def consistent_read(connection) -> None:
    """One snapshot for the whole backup, while the app goes on writing; no time limit."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        from cascade.db import without_time_limit

        without_time_limit(connection)
    else:
        connection.exec_driver_sql("BEGIN")  # SQLite: a read transaction holds the file still


def prepare(header: dict) -> str | None:
    """The schema revision to create before restoring, or None when the database is
    already at the backup's; refuses a database at another revision."""
    from alembic.migration import MigrationContext

    wanted = header.get("schema")
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current is None:
        return wanted
    if current != wanted:
        raise BackupError(f"the database is at schema {current} and the backup at {wanted}: "
                          "restore into a database without tables (restore creates them)")
    return None


def empty(connection) -> bool:
    """Whether every table of the schema is empty (a restore never merges)."""
    return all(connection.execute(sa.select(sa.func.count()).select_from(t)).scalar() == 0
               for t in db.metadata.sorted_tables)

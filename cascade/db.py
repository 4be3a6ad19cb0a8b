"""The database handle, the declarative base and the column types every model shares."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, registry

from cascade import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Column defaults and timestamps: the one clock's now (`cascade.clock`)."""
    return clock.now()


class UTCDateTime(sa.TypeDecorator):
    """Timezone-aware UTC in Python on every backend (SQLite keeps no zone of its own)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Cascade stores UTC only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
                        type_annotation_map={datetime: UTCDateTime})


def choice(enum_cls: type, name: str) -> sa.Enum:
    """A StrEnum stored by value, with a CHECK constraint so the database refuses strays."""
    return sa.Enum(enum_cls, name=name, native_enum=False, create_constraint=True, length=20,
                   values_callable=lambda members: [m.value for m in members],
                   validate_strings=True)


db = SQLAlchemy(model_class=Base)


@sa.event.listens_for(sa.Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record):
    """SQLite ignores foreign keys unless asked, per connection; and it gets `lowered`'s
    function."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        dbapi_connection.create_function(
            "cascade_lower", 1, lambda text: text.lower() if isinstance(text, str) else text,
            deterministic=True)


class lowered(sa.sql.functions.GenericFunction):  # noqa: N801 (an SQL function's name)
    """`lower()` of every letter, as PostgreSQL's: SQLite's own lowers only A to Z, so
    that "Über" would not match "über" there (a Python function on SQLite)."""

    type = sa.String()
    inherit_cache = True


@compiles(lowered)
def _lowered(element, compiler, **kw):
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(lowered, "sqlite")
def _lowered_on_sqlite(element, compiler, **kw):
    return f"cascade_lower({compiler.process(element.clauses, **kw)})"


def sqlite_journal_mode(app) -> None:
    """SQLITE_JOURNAL_MODE ("wal" in the instance config `make run` writes) for every new
    connection to a SQLite database: with WAL, readers no longer wait for a writer, which is
    what several gunicorn workers on one SQLite file need. Under WAL, `synchronous=NORMAL`
    (SQLite's advice for WAL): a commit no longer waits for the disk, only checkpoints do; the
    database stays consistent through a crash, and a power cut may lose the last commits."""
    mode = (app.config.get("SQLITE_JOURNAL_MODE") or "").strip().lower()
    if not mode:
        return
    if mode not in ("wal", "delete", "truncate", "persist"):
        raise RuntimeError(f"SQLITE_JOURNAL_MODE {mode!r} is not one of wal, delete, "
                           "truncate, persist")
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _journal_mode(dbapi_connection, connection_record):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA journal_mode={mode}")
        if mode == "wal":
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def without_time_limit(connection) -> None:
    """Lift the web's statement timeout on this connection (PostgreSQL), for the operator's
    long commands: migrations, imports, backup and restore."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET statement_timeout = 0")
        connection.exec_driver_sql("SET lock_timeout = 0")


def is_unique_violation(error: sa.exc.DBAPIError) -> bool:
    """Whether a failed write hit a unique constraint (another request saved the same key)."""
    code = getattr(error.orig, "sqlstate", None)
    return code == "23505" or "UNIQUE constraint failed" in str(error.orig)


def is_write_conflict(error: sa.exc.DBAPIError) -> bool:
    """A unique violation, or PostgreSQL giving up one of two racing transactions."""
    return is_unique_violation(error) or \
        getattr(error.orig, "sqlstate", None) in ("40001", "40P01")


def committed(work, attempts: int = 3):
    """Run `work()` and commit, again from the start when a racing request took a unique
    key first (two nodes made from one title at once): the retry sees their key and picks
    the next free one. Returns what `work` returned."""
    for attempt in range(attempts):
        try:
            result = work()
            db.session.commit()
            return result
        except sa.exc.IntegrityError as error:
            db.session.rollback()
            if attempt == attempts - 1 or not is_unique_violation(error):
                raise
    raise AssertionError("unreachable")

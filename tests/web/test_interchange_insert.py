"""The importer's hand-written INSERTs (`interchange.load._insert`: one driver-level
executemany in the driver's own parameter style, defaults filled in by hand, timestamps
and booleans bound by `_binder`) store exactly the rows a SQLAlchemy Core insert of the
same values stores, on both backends: compared as the database holds them, column by
column, for every table the importer writes that way."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from unittest import mock

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade.db import db
from cascade.interchange.load import _binder, _insert
from cascade.models import Link, Membership, Node, Note, Person, PulseAnswer, Unit
from cascade.vocabulary import LinkKind, NodeStatus, NoteKind, NoteStatus, Role, Stance, values
from tests.documents import text as storable
from tests.factories import make_node, make_person, make_pulse, make_unit, make_workspace

FROZEN = datetime(2026, 11, 30, 9, 15, 30, 123456, tzinfo=UTC)
PROPERTY = settings(deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def short(size: int) -> st.SearchStrategy[str]:
    return storable.map(lambda text: text[:size])


moments = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9998, 12, 31),
                       timezones=st.just(UTC))


class Frozen:
    """The clock stopped and the tokens of model defaults counted from one, so two
    writes of the same rows draw the same defaults."""

    def __enter__(self):
        tokens = (f"token-{n}" for n in itertools.count(1))
        self.patches = [mock.patch("cascade.clock.now", return_value=FROZEN),
                        mock.patch("secrets.token_urlsafe", side_effect=lambda _=32: next(tokens))]
        for patch in self.patches:
            patch.start()

    def __exit__(self, *exc):
        for patch in reversed(self.patches):
            patch.stop()


def stored(table: sa.Table, write) -> list[tuple]:
    """What `write()` stored in `table`, as the driver reads it back, in insertion order;
    then undone. Ids are left out (sequences number them apart on PostgreSQL), and a
    reference to a row of the same table (a node's parent) is shown as that row's key."""
    columns = [c for c in table.c if c.key != "id"]
    nested = db.session.begin_nested()
    try:
        with Frozen():
            write()
        connection = db.session.connection()
        quote = connection.dialect.identifier_preparer.quote
        listed = ", ".join(quote(c.name) for c in [table.c.id, *columns])
        rows = [tuple(row) for row in connection.exec_driver_sql(
            f"SELECT {listed} FROM {quote(table.name)} ORDER BY {quote('id')}")]
    finally:
        nested.rollback()
    if "parent_id" not in table.c:
        return [row[1:] for row in rows]
    keys = {row[0]: row[1 + columns.index(table.c.key)] for row in rows}
    at = columns.index(table.c.parent_id)
    return [tuple(keys.get(v) if i == at else v for i, v in enumerate(row[1:])) for row in rows]


def by_hand(model, names: tuple[str, ...], rows: list[tuple], **extra) -> None:
    """As the importer writes: timestamps and booleans through `_binder`, the rest as is."""
    table = model.__table__
    binders = [_binder(table.c[n]) if _converted(table.c[n]) else None for n in names]
    _insert(model, names, [tuple(bind(v) if bind else v for bind, v in zip(binders, row,
                                                                            strict=True))
                           for row in rows], **extra)


def _converted(column: sa.Column) -> bool:
    kind = column.type.impl if isinstance(column.type, sa.TypeDecorator) else column.type
    return isinstance(kind, (sa.Boolean, sa.DateTime))


def through_core(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    db.session.execute(sa.insert(model.__table__), [dict(zip(names, row, strict=True))
                                                   for row in rows])


def same_rows(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    table = model.__table__
    before = len(stored(table, lambda: None))
    hand = stored(table, lambda: by_hand(model, names, rows))
    core = stored(table, lambda: through_core(model, names, rows))
    assert len(hand) == before + len(rows)
    assert hand == core


@pytest.fixture
def parents(app):
    """Rows the inserted ones point at: a workspace, units, nodes, people, a pulse."""
    ws = make_workspace()
    root = make_unit(ws, "root", "Root")
    team = make_unit(ws, "team", "Team", parent=root)
    goal = make_node(ws, root, "goal", "Goal")
    step = make_node(ws, team, "step", "Step", parent=goal)
    lea, sam = make_person("lea@acme.test"), make_person("sam@acme.test")
    pulse = make_pulse(ws, [root, team], goal, texts=("One", "Two"))
    db.session.commit()
    return {"ws": ws.id, "units": [root.id, team.id], "nodes": [goal.id, step.id],
            "people": [lea.id, sam.id], "statements": [s.id for s in pulse.statements]}


@PROPERTY
@given(data=st.data())
def test_units_people_and_memberships(parents, data):
    ws = parents["ws"]
    keys = data.draw(st.lists(short(80).filter(str.strip), unique=True, max_size=6))
    same_rows(Unit, ("workspace_id", "key", "name", "archived"),
              [(ws, key, data.draw(short(200)), data.draw(st.booleans())) for key in keys])
    emails = data.draw(st.lists(short(254).filter(str.strip), unique=True, max_size=6)
                       .filter(lambda found: not {"lea@acme.test", "sam@acme.test"} & set(found)))
    same_rows(Person, ("email", "name"), [(email, data.draw(short(200))) for email in emails])
    memberships = data.draw(st.lists(st.tuples(st.sampled_from(parents["people"]),
                                               st.sampled_from(parents["units"]),
                                               st.sampled_from(values(Role))),
                                     unique=True, max_size=6))
    same_rows(Membership, ("workspace_id", "person_id", "unit_id", "role"),
              [(ws, *membership) for membership in memberships])


@PROPERTY
@given(data=st.data())
def test_nodes_with_parents_found_by_key_and_links(parents, data):
    ws, units = parents["ws"], parents["units"]
    keys = data.draw(st.lists(short(80).filter(str.strip), unique=True, max_size=6)
                     .filter(lambda found: not {"goal", "step"} & set(found)))
    rows, core_rows = [], []
    for i, key in enumerate(keys):
        parent = data.draw(st.sampled_from([None, "goal", *keys[:i]]))
        row = (ws, key, data.draw(short(200)), data.draw(storable), data.draw(st.sampled_from(
            units)), data.draw(st.sampled_from(values(NodeStatus))), data.draw(st.integers(1, 9)),
            data.draw(st.none() | st.integers(1, 9)), data.draw(st.none() | short(40)))
        rows.append((*row, ws, parent))
        core_rows.append((*row, parent))
    table = Node.__table__
    names = ("workspace_id", "key", "title", "statement", "unit_id", "status", "revision",
             "parent_revision_seen", "horizon")

    def hand() -> None:
        mark = "?" if db.session.connection().dialect.paramstyle == "qmark" else "%s"
        quote = db.session.connection().dialect.identifier_preparer.quote
        _insert(Node, (*names, "parent_id"), rows, expressions={"parent_id": (
            f"(SELECT parent.id FROM node AS parent WHERE parent.workspace_id = {mark} AND "
            f"parent.{quote('key')} = {mark})")})

    def core() -> None:  # the same look-up, written in Core
        parent = table.alias("parent")
        found = sa.select(parent.c.id).where(parent.c.workspace_id == ws,
                                             parent.c.key == sa.bindparam("parent_key"))
        for row in core_rows:  # one at a time: each may name the one before as its parent
            db.session.execute(sa.insert(table).values(parent_id=found.scalar_subquery()),
                               dict(zip(names, row[:-1], strict=True)) | {"parent_key": row[-1]})

    if rows:
        assert stored(table, hand) == stored(table, core)
    nodes = parents["nodes"]
    links = data.draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes),
                                         st.sampled_from(values(LinkKind))), unique=True))
    same_rows(Link, ("workspace_id", "source_id", "target_id", "kind"),
              [(ws, *link) for link in links if link[0] != link[1]])


@PROPERTY
@given(data=st.data())
def test_notes_with_timestamps_and_pulse_answers(parents, data):
    ws = parents["ws"]
    maybe = st.none() | storable
    notes = data.draw(st.lists(st.tuples(
        st.just(ws), st.sampled_from(parents["nodes"]), st.sampled_from(values(NoteKind)),
        st.sampled_from(values(Stance)), storable, st.sampled_from(values(NoteStatus)), maybe,
        maybe, maybe, maybe, st.none() | st.sampled_from(parents["people"]),
        st.none() | short(200), st.none() | st.sampled_from(parents["units"]), moments,
        moments), max_size=6))
    same_rows(Note, ("workspace_id", "node_id", "kind", "stance", "body", "status", "response",
                     "hypothesis", "measure", "learned", "author_id", "author_name", "unit_id",
                     "created_at", "updated_at"), notes)
    answers = data.draw(st.lists(st.tuples(
        st.sampled_from(parents["statements"]), st.sampled_from(parents["units"]),
        st.integers(1, 5), st.none() | st.sampled_from(values(Role)), st.none() | storable),
        max_size=6))
    same_rows(PulseAnswer, ("statement_id", "unit_id", "value", "role", "comment"), answers)


def test_defaults_the_rows_leave_out_are_compared_too(parents):
    """People get their defaults (active, a fresh token, the time) from `_insert`'s own
    filling-in; a drift there is caught: here `active` made False by hand."""
    rows = [("new@acme.test", "New")]
    core = stored(Person.__table__, lambda: through_core(Person, ("email", "name"), rows))
    hand = stored(Person.__table__, lambda: _insert(
        Person, ("email", "name", "active"), [(*rows[0], _binder(Person.__table__.c.active)(
            False))]))
    assert hand != core
    assert stored(Person.__table__, lambda: by_hand(Person, ("email", "name"), rows)) == core
    new = core[-1]  # after the two people `parents` made
    assert new[list(Person.__table__.c.keys()).index("session_token") - 1] == "token-1"
    assert FROZEN in new or FROZEN.replace(tzinfo=None).isoformat(" ") in new

"""Issue 14, problem 2: the restore drill. An instance with everything the issue found lost
(passwords, revisions, note edits, replies, answer details, acknowledgements, score
records, audit, pending invitations, pulse-answer ownership) is backed up, restored into an
empty database of either backend (SQLite → PostgreSQL included), backed up again: the two
files are identical, and everyone signs in with their old password."""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa

from cascade import create_app
from cascade.backup import tables
from cascade.clock import today
from cascade.db import db
from cascade.findings.analysis import analysis_of
from cascade.interchange import dump
from cascade.models import Measure, Note, Person, Pulse, PulseAnswer, Workspace
from cascade.pulses.reading import own_answers, respondent
from tests.conftest import POSTGRES_ADMIN_URL
from tests.factories import PASSWORD, make_node, make_note, make_pulse

# backup reads on a connection of its own, and restores into databases of their own
pytestmark = pytest.mark.committed


@pytest.fixture
def empty_database(tmp_path):
    """`empty_database(backend)`: the URL of a new database without any table."""
    made = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / f'restored-{len(made)}.sqlite'}"
        admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        name = f"cascade_restore_{secrets.token_hex(4)}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        made.append((admin, name))
        return admin.url.set(database=name).render_as_string(hide_password=False)
    yield make
    for admin, name in made:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def restored_app(empty_database):
    """`restored_app(backend)`: an app on a new empty database; its connections are closed
    after the test however it ends (a failed assertion used to leave them to the garbage
    collector, which then failed whichever test ran next with a ResourceWarning)."""
    made = []

    def make(backend: str):
        made.append(create_app({"TESTING": True, "SECRET_KEY": "test",
                                "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                                "SQLALCHEMY_DATABASE_URI": empty_database(backend)}))
        return made[-1]
    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _busy_instance(client, login, org) -> None:
    """What the issue listed as lost, made through the pages people use."""
    vision = make_node(org.workspace, org.units["acme"], "vision", "Vision")
    goal = make_node(org.workspace, org.units["checkout"], "goal", "Goal", parent=vision)
    note = make_note(goal, author=org.people["member"], unit=org.units["checkout"],
                     body="First words")
    pulse = make_pulse(org.workspace, [org.units["checkout"]], node=vision)
    db.session.add(PulseAnswer(statement_id=pulse.statements[0].id,
                               unit_id=org.units["checkout"].id, value=4,
                               respondent=respondent(pulse.id, org.people["member"].id)))
    db.session.commit()
    login(org.people["leader"])
    assert client.post("/w/acme/nodes/vision/edit", data={
        "title": "Vision, revised", "statement": "Now with words", "horizon": "2027",
        "version": 1}).status_code == 302  # a second revision
    login(org.people["member"])
    assert client.post("/w/acme/nodes/goal/measures/new", data={
        "name": "Orders", "direction": "increase", "baseline": "1.5", "target": "9",
        "start": "2026-01-01", "due": "2026-12-31", "cadence_days": "14"}).status_code == 302
    measure_id = db.session.scalar(sa.select(Measure.id))
    assert client.post(f"/w/acme/measures/{measure_id}/check-ins", data={
        "value": "3.25", "confidence": "6"}).status_code == 302  # a measure and a check-in
    assert client.post("/w/acme/nodes/goal/links", data={
        "kind": "depends_on", "target": "vision"}).status_code == 302  # a request
    assert client.post(f"/w/acme/notes/{note.id}/edit", data={
        "body": "Second words", "version": note.version}).status_code == 302  # a note edit
    assert client.post(f"/w/acme/notes/{note.id}/replies",
                       data={"body": "A reply"}).status_code == 302
    login(org.people["leader"])
    assert client.post(f"/w/acme/notes/{note.id}/answer", data={
        "status": "incorporated", "response": "Taken in", "revision": 1}).status_code == 302
    login(org.people["coach"])
    fingerprint = analysis_of(org.workspace, today()).findings[0].fingerprint
    assert client.post(f"/w/acme/findings/{fingerprint}/acknowledge", data={
        "comment": "Known and intended"}).status_code == 302
    assert client.post("/w/acme/findings/snapshots").status_code == 302
    login(org.people["admin"])
    assert client.post("/w/acme/people/invite", data={
        "email": "newcomer@acme.test", "unit": org.units["search"].key,
        "role": "member"}).status_code == 200  # a pending invitation


def _counts() -> dict[str, int]:
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
            for t in tables()}


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_backup_restore_backup_is_identical_and_everyone_signs_in(
        app, client, login, runner, org, tmp_path, restored_app, target):
    _busy_instance(client, login, org)
    before = _counts()
    assert all(before[name] for name in ("node_revision", "note_edit", "reply", "measure",
                                         "check_in", "link",
                                         "acknowledgement", "score_record", "invitation",
                                         "pulse_answer", "audit_entry"))
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    assert runner.invoke(args=["backup", "-o", str(first)]).exit_code == 0
    restored = restored_app(target)
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["restore", str(first)])
        assert result.exit_code == 0, result.output
        assert _counts() == before
        assert restored.test_cli_runner().invoke(
            args=["backup", "-o", str(second)]).exit_code == 0
        assert first.read_bytes() == second.read_bytes()
        people = db.session.scalars(sa.select(Person.email)).all()
        pulse = db.session.scalar(sa.select(Pulse))
        sam = db.session.scalar(sa.select(Person).where(Person.email == "sam@acme.test"))
        assert own_answers(pulse, sam)  # still Sam's own, and only Sam's
        note = db.session.scalar(sa.select(Note))
        assert (note.responded_by.email, note.incorporated_revision, len(note.edits),
                len(note.replies)) == ("lea@acme.test", 1, 1, 1)
        for email in people:
            answer = restored.test_client().post("/sign-in", data={"email": email,
                                                                   "password": PASSWORD})
            assert answer.status_code == 302, email
        ids_taken_on = db.session.scalar(sa.select(sa.func.max(Person.id)))
        assert restored.test_cli_runner().invoke(args=[
            "create-user", "--email", "after@acme.test", "--name", "After",
            "--password", "a fresh passphrase"]).exit_code == 0  # sequences moved on
        assert db.session.scalar(sa.select(Person.id).where(
            Person.email == "after@acme.test")) > ids_taken_on


def test_a_restore_refuses_a_database_with_data(runner, org, tmp_path):
    path = tmp_path / "b.jsonl"
    runner.invoke(args=["backup", "-o", str(path)])
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 1 and "empty database" in result.output


def test_a_nul_byte_already_stored_is_named_and_can_be_replaced(app, runner, org, tmp_path,
                                                                restored_app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite ever stored a NUL byte (PostgreSQL refuses it)")
    node = make_node(org.workspace, org.units["acme"], "vision", "Vision")
    note_id = make_note(node, body="before").id
    db.session.commit()
    db.session.execute(sa.update(Note).where(Note.id == note_id).values(body="nul\x00here"))
    db.session.commit()
    path = tmp_path / "nul.jsonl"
    assert runner.invoke(args=["backup", "-o", str(path)]).exit_code == 0
    restored = restored_app("postgresql")
    with restored.app_context():
        cli = restored.test_cli_runner()
        refused = cli.invoke(args=["restore", str(path)])
        assert refused.exit_code == 1 and f"note row {note_id}: body" in refused.output
        done = cli.invoke(args=["restore", "--replace-unstorable", str(path)])
        assert done.exit_code == 0, done.output
        assert db.session.scalar(sa.select(Note.body)) == "nul\ufffdhere"


def test_one_workspace_restores_into_an_empty_database(app, client, login, runner, org,
                                                       tmp_path, restored_app):
    _busy_instance(client, login, org)
    expected = dump(org.workspace)
    path = tmp_path / "acme.jsonl"
    assert runner.invoke(args=["backup", "--workspace", "acme", "-o", str(path)]) \
        .exit_code == 0
    restored = restored_app(db.engine.dialect.name)
    with restored.app_context():
        assert restored.test_cli_runner().invoke(args=["restore", str(path)]).exit_code == 0
        assert db.session.scalars(sa.select(Workspace.slug)).all() == ["acme"]
        assert dump(db.session.scalar(sa.select(Workspace))) == expected
        assert "eve@other.test" not in db.session.scalars(sa.select(Person.email)).all()
        assert restored.test_client().post("/sign-in", data={
            "email": "sam@acme.test", "password": PASSWORD}).status_code == 302

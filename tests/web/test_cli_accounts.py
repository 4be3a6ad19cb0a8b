"""`flask create-user` goes through the same operations as the web: the same password and
address rules, the same role check, and an audit entry naming the operator (nobody)."""

from __future__ import annotations

import sqlalchemy as sa

from cascade.db import db
from cascade.models import AuditEntry, Membership, Person


def test_create_user_with_a_role_is_audited_like_a_grant(runner, org):
    result = runner.invoke(args=["create-user", "--email", "New@Acme.test", "--name", "Nia",
                                 "--password", "a long enough secret", "--workspace", "acme",
                                 "--unit", "search", "--role", "leader"])
    assert result.exit_code == 0, result.output
    assert "created new@acme.test" in result.output
    person = db.session.scalar(sa.select(Person).where(Person.email == "new@acme.test"))
    held = db.session.scalars(sa.select(Membership).where(Membership.person_id == person.id))
    assert [(m.unit.key, str(m.role)) for m in held] == [("search", "leader")]
    entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "membership.create"))
    assert entry.person_id is None and entry.after["person"] == "new@acme.test"


def test_create_user_refuses_what_the_web_refuses(runner, org):
    taken = runner.invoke(args=["create-user", "--email", "sam@acme.test", "--name", "Sam",
                                "--password", "a long enough secret"])
    assert taken.exit_code != 0 and "exists" in taken.output
    weak = runner.invoke(args=["create-user", "--email", "x@acme.test", "--name", "X",
                               "--password", "password"])
    assert weak.exit_code != 0 and "commonly used" in weak.output
    again = runner.invoke(args=["create-user", "--email", "y@acme.test", "--name", "Y",
                                "--password", "a long enough secret", "--workspace", "acme",
                                "--unit", "nowhere"])
    assert again.exit_code != 0 and "no unit 'nowhere'" in again.output
    assert db.session.scalar(sa.select(sa.func.count(Person.id)).where(
        Person.email.in_(["x@acme.test", "y@acme.test"]))) == 0

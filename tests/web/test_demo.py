"""`flask demo`: the Northwind workspace a newcomer explores first."""

import sqlalchemy as sa

from cascade.db import db
from cascade.models import Node, Person, Workspace


def test_demo_loads_once_and_prints_the_sign_ins(runner, app):
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "loaded demo workspace 'Northwind Digital'" in result.output
    assert "chloe@northwind.test" in result.output and "coach of northwind" in result.output
    assert app.config["DEMO_PASSWORD"] in result.output
    again = runner.invoke(args=["demo", "--if-empty"])
    assert "demo not loaded" in again.output
    assert db.session.scalar(sa.select(sa.func.count(Workspace.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Node.id))) >= 40


def test_demo_people_sign_in_with_the_printed_password(runner, client, app):
    runner.invoke(args=["demo"])
    response = client.post("/sign-in", data={"email": "lea@northwind.test",
                                             "password": app.config["DEMO_PASSWORD"]})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Person).where(Person.email == "lea@northwind.test"))


def test_demo_stale_translation_shows_what_changed_in_its_parent(runner, client, login):
    runner.invoke(args=["demo"])
    login(db.session.scalar(sa.select(Person).where(Person.email == "sam@northwind.test")))
    page = client.get("/w/northwind/nodes/checkout-2").get_data(as_text=True)
    assert "The parent moved on" in page
    assert "The history of those revisions is not available." not in page
    assert "Substitutions" in page or "substitutions" in page

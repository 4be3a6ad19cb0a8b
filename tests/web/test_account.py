"""Your account: passwords (argon2id, rehash, common ones refused), sessions ending on the
server, new workspaces and the switcher."""

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, Type

from cascade.db import db
from cascade.models import AuditEntry, Membership, Person, Role, Unit, Workspace
from cascade.organisation.passwords import hasher, password_problem, verify_password
from tests.factories import PASSWORD, make_unit, make_workspace

NEW = "a long and unusual phrase"


def change(client, current=PASSWORD, new=NEW, confirm=None):
    return client.post("/account", data={"current_password": current, "new_password": new,
                                         "confirm": new if confirm is None else confirm})


@pytest.mark.real_password_hashing
def test_hashes_are_argon2id_at_or_above_owasp_asvs_parameters():
    # OWASP: argon2id with at least 19 MiB memory, 2 iterations, 1 degree of parallelism
    assert hasher.type is Type.ID
    assert hasher.memory_cost >= 19 * 1024 and hasher.time_cost >= 2 and hasher.parallelism >= 1
    assert hasher.hash("x").startswith("$argon2id$")


def test_password_rules_length_and_common_list():
    assert "at least 8" in password_problem("short")
    assert "commonly used" in password_problem("Password123")
    assert "commonly used" in password_problem("sunshine2024")
    assert "commonly used" in password_problem("qwertyuiop")
    assert password_problem("x" * 7 + "y" * 121) is None  # 128 characters are fine
    assert password_problem(NEW) is None


@pytest.mark.real_password_hashing
def test_weaker_hash_is_upgraded_on_sign_in(client, org):
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    org.people["member"].password_hash = weak
    db.session.commit()
    assert client.post("/sign-in", data={"email": "sam@acme.test",
                                         "password": PASSWORD}).status_code == 302
    stored = db.session.scalar(sa.select(Person.password_hash)
                               .where(Person.email == "sam@acme.test"))
    assert stored != weak and not hasher.check_needs_rehash(stored)
    assert verify_password(stored, PASSWORD)


def test_remember_me_sets_a_lasting_cookie(client, org):
    client.post("/sign-in", data={"email": "sam@acme.test", "password": PASSWORD,
                                  "remember": "y"})
    assert client.get_cookie("remember_token") is not None


def test_change_password_needs_the_current_one(client, login, org):
    login(org.people["member"])
    response = change(client, current="not my password")
    assert response.status_code == 400
    assert "That is not your current password." in response.get_data(as_text=True)
    db.session.expire_all()
    assert verify_password(org.people["member"].password_hash, PASSWORD)


def test_change_password_refuses_weak_or_mismatched_ones(client, login, org):
    login(org.people["member"])
    assert "commonly used" in change(client, new="password123").get_data(as_text=True)
    assert "at least 8" in change(client, new="short").get_data(as_text=True)
    assert "differ" in change(client, confirm="something else entirely").get_data(as_text=True)
    db.session.expire_all()
    assert verify_password(org.people["member"].password_hash, PASSWORD)


def test_change_password_ends_other_sessions_but_keeps_this_one(app, client, login, org):
    login(org.people["member"])
    old_cookie = client.get_cookie("session").value
    response = change(client)
    assert response.status_code == 302
    db.session.expire_all()
    assert verify_password(org.people["member"].password_hash, NEW)
    with app.app_context():
        assert client.get("/w/acme/").status_code == 200
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    with app.app_context():
        assert replay.get("/w/acme/").status_code == 302


def test_disabled_account_loses_its_session(app, client, login, org):
    login(org.people["member"])
    assert client.get("/w/acme/").status_code == 200
    org.people["member"].active = False
    db.session.commit()
    with app.app_context():
        assert client.get("/w/acme/").status_code == 302


def test_create_workspace_makes_root_unit_and_admin(client, login, org):
    login(org.people["member"])
    response = client.post("/workspaces/new", data={"name": "Beta Labs", "slug": "beta"})
    assert response.headers["Location"] == "/w/beta/"
    ws = db.session.scalar(sa.select(Workspace).where(Workspace.slug == "beta"))
    root = db.session.scalar(sa.select(Unit).where(Unit.workspace_id == ws.id))
    assert (root.key, root.name, root.parent_id) == ("beta", "Beta Labs", None)
    membership = db.session.scalar(sa.select(Membership).where(Membership.workspace_id == ws.id))
    assert (membership.person_id, membership.role) == (org.people["member"].id, Role.ADMIN)
    actions = db.session.scalars(sa.select(AuditEntry.action)
                                 .where(AuditEntry.workspace_id == ws.id)).all()
    assert set(actions) == {"workspace.create", "unit.create", "membership.create"}
    assert "People" in client.get("/w/beta/").get_data(as_text=True)


def test_create_workspace_refuses_a_taken_or_malformed_address(client, login, org):
    login(org.people["member"])
    taken = client.post("/workspaces/new", data={"name": "Acme 2", "slug": "acme"})
    bad = client.post("/workspaces/new", data={"name": "Beta", "slug": "-Beta Labs"})
    assert taken.status_code == bad.status_code == 400
    assert "That address is taken" in taken.get_data(as_text=True)
    assert "lower-case letters" in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Workspace.id))) == 2


def test_switcher_lists_every_workspace_of_the_person(client, login, org):
    beta = make_workspace("beta", "Beta Labs")
    db.session.add(Membership(workspace_id=beta.id, person=org.people["coach"],
                              unit=make_unit(beta, "beta"), role=Role.COACH))
    db.session.commit()
    login(org.people["coach"])
    page = client.get("/w/acme/").get_data(as_text=True)
    switcher = page[page.index('switcher-menu"'):]
    assert 'href="/w/beta/"' in switcher and 'href="/w/acme/"' in switcher
    assert "Other Org" not in page


def test_account_page_shows_who_you_are(client, login, org):
    login(org.people["member"])
    page = client.get("/account").get_data(as_text=True)
    assert "sam@acme.test" in page and "Change password" in page

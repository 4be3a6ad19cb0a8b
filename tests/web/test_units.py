"""Admins shape the unit tree: create, rename, move (never into itself) and archive."""

import pytest
import sqlalchemy as sa

from cascade.db import db
from cascade.models import AuditEntry, Unit
from cascade.organisation.operations import update_unit
from cascade.refusals import Refusal


def unit(key) -> Unit:
    db.session.expire_all()
    return db.session.scalar(sa.select(Unit).where(Unit.key == key))


def audit_actions():
    return db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()


def test_unit_page_shows_people_per_unit(client, login, org):
    login(org.people["member"])
    page = client.get("/w/acme/units").get_data(as_text=True)
    checkout = page[page.index('id="unit-checkout"'):]
    assert "Sam" in checkout[:checkout.index("</li>")]
    assert "New unit" not in page and "Archive" not in page  # hidden from non-admins


def test_admin_creates_a_unit_under_a_parent(client, login, org):
    login(org.people["admin"])
    assert "New unit" in client.get("/w/acme/units").get_data(as_text=True)
    response = client.post("/w/acme/units/new",
                           data={"name": "Mobile Apps", "parent": org.units["shop"].id})
    assert response.status_code == 302
    created = unit("mobile-apps")
    assert created.name == "Mobile Apps" and created.parent_id == org.units["shop"].id
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "unit.create"))
    assert entry.person_id == org.people["admin"].id
    assert entry.after == {"name": "Mobile Apps", "parent": "shop"}


def test_create_refuses_a_taken_key_and_a_blank_name(client, login, org):
    login(org.people["admin"])
    taken = client.post("/w/acme/units/new", data={"name": "Two", "key": "checkout",
                                                   "parent": ""})
    blank = client.post("/w/acme/units/new", data={"name": "", "parent": ""})
    assert taken.status_code == blank.status_code == 400
    assert "already used by another unit" in taken.get_data(as_text=True)
    assert 'id="name-errors"' in blank.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Unit.id))) == 7


def edit(client, key, name, parent, version=None):
    version = version if version is not None else unit(key).version
    return client.post(f"/w/acme/units/{key}/edit",
                       data={"name": name, "parent": parent or "", "version": version})


def test_rename_and_move_are_recorded_with_before_and_after(client, login, org):
    login(org.people["admin"])
    assert edit(client, "search", "Discovery", org.units["shop"].id).status_code == 302
    assert edit(client, "search", "Discovery", org.units["platform"].id).status_code == 302
    assert unit("search").name == "Discovery"
    assert unit("search").parent_id == org.units["platform"].id
    entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.before, e.after) for e in entries] == [
        ("unit.rename", {"name": "Search"}, {"name": "Discovery"}),
        ("unit.move", {"parent": "shop"}, {"parent": "platform"}),
    ]


def test_a_unit_cannot_move_below_itself(client, login, org):
    login(org.people["admin"])
    response = edit(client, "shop", "Shopping", org.units["checkout"].id)
    assert response.status_code == 400
    assert unit("shop").parent_id == org.units["acme"].id
    assert audit_actions() == []
    # the form offers no such parent, and the operation refuses it even so
    with pytest.raises(Refusal, match="below one of its own sub-units"):
        update_unit(unit("shop"), "Shopping", unit("checkout"),
                    db.session.scalars(sa.select(Unit)).all(), by=org.people["admin"])


def test_stale_edit_shows_a_conflict_and_keeps_the_input(client, login, org):
    login(org.people["admin"])
    old = unit("search").version
    edit(client, "search", "Findability", org.units["shop"].id)
    response = edit(client, "search", "Discovery", org.units["shop"].id, version=old)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this unit" in page and "Findability" in page
    assert 'value="Discovery"' in page
    assert unit("search").name == "Findability"


def test_archive_needs_archived_sub_units_and_restore_needs_an_active_parent(client, login,
                                                                           org):
    login(org.people["admin"])
    client.post("/w/acme/units/shop/archive")
    assert not unit("shop").archived
    assert "still has active sub-units" in client.get("/w/acme/units").get_data(as_text=True)
    for key in ("checkout", "search", "shop"):
        assert client.post(f"/w/acme/units/{key}/archive",
                           data={"confirm": "yes"}).status_code == 302
    assert unit("shop").archived and unit("checkout").archived
    client.post("/w/acme/units/checkout/restore")
    assert unit("checkout").archived
    client.post("/w/acme/units/shop/restore")
    assert not unit("shop").archived
    assert audit_actions() == ["unit.archive"] * 3 + ["unit.restore"]

"""Admins manage people and roles; a workspace always keeps one admin."""

import sqlalchemy as sa

from cascade.db import db
from cascade.models import AuditEntry, Membership, Role


def membership_of(person) -> Membership:
    return db.session.scalar(sa.select(Membership).where(Membership.person_id == person.id))


def test_people_page_lists_everyone_with_their_roles(client, login, org):
    login(org.people["admin"])
    page = client.get("/w/acme/people").get_data(as_text=True)
    for name in ("Lea", "Omar", "Sam", "Chloé", "Ada"):
        assert name in page
    assert "Eve" not in page
    assert "No open invitations." in page


def test_people_link_only_for_admins(client, login, org):
    login(org.people["leader"])
    assert 'href="/w/acme/people"' not in client.get("/w/acme/").get_data(as_text=True)


def test_change_role_is_recorded(client, login, org):
    login(org.people["admin"])
    sam = membership_of(org.people["member"])
    response = client.post(f"/w/acme/people/memberships/{sam.id}/role", data={"role": "leader"})
    assert response.status_code == 302
    db.session.expire_all()
    assert membership_of(org.people["member"]).role == Role.LEADER
    entry = db.session.scalar(sa.select(AuditEntry))
    assert (entry.action, entry.before, entry.after) == (
        "membership.role", {"role": "member"}, {"role": "leader"})


def test_unknown_role_changes_nothing(client, login, org):
    login(org.people["admin"])
    sam = membership_of(org.people["member"])
    response = client.post(f"/w/acme/people/memberships/{sam.id}/role", data={"role": "owner"})
    assert response.status_code == 400
    assert f'aria-describedby="role-error-{sam.id}"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert membership_of(org.people["member"]).role == Role.MEMBER


def test_the_last_admin_cannot_be_removed_or_demoted(client, login, org):
    login(org.people["admin"])
    ada = membership_of(org.people["admin"])
    demote = client.post(f"/w/acme/people/memberships/{ada.id}/role", data={"role": "member"})
    beside_the_row = demote.get_data(as_text=True).split(f'id="role-error-{ada.id}"')[1]
    assert "last admin" in beside_the_row.split("</p>")[0]
    remove = client.post(f"/w/acme/people/memberships/{ada.id}/remove")
    assert "last admin" in remove.get_data(as_text=True)
    db.session.expire_all()
    assert membership_of(org.people["admin"]).role == Role.ADMIN


def test_remove_membership_takes_the_workspace_away(app, client, login, org):
    login(org.people["admin"])
    sam = membership_of(org.people["member"])
    assert client.post(f"/w/acme/people/memberships/{sam.id}/remove").status_code == 302
    assert membership_of(org.people["member"]) is None
    entry = db.session.scalar(sa.select(AuditEntry))
    assert entry.action == "membership.remove"
    assert entry.before == {"person": "sam@acme.test", "unit": "checkout", "role": "member"}
    other = app.test_client()
    login(org.people["member"], on=other)
    with app.app_context():
        assert other.get("/w/acme/").status_code == 404


def test_grant_another_role_and_refuse_a_duplicate(client, login, org):
    login(org.people["admin"])
    data = {"person": org.people["coach"].email, "unit": org.units["platform"].key,
            "role": "leader"}
    assert client.post("/w/acme/people/grant", data=data).status_code == 302
    again = client.post("/w/acme/people/grant", data=data)
    assert again.status_code == 400
    assert "already leader of Platform" in again.get_data(as_text=True)
    roles = db.session.scalars(sa.select(Membership.role).where(
        Membership.person_id == org.people["coach"].id)).all()
    assert sorted(roles) == [Role.COACH, Role.LEADER]


def test_memberships_of_another_workspace_are_404(client, login, org):
    eve = membership_of(org.people["outsider"])
    login(org.people["admin"])
    response = client.post(f"/w/acme/people/memberships/{eve.id}/remove")
    assert response.status_code == 404
    assert membership_of(org.people["outsider"]) is not None

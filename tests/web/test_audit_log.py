"""Admins read the workspace's audit trail and filter it."""

from datetime import UTC, datetime

import sqlalchemy as sa

from cascade.db import db
from cascade.models import AuditEntry


def add(org, action, target_type, target, person=None, when=None, **kw):
    db.session.add(AuditEntry(workspace_id=org.workspace.id, action=action,
                              target_type=target_type, target=target,
                              person=person, created_at=when or datetime.now(UTC), **kw))


def test_admin_reads_who_did_what_with_before_and_after(client, login, org):
    add(org, "unit.rename", "unit", "search", org.people["admin"],
        before={"name": "Search"}, after={"name": "Discovery"})
    db.session.commit()
    login(org.people["admin"])
    page = client.get("/w/acme/audit").get_data(as_text=True)
    assert "unit.rename" in page and "<del>Search</del>" in page
    assert "<ins>Discovery</ins>" in page and "Ada" in page


def test_filters_by_action_person_and_date(client, login, org):
    admin, leader = org.people["admin"], org.people["leader"]
    add(org, "unit.create", "unit", "old-team", admin, datetime(2026, 1, 5, 12, tzinfo=UTC))
    add(org, "node.edit", "node", "vision", leader, datetime(2026, 2, 1, 9, tzinfo=UTC))
    add(org, "unit.archive", "unit", "gone-team", admin, datetime(2026, 3, 1, 9, tzinfo=UTC))
    db.session.commit()
    login(admin)

    def targets(query):
        page = client.get(f"/w/acme/audit?{query}").get_data(as_text=True)
        found = [t for t in ("old-team", "vision", "gone-team") if f"<strong>{t}</strong>" in page]
        return sorted(found, key=lambda t: page.index(f"<strong>{t}</strong>"))

    assert targets("") == ["gone-team", "vision", "old-team"]  # newest first
    assert targets("target_type=unit") == ["gone-team", "old-team"]
    assert targets("action=node.edit") == ["vision"]
    assert targets(f"person={leader.id}") == ["vision"]
    assert targets("since=2026-02-01&until=2026-02-28") == ["vision"]


def test_bad_filter_values_are_answered_next_to_the_field(client, login, org):
    login(org.people["admin"])
    response = client.get("/w/acme/audit?since=yesterday&person=99")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="since-errors"' in page and 'id="person-errors"' in page


def test_pages_of_fifty(client, login, org):
    for n in range(55):
        add(org, "unit.create", "unit", f"team-{n}", org.people["admin"],
            datetime(2026, 1, 1, 0, n, tzinfo=UTC))
    db.session.commit()
    login(org.people["admin"])
    first = client.get("/w/acme/audit").get_data(as_text=True)
    second = client.get("/w/acme/audit?page=2").get_data(as_text=True)
    assert first.count("<strong>team-") == 50 and "Older" in first
    assert second.count("<strong>team-") == 5 and "Newer" in second
    filtered = client.get("/w/acme/audit?action=unit.create").get_data(as_text=True)
    assert 'href="/w/acme/audit?action=unit.create&amp;page=2">Older' in filtered
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 55

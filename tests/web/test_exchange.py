"""Admins download their workspace and upload workspace files through the web."""

from __future__ import annotations

import io
import json
import re

import pytest
import sqlalchemy as sa

from cascade import interchange
from cascade.db import db
from cascade.models import Acknowledgement, AuditEntry, Node, Workspace
from tests.documents import small_document


def _admin_document(slug="acme") -> dict:
    doc = small_document(slug)
    doc["people"].append({"email": "ada@acme.test", "name": "Ada",
                          "memberships": [{"unit": "acme", "role": "admin"}]})
    return doc


def _upload(client, doc, replace=False, name="acme.json", confirm=True):
    """Upload a file; a replace shows its preview first, which `confirm` accepts."""
    data = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    form = {"file": (io.BytesIO(data), name)}
    if replace:
        form["replace"] = "y"
    response = client.post("/w/acme/exchange", data=form, content_type="multipart/form-data")
    return confirmed(client, "acme", response) if confirm else response


def confirmed(client, slug, response):
    """Confirm a replace from its preview page (any other response is returned as it is)."""
    found = re.search(r'name="pending" value="([^"]+)"', response.get_data(as_text=True))
    if response.status_code != 200 or found is None:
        return response
    return client.post(f"/w/{slug}/exchange", data={"pending": found.group(1)})


@pytest.mark.parametrize("role, status", [("admin", 200), ("coach", 403), ("leader", 403),
                                          ("member", 403)])
def test_only_admins_reach_import_and_export(client, login, org, role, status):
    login(org.people[role])
    assert client.get("/w/acme/exchange").status_code == status
    assert client.get("/w/acme/exchange/export").status_code == status
    nav = client.get("/w/acme/").get_data(as_text=True)
    assert ('href="/w/acme/exchange"' in nav) == (role == "admin")


def test_admin_downloads_the_workspace_as_an_attachment(client, login, org):
    login(org.people["admin"])
    response = client.get("/w/acme/exchange/export")
    assert response.headers["Content-Disposition"] == 'attachment; filename="acme.cascade.json"'
    assert response.get_json() == interchange.dump(org.workspace)


def test_admin_replaces_the_workspace_from_a_file(client, login, org):
    login(org.people["admin"])
    response = _upload(client, _admin_document(), replace=True)
    # Lea and Ada held roles here already; Kim did not, so the file invites her
    assert response.status_code == 200 and "kim@acme.test" in response.get_data(as_text=True)
    ws = db.session.scalar(sa.select(Workspace).where(Workspace.slug == "acme"))
    assert sorted(db.session.scalars(sa.select(Node.key).where(Node.workspace_id == ws.id))) \
        == ["pay-1", "vision"]
    assert set(db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.workspace_id == ws.id))) == {"workspace.import", "invitation.create"}
    exported = client.get("/w/acme/exchange/export").get_json()
    assert exported == interchange.dump(ws)
    again = _upload(client, exported, replace=True)
    assert again.status_code == 302
    assert client.get("/w/acme/exchange/export").get_json() == exported


def test_an_upload_with_problems_lists_every_path_and_changes_nothing(client, login, org):
    before = interchange.dump(org.workspace)
    login(org.people["admin"])
    doc = _admin_document()
    doc["nodes"][1]["unit"] = "nowhere"
    doc["units"][1]["parent"] = "payments"
    doc["pulses"][0]["statements"][0]["answers"][0]["value"] = 9
    response = _upload(client, doc, replace=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The file was not imported: 3 problems." in page
    for path in ("$.nodes[1].unit", "$.units[1].parent",
                 "$.pulses[0].statements[0].answers[0].value"):
        assert f"<code>{path}</code>" in page
    assert interchange.dump(db.session.get(Workspace, org.workspace.id)) == before


def test_an_upload_must_be_json_and_must_not_lock_the_admin_out(client, login, org):
    login(org.people["admin"])
    page = _upload(client, b"{oops").get_data(as_text=True)
    assert "<code>$</code>: not valid JSON" in page
    page = _upload(client, small_document(), replace=True).get_data(as_text=True)
    assert "<code>$.people</code>: the file does not make you (ada@acme.test) an admin" in page
    page = _upload(client, _admin_document()).get_data(as_text=True)
    assert "already exists; import with replace" in page
    response = _upload(client, _admin_document(), name="acme.txt")
    assert response.status_code == 422 and "Choose a .json file." in response.get_data(True)
    assert db.session.scalar(sa.select(sa.func.count(Node.id))) == 0


def test_an_upload_cannot_overwrite_another_workspace(client, login, org):
    login(org.people["admin"])
    page = _upload(client, _admin_document("other"), replace=True).get_data(as_text=True)
    assert "<code>$.workspace.slug</code>: workspace &#39;other&#39; is another workspace" in page
    assert db.session.scalar(sa.select(Workspace.name).where(Workspace.slug == "other")) \
        == "Other Org"


def test_an_upload_with_a_new_slug_creates_a_workspace(client, login, org):
    login(org.people["admin"])
    response = _upload(client, _admin_document("acme-copy"))
    assert response.status_code == 200 and 'href="/w/acme-copy/"' in response.get_data(True)
    assert db.session.scalar(sa.select(Workspace.name).where(Workspace.slug == "acme")) \
        == "Acme Digital"
    assert db.session.scalar(sa.select(sa.func.count(Workspace.id))) == 3


def test_a_replace_shows_its_effect_before_anything_changes(client, login, org):
    from tests.factories import make_node, make_note

    node = make_node(org.workspace, org.units["acme"], "old-goal")
    make_note(node, stance="concern")
    db.session.add(Acknowledgement(workspace_id=org.workspace.id, fingerprint="f1",
                                   code="ONE_WAY", comment="Known."))
    db.session.commit()
    before = interchange.dump(org.workspace)
    login(org.people["admin"])
    response = _upload(client, _admin_document(), replace=True, confirm=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Replace Acme Digital with this file?" in page
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td>', page)
    assert ("Nodes", "1", "2") in rows and ("Notes", "1", "1") in rows
    assert "<strong>1</strong> acknowledgements of findings" in page
    assert "Omar" in page  # holds a role now, none in the file
    assert interchange.dump(db.session.get(Workspace, org.workspace.id)) == before
    token = re.search(r'name="pending" value="([^"]+)"', page).group(1)
    refused = client.post("/w/acme/exchange", data={"pending": token + "x"},
                          follow_redirects=True)
    assert "expired or was already used" in refused.get_data(as_text=True)
    assert interchange.dump(db.session.get(Workspace, org.workspace.id)) == before


def test_the_invitations_an_import_makes_are_queued_for_the_worker(app, client, login, org,
                                                                   smtp):
    from cascade.jobs.queue import run_pending

    login(org.people["admin"])
    response = _upload(client, _admin_document(), replace=True)
    assert "e-mail queued" in response.get_data(as_text=True) and smtp.messages == []
    run_pending(app)
    smtp.wait()
    assert [to for _, to, _ in smtp.messages] == [["kim@acme.test"]]
    assert "/invitations/" in smtp.messages[0][2]

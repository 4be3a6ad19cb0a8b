"""Notes on nodes: leaving, editing, answering, replying, and the feedback page."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from cascade.db import db
from cascade.models import AuditEntry, Note, NoteEdit, Reply
from tests.factories import make_node, make_note


def _note(note_id=None):
    db.session.expire_all()
    query = sa.select(Note).order_by(Note.id.desc())
    return db.session.scalar(query.where(Note.id == note_id) if note_id else query)


def test_member_leaves_a_feasibility_concern_with_their_unit(client, login, org):
    make_node(org.workspace, org.units["shop"], "shop-1")
    db.session.commit()
    login(org.people["member"])
    response = client.post("/w/acme/nodes/shop-1/notes", data={
        "kind": "feasibility", "stance": "concern", "unit": org.units["checkout"].id,
        "body": "Needs **two** sprints <script>x</script>"})
    assert response.status_code == 302
    note = _note()
    assert (note.kind, note.stance, note.status, note.unit.key) == (
        "feasibility", "concern", "open", "checkout")
    page = client.get("/w/acme/nodes/shop-1").get_data(as_text=True)
    assert "<strong>two</strong>" in page and "<script>x" not in page
    assert "1 concern" in page
    assert db.session.scalar(sa.select(AuditEntry.action)) == "note.create"


def test_experiment_notes_need_a_hypothesis_and_a_measure(client, login, org):
    make_node(org.workspace, org.units["shop"], "shop-1")
    db.session.commit()
    login(org.people["member"])
    response = client.post("/w/acme/nodes/shop-1/notes", data={
        "kind": "experiment", "stance": "support", "unit": org.units["checkout"].id,
        "body": "Try wallet first", "hypothesis": "Faster checkout"})
    assert response.status_code == 200 and _note() is None
    assert "An experiment note needs this." in response.get_data(as_text=True)
    assert "Try wallet first" in response.get_data(as_text=True)  # nothing typed is lost
    client.post("/w/acme/nodes/shop-1/notes", data={
        "kind": "experiment", "stance": "support", "unit": org.units["checkout"].id,
        "body": "Try wallet first", "hypothesis": "Faster checkout", "measure": "Median time"})
    note = _note()
    assert (note.hypothesis, note.measure) == ("Faster checkout", "Median time")
    client.post(f"/w/acme/notes/{note.id}/learned", data={"learned": "Wallet wins on mobile"})
    assert _note(note.id).learned == "Wallet wins on mobile"


def test_cannot_write_a_note_for_a_unit_one_does_not_belong_to(client, login, org):
    make_node(org.workspace, org.units["shop"], "shop-1")
    db.session.commit()
    login(org.people["member"])
    response = client.post("/w/acme/nodes/shop-1/notes", data={
        "kind": "validation", "stance": "question", "unit": org.units["payments"].id,
        "body": "Pretending"})
    assert response.status_code == 200 and _note() is None


def test_author_edits_until_answered_and_every_edit_is_kept(client, login, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1")
    note = make_note(node, author=org.people["member"], unit=org.units["checkout"], body="v1")
    db.session.commit()
    login(org.people["member"])
    client.post(f"/w/acme/notes/{note.id}/edit", data={"body": "v2", "version": 1})
    client.post(f"/w/acme/notes/{note.id}/edit", data={"body": "v3", "version": 2})
    assert _note(note.id).body == "v3"
    assert [e.body for e in db.session.scalars(sa.select(NoteEdit).order_by(NoteEdit.id))] == [
        "v1", "v2"]
    assert "v1" in client.get(f"/w/acme/notes/{note.id}").get_data(as_text=True)
    stale = client.post(f"/w/acme/notes/{note.id}/edit", data={"body": "v4", "version": 1})
    assert stale.status_code == 409
    assert "v4" in stale.get_data(as_text=True) and "v3" in stale.get_data(as_text=True)
    login(org.people["tribe_leader"])
    client.post(f"/w/acme/notes/{note.id}/answer", data={"status": "acknowledged",
                                                         "revision": 0})
    login(org.people["member"])
    assert client.get(f"/w/acme/notes/{note.id}/edit").status_code == 403


def test_only_the_author_edits_a_note(client, login, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1")
    note = make_note(node, author=org.people["leader"], body="mine")
    db.session.commit()
    login(org.people["member"])
    assert client.post(f"/w/acme/notes/{note.id}/edit",
                       data={"body": "yours", "version": 1}).status_code == 403


def test_owners_answer_and_declining_needs_a_response(client, login, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1")
    note = make_note(node, author=org.people["member"], unit=org.units["checkout"],
                     stance="blocker")
    db.session.commit()
    login(org.people["member"])
    assert client.post(f"/w/acme/notes/{note.id}/answer",
                       data={"status": "declined", "response": "no"}).status_code == 403
    login(org.people["tribe_leader"])
    refused = client.post(f"/w/acme/notes/{note.id}/answer",
                          data={"status": "declined", "response": " ", "revision": 0})
    assert "Say why" in refused.get_data(as_text=True) and _note(note.id).status == "open"
    client.post(f"/w/acme/notes/{note.id}/answer",
                data={"status": "declined", "response": "Not this year", "revision": 0})
    answered = _note(note.id)
    assert (answered.status, answered.response) == ("declined", "Not this year")
    assert answered.responded_by.email == "omar@acme.test"
    login(org.people["member"])
    assert "Not this year" in client.get("/w/acme/inbox").get_data(as_text=True)


def test_incorporating_a_note_points_at_a_revision(client, login, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1", revision=3)
    note = make_note(node, author=org.people["member"])
    db.session.commit()
    login(org.people["tribe_leader"])
    client.post(f"/w/acme/notes/{note.id}/answer", data={
        "status": "incorporated", "response": "Done", "revision": 9})
    assert _note(note.id).status == "open"
    client.post(f"/w/acme/notes/{note.id}/answer", data={
        "status": "incorporated", "response": "Done", "revision": 3})
    assert _note(note.id).incorporated_revision == 3


def test_editing_a_node_can_incorporate_the_notes_it_answers(client, login, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1", title="Shop", statement="a")
    answered = make_note(node, author=org.people["member"], body="Say b")
    other = make_note(node, author=org.people["member"], body="Unrelated")
    db.session.commit()
    login(org.people["tribe_leader"])
    page = client.get("/w/acme/nodes/shop-1/edit").get_data(as_text=True)
    assert "Say b" in page and "Unrelated" in page
    refused = client.post("/w/acme/nodes/shop-1/edit", data={
        "title": "Shop", "statement": "b", "version": 1, "answers": [answered.id]})
    assert "Say how the revision answers" in refused.get_data(as_text=True)
    client.post("/w/acme/nodes/shop-1/edit", data={
        "title": "Shop", "statement": "b", "version": 1, "answers": [answered.id],
        "response": "Now says b"})
    done = _note(answered.id)
    assert (done.status, done.incorporated_revision, done.response) == (
        "incorporated", 2, "Now says b")
    assert _note(other.id).status == "open"


def test_anyone_in_the_workspace_replies_to_a_note(client, login, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1")
    note = make_note(node, author=org.people["member"])
    db.session.commit()
    login(org.people["coach"])
    client.post(f"/w/acme/notes/{note.id}/replies", data={"body": "What would help?"})
    assert db.session.scalar(sa.select(Reply.body)) == "What would help?"
    assert _note(note.id).status == "open"
    assert "What would help?" in client.get("/w/acme/nodes/shop-1").get_data(as_text=True)


def test_outsiders_cannot_see_or_reply_to_notes(client, login, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1")
    note = make_note(node, author=org.people["member"])
    db.session.commit()
    login(org.people["outsider"])
    assert client.get(f"/w/acme/notes/{note.id}").status_code == 404
    assert client.post(f"/w/acme/notes/{note.id}/replies",
                       data={"body": "hi"}).status_code == 404


def test_node_page_groups_notes_by_kind_with_a_stance_chart(client, login, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1")
    for stance in ("support", "support", "blocker"):
        make_note(node, kind="feasibility", stance=stance)
    make_note(node, kind="emergence", stance="question")
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/nodes/shop-1").get_data(as_text=True)
    assert "3 notes: 2 support, 1 blocker" in page and "1 note: 1 question" in page
    assert page.count('<rect class="stance-support"') == 1
    assert 'width="80.0"' in page and 'width="40.0"' in page
    assert "style=" not in page


def test_feedback_page_filters_sorts_and_highlights_old_notes(client, login, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1")
    old = datetime.now(UTC) - timedelta(days=20)
    make_note(node, unit=org.units["checkout"], kind="feasibility", stance="concern",
              body="Old concern", created_at=old)
    make_note(node, unit=org.units["search"], kind="emergence", stance="blocker",
              body="New blocker")
    make_note(node, body="Done already", status="declined", response="No")
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/feedback").get_data(as_text=True)
    assert "Done already" not in page
    assert page.index("Old concern") < page.index("New blocker")
    assert page.count('class="overdue"') == 1
    page = client.get("/w/acme/feedback?sort=stance").get_data(as_text=True)
    assert page.index("New blocker") < page.index("Old concern")
    page = client.get("/w/acme/feedback?unit=search").get_data(as_text=True)
    assert "New blocker" in page and "Old concern" not in page
    page = client.get("/w/acme/feedback?kind=feasibility&stance=concern").get_data(as_text=True)
    assert "Old concern" in page and "New blocker" not in page
    page = client.get("/w/acme/feedback?older=14").get_data(as_text=True)
    assert "Old concern" in page and "New blocker" not in page


def test_feedback_threshold_follows_the_configuration(app, client, login, org):
    app.config["FEEDBACK_DAYS"] = 30
    node = make_node(org.workspace, org.units["shop"], "shop-1")
    make_note(node, body="Twenty days", created_at=datetime.now(UTC) - timedelta(days=20))
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/feedback").get_data(as_text=True)
    assert "Twenty days" in page and 'class="overdue"' not in page


def test_tree_shows_signal_badges_per_node(client, login, org):
    node = make_node(org.workspace, org.units["shop"], "shop-1")
    make_note(node, stance="blocker")
    make_note(node, stance="blocker")
    make_note(node, stance="support", status="incorporated", response="ok")
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/nodes/").get_data(as_text=True)
    assert "2 blockers" in page and "support" not in page.split("<ul class=\"tree\"")[1]

"""Authoring the strategy tree: create, translate, status, revisions, links, moves, conflicts."""

import re

import sqlalchemy as sa

from cascade.db import db
from cascade.models import AuditEntry, Link, Node, NodeRevision
from tests.factories import make_node


def _node(key):
    db.session.expire_all()
    return db.session.scalar(sa.select(Node).where(Node.key == key))


def test_leader_creates_a_root_node_with_a_key_made_from_its_title(client, login, org):
    login(org.people["leader"])
    response = client.post("/w/acme/nodes/new", data={
        "unit": org.units["acme"].id, "title": "Grocéries in < 1 hour!",
        "statement": "Fast **always**.", "horizon": "2027"})
    assert response.status_code == 302
    node = _node("groceries-in-1-hour")
    assert node.status == "draft" and node.revision == 1 and node.horizon == "2027"
    assert [r.revision for r in node.revisions] == [1]
    page = client.get("/w/acme/nodes/groceries-in-1-hour").get_data(as_text=True)
    assert "<strong>always</strong>" in page
    assert db.session.scalar(sa.select(AuditEntry.action)) == "node.create"


def test_second_node_with_the_same_title_gets_a_numbered_key(client, login, org):
    make_node(org.workspace, org.units["acme"], "vision", title="Vision")
    db.session.commit()
    login(org.people["leader"])
    client.post("/w/acme/nodes/new", data={"unit": org.units["acme"].id, "title": "Vision"})
    assert _node("vision-2") is not None


def test_member_cannot_create_nodes_for_a_unit_they_do_not_lead(client, login, org):
    login(org.people["member"])
    assert client.get("/w/acme/nodes/new").status_code == 403


def test_tribe_leader_cannot_create_for_another_tribe(client, login, org):
    login(org.people["tribe_leader"])
    response = client.post("/w/acme/nodes/new", data={"unit": org.units["payments"].id,
                                                      "title": "Not mine"})
    assert response.status_code == 200
    assert _node("not-mine") is None


def test_member_translates_a_node_for_their_unit_in_one_step(client, login, org):
    parent = make_node(org.workspace, org.units["shop"], "shop-1", revision=3)
    db.session.commit()
    login(org.people["member"])
    response = client.post("/w/acme/nodes/shop-1/translate",
                           data={"unit": org.units["checkout"].id, "title": "Checkout take"})
    assert response.status_code == 302
    child = _node("checkout-take")
    assert child.parent_id == parent.id and child.unit.key == "checkout"
    assert child.parent_revision_seen == 3


def test_member_cannot_translate_for_a_unit_they_are_not_in(client, login, org):
    make_node(org.workspace, org.units["shop"], "shop-1")
    db.session.commit()
    login(org.people["member"])
    client.post("/w/acme/nodes/shop-1/translate",
                data={"unit": org.units["search"].id, "title": "Not ours"})
    assert _node("not-ours") is None


def test_editing_the_statement_raises_the_revision_and_keeps_the_old_one(client, login, org):
    make_node(org.workspace, org.units["acme"], "vision", title="Vision", statement="Old words")
    db.session.commit()
    login(org.people["leader"])
    client.post("/w/acme/nodes/vision/edit", data={"title": "Vision", "version": 1,
                                                   "statement": "New words"})
    node = _node("vision")
    assert node.revision == 2
    assert [(r.revision, r.statement) for r in node.revisions] == [(1, "Old words"),
                                                                  (2, "New words")]
    page = client.get("/w/acme/nodes/vision?from=1&to=2").get_data(as_text=True)
    assert "<del>Old</del>" in page and "<ins>New</ins>" in page


def test_diff_escapes_what_people_typed(client, login, org):
    make_node(org.workspace, org.units["acme"], "vision", statement="plain")
    db.session.commit()
    login(org.people["leader"])
    client.post("/w/acme/nodes/vision/edit", data={"title": "vision", "version": 1,
                                                   "statement": "<script>alert(1)</script>"})
    page = client.get("/w/acme/nodes/vision").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_translation_turns_stale_and_shows_what_changed_in_the_parent(client, login, org):
    parent = make_node(org.workspace, org.units["shop"], "shop-1", title="Fast checkout",
                       statement="Pay in one tap.")
    make_node(org.workspace, org.units["checkout"], "co-1", parent=parent)
    db.session.commit()
    login(org.people["tribe_leader"])
    client.post("/w/acme/nodes/shop-1/edit", data={"title": "Fast checkout", "version": 1,
                                                   "statement": "Pay in two taps."})
    login(org.people["member"])
    page = client.get("/w/acme/nodes/co-1").get_data(as_text=True)
    assert "The parent moved on" in page
    assert "<del>one</del>" in page and "<ins>two</ins>" in page
    assert "stale" in client.get("/w/acme/nodes/").get_data(as_text=True)
    client.post("/w/acme/nodes/co-1/confirm")
    assert _node("co-1").parent_revision_seen == 2
    assert "The parent moved on" not in client.get("/w/acme/nodes/co-1").get_data(as_text=True)


def test_revising_a_stale_translation_can_confirm_the_parent(client, login, org):
    parent = make_node(org.workspace, org.units["shop"], "shop-1", revision=2)
    make_node(org.workspace, org.units["checkout"], "co-1", parent=parent,
              parent_revision_seen=1)
    db.session.commit()
    login(org.people["member"])
    assert 'checked' in client.get("/w/acme/nodes/co-1/edit?revise=1").get_data(as_text=True)
    client.post("/w/acme/nodes/co-1/edit", data={"title": "co 1 again", "version": 1,
                                                 "confirm_parent": "y"})
    node = _node("co-1")
    assert node.revision == 2 and node.parent_revision_seen == 2


def test_status_workflow_follows_the_policy(client, login, org):
    make_node(org.workspace, org.units["checkout"], "co-1", status="draft")
    db.session.commit()
    login(org.people["member"])
    client.post("/w/acme/nodes/co-1/status", data={"status": "proposed"})
    assert _node("co-1").status == "proposed"
    assert client.post("/w/acme/nodes/co-1/status",
                       data={"status": "agreed"}).status_code == 403
    login(org.people["tribe_leader"])
    client.post("/w/acme/nodes/co-1/status", data={"status": "agreed"})
    assert _node("co-1").status == "agreed"
    client.post("/w/acme/nodes/co-1/status", data={"status": "proposed"})
    assert _node("co-1").status == "agreed"  # not a step of the workflow


def test_retiring_a_node_with_live_children_warns_first(client, login, org):
    parent = make_node(org.workspace, org.units["shop"], "shop-1")
    make_node(org.workspace, org.units["checkout"], "co-1", title="Checkout child",
              parent=parent)
    db.session.commit()
    login(org.people["tribe_leader"])
    page = client.post("/w/acme/nodes/shop-1/status",
                       data={"status": "retired"}).get_data(as_text=True)
    assert "orphaned" in page and "Checkout child" in page
    assert _node("shop-1").status == "agreed"
    client.post("/w/acme/nodes/shop-1/status", data={"status": "retired", "confirm": "yes"})
    assert _node("shop-1").status == "retired"


def test_links_are_added_shown_both_ways_and_removed(client, login, org):
    a = make_node(org.workspace, org.units["checkout"], "co-1", title="Checkout one")
    make_node(org.workspace, org.units["payments"], "pay-1", title="Payments one")
    db.session.commit()
    login(org.people["member"])
    client.post("/w/acme/nodes/co-1/links", data={"kind": "depends_on", "target": "pay-1"})
    link = db.session.scalar(sa.select(Link))
    assert (link.source_id, str(link.kind)) == (a.id, "depends_on")
    page = client.get("/w/acme/nodes/pay-1").get_data(as_text=True)
    assert "Needed by" in page and "Checkout one" in page
    client.post(f"/w/acme/nodes/co-1/links/{link.id}/delete")
    assert db.session.scalar(sa.select(sa.func.count(Link.id))) == 0


def test_self_links_are_refused(client, login, org):
    make_node(org.workspace, org.units["checkout"], "co-1")
    db.session.commit()
    login(org.people["member"])
    response = client.post("/w/acme/nodes/co-1/links", follow_redirects=True,
                           data={"kind": "depends_on", "target": "co-1"})
    assert "cannot link to itself" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Link.id))) == 0


def test_search_endpoint_finds_nodes_by_title(client, login, org):
    make_node(org.workspace, org.units["checkout"], "co-1", title="One-tap payment")
    db.session.commit()
    login(org.people["member"])
    found = client.get("/w/acme/nodes/search.json?q=tap").get_json()["nodes"]
    assert [n["key"] for n in found] == ["co-1"]


def test_moving_a_node_under_its_own_child_is_refused(client, login, org):
    top = make_node(org.workspace, org.units["shop"], "shop-1")
    mid = make_node(org.workspace, org.units["shop"], "shop-2", parent=top)
    make_node(org.workspace, org.units["shop"], "shop-3", parent=mid)
    db.session.commit()
    login(org.people["tribe_leader"])
    response = client.post("/w/acme/nodes/shop-1/move", data={"parent": "shop-3"},
                           follow_redirects=True)
    assert "under itself" in response.get_data(as_text=True)
    assert _node("shop-1").parent_id is None
    client.post("/w/acme/nodes/shop-3/move", data={"parent": "shop-1"})
    assert _node("shop-3").parent_id == top.id


def test_second_save_of_the_same_version_is_refused_with_both_texts(app, login, org):
    make_node(org.workspace, org.units["acme"], "vision", title="Vision", statement="Start")
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    login(org.people["leader"], on=first)
    login(org.people["leader"], on=second)
    assert 'value="1"' in first.get("/w/acme/nodes/vision/edit").get_data(as_text=True)
    assert 'value="1"' in second.get("/w/acme/nodes/vision/edit").get_data(as_text=True)
    ok = first.post("/w/acme/nodes/vision/edit",
                    data={"title": "Vision", "statement": "First writer", "version": 1})
    assert ok.status_code == 302
    refused = second.post("/w/acme/nodes/vision/edit",
                          data={"title": "Vision", "statement": "Second writer", "version": 1})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Second writer" in page and "First writer" in page
    assert _node("vision").statement == "First writer"
    assert 'value="2"' in page  # saving again is based on what is saved now
    again = second.post("/w/acme/nodes/vision/edit",
                        data={"title": "Vision", "statement": "Second writer", "version": 2})
    assert again.status_code == 302 and _node("vision").statement == "Second writer"


def test_tree_filters_by_unit_status_and_text(client, login, org):
    root = make_node(org.workspace, org.units["acme"], "vision", title="The vision")
    make_node(org.workspace, org.units["shop"], "shop-1", title="Shop objective", parent=root)
    make_node(org.workspace, org.units["platform"], "plat-1", title="Platform objective",
              parent=root, status="draft")
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/nodes/?unit=shop").get_data(as_text=True)
    assert "Shop objective" in page and "The vision" in page and "Platform objective" not in page
    page = client.get("/w/acme/nodes/?status=draft").get_data(as_text=True)
    assert "Platform objective" in page and "Shop objective" not in page
    page = client.get("/w/acme/nodes/?q=nothing-like-this").get_data(as_text=True)
    assert "No node matches" in page


def test_tree_collapses_below_the_second_level(client, login, org):
    a = make_node(org.workspace, org.units["acme"], "a")
    b = make_node(org.workspace, org.units["acme"], "b", parent=a)
    c = make_node(org.workspace, org.units["shop"], "c", parent=b)
    make_node(org.workspace, org.units["checkout"], "d", parent=c)
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/nodes/").get_data(as_text=True)
    assert page.count("<details open>") == 2  # a and b, with their children
    # c is folded: it says what it hides and loads it when opened, d is not on the page
    assert page.count('<details data-children="/w/acme/nodes/c/children?fragment=1">') == 1
    assert 'href="/w/acme/nodes/c/children">Show its 1 child</a>' in page
    assert 'href="/w/acme/nodes/d"' not in page


def test_revisions_are_stored_for_nodes_made_by_factories_too(app, org):
    node = make_node(org.workspace, org.units["acme"], "vision")
    assert db.session.scalar(sa.select(NodeRevision.revision).where(
        NodeRevision.node_id == node.id)) == 1


def test_node_page_shows_the_findings_that_involve_the_node(client, login, org):
    make_node(org.workspace, org.units["shop"], "shop-1", title="Faster checkout")
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/nodes/shop-1").get_data(as_text=True)
    assert "Alignment gaps around this node" in page
    assert "“Faster checkout” is agreed but no unit below Shopping has translated it yet." in page


def test_new_node_form_starts_in_the_parents_unit_or_the_highest_unit_led(client, login, org):
    vision = make_node(org.workspace, org.units["acme"], "vision", title="Vision")
    make_node(org.workspace, org.units["shop"], "shop-1", parent=vision)
    db.session.commit()
    login(org.people["leader"])

    def selected(url):
        select = client.get(url).get_data(as_text=True).split('name="unit"')[1]
        option = next(tag for tag in select.split("</select>")[0].split("<option")
                      if "selected" in tag)
        return int(re.search(r'value="(\d+)"', option).group(1))

    assert selected("/w/acme/nodes/new?parent=vision") == org.units["acme"].id
    assert selected("/w/acme/nodes/new?parent=shop-1") == org.units["shop"].id
    assert selected("/w/acme/nodes/new") == org.units["acme"].id


def test_editing_a_translation_shows_the_parent_it_translates(client, login, org):
    parent = make_node(org.workspace, org.units["shop"], "shop-1", title="No surprises",
                       statement="Fees are **visible** before payment.")
    make_node(org.workspace, org.units["checkout"], "co-1", title="Our take", parent=parent)
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/nodes/co-1/edit").get_data(as_text=True)
    assert "Translating for Checkout" in page
    assert "Fees are <strong>visible</strong> before payment." in page

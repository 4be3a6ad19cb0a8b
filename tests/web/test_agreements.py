"""Dependency agreements: a depends_on link to another unit's node is a request that unit's
leaders answer from their inbox; a counter goes back to the requester. All audited."""

import re

import sqlalchemy as sa

from cascade.db import db
from cascade.models import AuditEntry, Link
from tests.factories import make_node, make_person


def _world(org):
    ws, units = org.workspace, org.units
    root = make_node(ws, units["acme"], "vision", "Vision")
    goal = make_node(ws, units["checkout"], "checkout-goal", "Checkout goal", parent=root,
                     horizon="2027-Q1")
    vault = make_node(ws, units["payments"], "card-vault", "Card vault", parent=root)
    pat = make_person("pat@acme.test", "Pat", [(units["payments"], "leader")])
    kim = make_person("kim@acme.test", "Kim", [(units["payments"], "member")])
    db.session.commit()
    return goal, vault, pat, kim


def _link():
    db.session.expire_all()
    return db.session.scalar(sa.select(Link).where(Link.kind == "depends_on"))


def _request(client, login, org):
    login(org.people["member"])
    client.post("/w/acme/nodes/checkout-goal/links",
                data={"kind": "depends_on", "target": "card-vault"})
    return _link()


def test_a_dependency_on_another_unit_is_a_request_in_its_inbox(client, login, org):
    _, _, pat, kim = _world(org)
    link = _request(client, login, org)
    assert (link.state, link.requested_by_id) == ("requested", org.people["member"].id)
    page = client.get("/w/acme/nodes/checkout-goal").get_data(as_text=True)
    assert "dependency-requested" in page
    login(kim)
    page = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "Card vault" in page and "waiting for the leaders of Payments" in page
    login(pat)
    page = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "Commit to “Card vault”" in page and "for 2027-Q1" in page


def test_a_dependency_within_one_unit_is_committed_at_once(client, login, org):
    _world(org)
    make_node(org.workspace, org.units["checkout"], "checkout-2", "Second")
    db.session.commit()
    login(org.people["member"])
    client.post("/w/acme/nodes/checkout-goal/links",
                data={"kind": "depends_on", "target": "checkout-2"})
    assert _link().state == "committed"


def test_leaders_commit_and_only_they(client, login, org):
    _, _, pat, kim = _world(org)
    link = _request(client, login, org)
    login(kim)
    url = f"/w/acme/dependencies/{link.id}/respond"
    assert client.post(url, data={"step": "commit"}).status_code == 403
    login(pat)
    response = client.post(url, data={"step": "commit", "version": link.version})
    assert response.status_code == 302 and response.headers["Location"].endswith("/w/acme/inbox")
    link = _link()
    assert (link.state, link.responded_by_id) == ("committed", pat.id)
    actions = list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-2:] == ["link.add", "dependency.commit"]
    assert client.post(url, data={"step": "commit"}).status_code == 409  # answered already


def test_counter_goes_back_to_the_requester_who_accepts(client, login, org):
    _, _, pat, _ = _world(org)
    link = _request(client, login, org)
    login(pat)
    url = f"/w/acme/dependencies/{link.id}/respond"
    client.post(url, data={"step": "counter", "needed_by": "2027-Q1"})
    assert _link().state == "requested"  # not later than the goal's own horizon
    client.post(url, data={"step": "counter", "needed_by": "soon"})
    assert _link().state == "requested"
    client.post(url, data={"step": "counter", "needed_by": "2027-Q2", "reason": "Audit first"})
    link = _link()
    assert (link.state, link.needed_by, link.response) == ("countered", "2027-Q2", "Audit first")
    login(org.people["member"])
    page = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "Accept 2027-Q2" in page and "Audit first" in page
    client.post(f"/w/acme/dependencies/{link.id}/settle", data={"step": "accept"})
    assert _link().state == "committed"


def test_withdrawing_a_countered_request_removes_the_link(client, login, org):
    _, _, pat, _ = _world(org)
    link = _request(client, login, org)
    login(pat)
    client.post(f"/w/acme/dependencies/{link.id}/respond",
                data={"step": "counter", "needed_by": "2027-H2"})
    login(org.people["member"])
    client.post(f"/w/acme/dependencies/{link.id}/settle", data={"step": "withdraw"})
    assert _link() is None
    assert db.session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc())) == \
        "dependency.withdraw"


def test_decline_needs_a_reason_and_shows_on_the_node(client, login, org):
    _, _, pat, _ = _world(org)
    link = _request(client, login, org)
    login(pat)
    url = f"/w/acme/dependencies/{link.id}/respond"
    client.post(url, data={"step": "decline", "reason": "  "})
    assert _link().state == "requested"
    client.post(url, data={"step": "decline", "reason": "Not <this> year"})
    assert (_link().state, _link().response) == ("declined", "Not <this> year")
    page = client.get("/w/acme/nodes/checkout-goal").get_data(as_text=True)
    assert "dependency-declined" in page


def test_bad_steps_are_refused(client, login, org):
    _, _, pat, _ = _world(org)
    link = _request(client, login, org)
    login(pat)
    assert client.post(f"/w/acme/dependencies/{link.id}/respond",
                       data={"step": "accept"}).status_code == 400
    assert client.post(f"/w/acme/dependencies/{link.id}/respond",
                       data={"step": "commit", "version": "7"}).status_code == 409
    assert _link().state == "requested"


def test_the_graph_draws_each_state_differently(client, login, org):
    _, _, pat, _ = _world(org)
    link = _request(client, login, org)
    dot = client.get("/w/acme/graph.dot").get_data(as_text=True)
    assert 'class="gedge depends_on requested"' in dot and "style=dotted" in dot
    login(pat)
    client.post(f"/w/acme/dependencies/{link.id}/respond",
                data={"step": "decline", "reason": "No"})
    dot = client.get("/w/acme/graph.dot").get_data(as_text=True)
    assert 'class="gedge depends_on declined"' in dot and 'style="dashed,bold"' in dot
    page = client.get("/w/acme/graph").get_data(as_text=True)
    assert "depends on, requested: not committed yet" in page
    assert "depends on, declined by the other unit" in page


def test_leaders_above_the_asked_unit_see_its_requests(client, login, org):
    _world(org)
    _request(client, login, org)
    login(org.people["leader"])  # Lea leads the root, so Payments too
    assert "Commit to “Card vault”" in client.get("/w/acme/inbox").get_data(as_text=True)


def test_the_asked_node_page_commits_in_one_step(client, login, org):
    _, _, pat, kim = _world(org)
    link = _request(client, login, org)
    login(kim)
    assert "counter or decline" not in client.get("/w/acme/nodes/card-vault").get_data(
        as_text=True)
    login(pat)
    page = client.get("/w/acme/nodes/card-vault").get_data(as_text=True)
    assert "counter or decline" in page
    response = client.post(f"/w/acme/dependencies/{link.id}/respond",
                           data={"step": "commit", "next": "/w/acme/nodes/card-vault#links"})
    assert response.headers["Location"].endswith("/w/acme/nodes/card-vault#links")
    assert _link().state == "committed"


def _total(client) -> int:
    page = client.get("/w/acme/inbox").get_data(as_text=True)
    return int(re.search(r'id="inbox-total">(\d+)<', page).group(1))


def test_requests_and_counters_count_in_the_inbox_total(client, login, org):
    """The number at the top of the inbox goes up with a request to answer and down once it
    is answered, for the leader asked and for the requester a counter goes back to."""
    _, _, pat, _ = _world(org)
    login(pat)
    before = _total(client)
    link = _request(client, login, org)
    login(org.people["member"])
    requester_before = _total(client)
    login(pat)
    assert _total(client) == before + 1
    client.post(f"/w/acme/dependencies/{link.id}/respond",
                data={"step": "counter", "needed_by": "2027-Q2", "reason": "Audit first"})
    assert _total(client) == before
    login(org.people["member"])
    assert _total(client) == requester_before + 1
    client.post(f"/w/acme/dependencies/{link.id}/settle", data={"step": "accept"})
    assert _total(client) == requester_before

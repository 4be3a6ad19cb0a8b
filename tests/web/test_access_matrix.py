"""The authorization matrix: every route of the app, for every kind of visitor.

The table below says, from the product brief (not from `cascade/policy.py`), which roles may
GET and POST each endpoint. From it the test derives what everyone else must get:

    anonymous            -> 302 to the sign-in page
    outsider             -> 404 for anything in a workspace (never a hint that it exists)
    any other non-holder -> 403
    allowed              -> anything below 500 except 403 and 404

A route the table does not list fails the test, so no route ships unreviewed. To add yours:
list its endpoint in MATRIX, and if its URL has a new variable, add it to URL_VALUES. The
API's routes (`api.*`, bearer tokens instead of sessions) have their own matrix, with token
scopes, in `test_api_matrix.py`.

The roles are the `org` fixture's people: `member` is Sam, member of the Checkout team;
`leader` is Lea, leader of the root unit (so she leads everything below); `coach` and `admin`
hold their roles at the root; `outsider` is Eve, admin of another workspace. The objects in
the URLs are the `world` below: a node of Checkout under a root node, Sam's note on it, a pulse.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from werkzeug.routing import IntegerConverter

from cascade.clock import today
from cascade.db import db
from cascade.findings.analysis import analysis_of
from cascade.models import (
    Acknowledgement,
    FacilitatedSession,
    JobFailure,
    Link,
    Membership,
    Pulse,
    PulseStatement,
    Role,
    Webhook,
    WebhookDelivery,
)
from cascade.notifications import unsubscribe
from cascade.notifications.events import emit
from cascade.organisation import operations
from cascade.vocabulary import EventKind
from tests.factories import make_measure, make_node, make_note, make_token

ROLES = ("anonymous", "outsider", "member", "leader", "coach", "admin")
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
IN_WORKSPACE = frozenset({"member", "leader", "coach", "admin"})
ADMIN = frozenset({"admin"})
LEADER_COACH = frozenset({"leader", "coach"})
LEADER = frozenset({"leader"})
MEMBER = frozenset({"member"})
COACH = frozenset({"coach"})
FINDING_READERS = frozenset({"leader", "coach", "admin"})
OWNERS = frozenset({"member", "leader"})  # of the world's node: Sam's team, led from the root

# endpoint -> {method: roles allowed}. Only GET and POST are served by Cascade's views.
MATRIX: dict[str, dict[str, frozenset[str]]] = {
    "static": {"GET": EVERYONE},
    "home.index": {"GET": EVERYONE},
    # health endpoints for load balancers: nothing of any workspace in them
    "health.live": {"GET": EVERYONE},
    "health.ready": {"GET": EVERYONE},
    "auth.sign_in": {"GET": EVERYONE, "POST": EVERYONE},
    "auth.sign_out": {"POST": SIGNED_IN},
    "account.show": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "account.new_workspace": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "account.invitation": {"GET": EVERYONE, "POST": EVERYONE},
    # a way back in: asking for a reset link and using it need no sign-in
    "account.forgot_password": {"GET": EVERYONE, "POST": EVERYONE},
    "account.reset_password": {"GET": EVERYONE, "POST": EVERYONE},
    "workspaces.show": {"GET": IN_WORKSPACE},
    # units: everyone in the workspace sees the tree; only admins change it
    "units.index": {"GET": IN_WORKSPACE},
    "units.search": {"GET": IN_WORKSPACE},
    "units.new": {"GET": ADMIN, "POST": ADMIN},
    "units.edit": {"GET": ADMIN, "POST": ADMIN},
    "units.archive": {"POST": ADMIN},
    "units.restore": {"POST": ADMIN},
    # people and roles: admins manage the workspace's people
    "people.index": {"GET": ADMIN},
    "people.invite": {"POST": ADMIN},
    "people.revoke": {"POST": ADMIN},
    "people.grant": {"POST": ADMIN},
    "people.change_role": {"POST": ADMIN},
    "people.remove": {"POST": ADMIN},
    "people.disable": {"POST": ADMIN},
    "people.enable": {"POST": ADMIN},
    "audit.index": {"GET": ADMIN},
    # background jobs that failed in the workspace: its admins see and retry them
    "jobs.index": {"GET": ADMIN},
    "jobs.retry": {"POST": ADMIN},
    # pulses: everyone reads results (hidden below the anonymity threshold); coaches and
    # leaders run them; only the people of the units asked answer
    "pulses.index": {"GET": IN_WORKSPACE},
    "pulses.panorama": {"GET": IN_WORKSPACE},
    "pulses.show": {"GET": IN_WORKSPACE},
    "pulses.new": {"GET": LEADER_COACH, "POST": LEADER_COACH},
    "pulses.close": {"POST": LEADER_COACH},
    "pulses.answer": {"GET": MEMBER, "POST": MEMBER},
    # strategy: everyone in the workspace reads it; leaders author; a node's own unit (its
    # members, and leaders above) edits it; coaches and admins never rewrite strategy
    "nodes.tree": {"GET": IN_WORKSPACE},
    "nodes.children": {"GET": IN_WORKSPACE},
    "nodes.search": {"GET": IN_WORKSPACE},
    "nodes.show": {"GET": IN_WORKSPACE},
    "nodes.new": {"GET": LEADER, "POST": LEADER},
    "nodes.edit": {"GET": OWNERS, "POST": OWNERS},
    "nodes.status": {"POST": OWNERS},
    # several children at once: anyone may ask, each child is checked as nodes.status is
    "nodes.bulk_status": {"POST": IN_WORKSPACE},
    "nodes.translate": {"POST": MEMBER},  # of the root node, into Sam's own team
    "nodes.confirm": {"POST": OWNERS},
    "nodes.add_link": {"POST": OWNERS},
    "nodes.remove_link": {"POST": OWNERS},
    "nodes.move": {"POST": OWNERS},
    "inbox.show": {"GET": IN_WORKSPACE},
    "coverage.show": {"GET": IN_WORKSPACE},  # who translated what: strategy everyone reads
    # measures: the node's own people (Sam's team, Lea above it) create, edit, retire and
    # check in; everyone else reads them on the node page
    "measures.new": {"GET": OWNERS, "POST": OWNERS},
    "measures.edit": {"GET": OWNERS, "POST": OWNERS},
    "measures.status": {"POST": OWNERS},
    "measures.check_in": {"POST": OWNERS},
    # dependency agreements: Sam's node depends on Lea's root node, so Lea (who leads the
    # root unit) answers the request; the requesting node's owners settle a counter
    "agreements.respond": {"POST": LEADER},
    "agreements.settle": {"POST": OWNERS},
    # closing a horizon (quarterly review): leaders, for the nodes of the units they lead
    "quarters.close": {"GET": LEADER, "POST": LEADER},
    "inbox.seen": {"POST": IN_WORKSPACE},
    # a parent owner reviews a translation (Lea leads Sam's team from the root); a team
    # that could translate a parent may say it is not for them instead
    "inbox.send_back": {"POST": LEADER},
    "inbox.decline": {"POST": MEMBER},  # the root node, for Sam's own team
    # notes: anyone in the workspace leaves notes and replies; the node's owners answer;
    # only the author edits, and records what an experiment taught
    "notes.create": {"POST": IN_WORKSPACE},
    "notes.show": {"GET": IN_WORKSPACE},
    "notes.edit": {"GET": MEMBER, "POST": MEMBER},
    "notes.answer": {"POST": OWNERS},
    "notes.learned": {"POST": MEMBER},
    "notes.reply": {"POST": IN_WORKSPACE},
    "notes.feedback": {"GET": IN_WORKSPACE},
    # the coherence graph: the whole workspace reads it (coaches are its main audience)
    "graph.show": {"GET": IN_WORKSPACE},
    "graph.fragment": {"GET": IN_WORKSPACE},
    "graph.download": {"GET": IN_WORKSPACE},
    # findings: coaches, leaders and admins read them; only coaches acknowledge and snapshot
    "findings.index": {"GET": FINDING_READERS},
    "findings.report": {"GET": FINDING_READERS},
    "findings.acknowledge": {"POST": COACH},
    "findings.withdraw": {"POST": COACH},
    "findings.take_snapshot": {"POST": COACH},
    "findings.compare": {"GET": FINDING_READERS},
    # facilitated sessions: coaches run them; whoever reads findings reads their reports;
    # the room's short link takes anyone of the workspace to its pulse
    "sessions.index": {"GET": FINDING_READERS},
    "sessions.new": {"GET": COACH, "POST": COACH},
    "sessions.show": {"GET": FINDING_READERS},
    "sessions.present": {"GET": COACH},
    "sessions.count": {"GET": COACH},
    "sessions.reveal": {"POST": COACH},
    "sessions.decide": {"POST": COACH},
    "sessions.end": {"POST": COACH},
    "sessions.report": {"GET": FINDING_READERS},
    "sessions.download": {"GET": FINDING_READERS},
    "join.room": {"GET": IN_WORKSPACE},
    # a workspace file in and out: admins only
    "exchange.index": {"GET": ADMIN, "POST": ADMIN},
    "exchange.export": {"GET": ADMIN},
    # notifications: everyone chooses how they hear of things; admins set the defaults; an
    # unsubscribe link works without signing in (its signed token is the authority)
    "notifications.preferences_page": {"GET": IN_WORKSPACE, "POST": IN_WORKSPACE},
    "notifications.defaults": {"GET": ADMIN, "POST": ADMIN},
    "notifications.recent_page": {"GET": IN_WORKSPACE},
    "notifications.mark_seen": {"POST": IN_WORKSPACE},
    "notifications.digest_preview": {"GET": ADMIN},
    "notifications.digest_html": {"GET": ADMIN},
    "unsubscribe.confirm": {"GET": EVERYONE, "POST": EVERYONE},
    # webhooks: admins only
    "webhooks.index": {"GET": ADMIN, "POST": ADMIN},
    "webhooks.show": {"GET": ADMIN},
    "webhooks.change": {"POST": ADMIN},
    "webhooks.resend": {"POST": ADMIN},
    # API tokens: everyone makes and revokes their own; admins see and revoke every one
    "tokens.index": {"GET": IN_WORKSPACE, "POST": IN_WORKSPACE},
    "tokens.oversee": {"GET": ADMIN},
    "tokens.revoke": {"POST": frozenset({"member", "admin"})},  # Sam's token
}

# URL variable -> the world's object (or plain value) to put there. An `<int:...>` variable
# gets the object's id; any other gets its `key`, or its id for objects without a key.
# "endpoint:variable" and "blueprint:variable" entries win over plain ones, for names such
# as `key` that mean a different object in each area.
URL_VALUES = {
    "pulses:key": lambda w: w.pulse,
    "sessions:key": lambda w: w.session,
    "code": lambda w: w.session.code,
    "sessions.download:fmt": lambda w: "json",
    "nodes:key": lambda w: w.node,
    "measures:key": lambda w: w.node,
    "measure_id": lambda w: w.measure,
    "nodes.translate:key": lambda w: w.root,
    "inbox:key": lambda w: w.node,
    "coverage:key": lambda w: w.root,
    "inbox.decline:key": lambda w: w.root,
    "notes:key": lambda w: w.node,
    "api:key": lambda w: w.node,  # the API's node routes; its pulse routes are listed below
    "api.pulse:key": lambda w: w.pulse,
    "api.translate_node:key": lambda w: w.root,
    "api.withdraw_finding:fingerprint": lambda w: w.acknowledgement.fingerprint,
    "notes.learned:note_id": lambda w: w.experiment,
    "note_id": lambda w: w.note,
    "link_id": lambda w: w.link,
    "agreements:link_id": lambda w: w.dependency,
    "fmt": lambda w: "svg",
    "fingerprint": lambda w: analysis_of(w.workspace, today()).findings[0].fingerprint,
    "findings.withdraw:fingerprint": lambda w: w.acknowledgement.fingerprint,
    "workspace": lambda w: w.workspace,
    "unit": lambda w: w.units["checkout"],
    "node": lambda w: w.node,
    "note": lambda w: w.note,
    "pulse": lambda w: w.pulse,
    "membership": lambda w: w.spare_membership,
    "invitation": lambda w: w.invitation,
    "token": lambda w: w.token,
    "account.reset_password:token": lambda w: w.reset_token,
    "unsubscribe.confirm:token": lambda w: unsubscribe.token_for(
        w.people["member"].id, w.workspace.id, "note.created"),
    "person": lambda w: w.people["tribe_leader"],
    "webhook": lambda w: w.webhook,
    "delivery": lambda w: w.delivery,
    "action": lambda w: "pause",
    "filename": lambda w: "css/app.css",
    "failure": lambda w: w.failure,
    "api_token": lambda w: w.api_token,
}

# Flask's own static view cannot carry a mark; it serves files anyone may read.
UNMARKED = {"static"}


@pytest.fixture
def world(org):
    """The org plus one of everything a URL can name."""
    ws, units, people = org.workspace, org.units, org.people
    root = make_node(ws, units["acme"], "vision", "Vision")
    org.node = make_node(ws, units["checkout"], "checkout-goal", "Checkout goal", parent=root)
    org.note = make_note(org.node, author=people["member"], unit=units["checkout"])
    org.experiment = make_note(org.node, author=people["member"], unit=units["checkout"],
                               kind="experiment", stance="support", hypothesis="h", measure="m")
    org.root = root
    org.measure = make_measure(org.node)
    org.link = Link(workspace_id=ws.id, source=org.node, target=root, kind="contributes_to")
    db.session.add(org.link)
    org.dependency = Link(workspace_id=ws.id, source=org.node, target=root, kind="depends_on",
                          state="requested")
    db.session.add(org.dependency)
    org.acknowledgement = Acknowledgement(workspace_id=ws.id, fingerprint="closed-gap",
                                          code="ONE_WAY", comment="Known and intended.")
    db.session.add(org.acknowledgement)
    org.pulse = Pulse(workspace_id=ws.id, key="p1", title="Vision pulse", node=root,
                      units=[units["checkout"]])
    org.pulse.statements.append(PulseStatement(text="I understand it", node_id=root.id))
    org.spare_membership = db.session.scalar(sa.select(Membership).where(
        Membership.person_id == people["tribe_leader"].id))
    org.invitation, org.token = operations.invite(
        ws, "newcomer@acme.test", units["search"], Role.MEMBER, people["admin"], days=7)
    org.reset_token = operations.start_reset(people["tribe_leader"], minutes=60)
    org.webhook = Webhook(workspace_id=ws.id, url="https://hooks.example.com/x", secret="s")
    db.session.add(org.webhook)
    db.session.flush()
    event = emit(EventKind.NODE_CREATED, None, ws.id)
    db.session.flush()
    org.delivery = WebhookDelivery(webhook_id=org.webhook.id, event_id=event.id, status="failed")
    db.session.add(org.delivery)
    org.failure = JobFailure(job="cascade.findings.jobs.snapshot_workspace", workspace_id=ws.id,
                             arguments={"args": [], "kwargs": {"workspace_id": ws.id,
                                                               "as_of": "2026-01-01"}},
                             error="OperationalError: gone", attempts=4)
    db.session.add(org.failure)
    org.api_token = make_token(ws, people["member"], ["read"])[0]
    db.session.add(org.pulse)
    org.session = FacilitatedSession(workspace_id=ws.id, key="review", code="abc234",
                                     title="Review", template="coherence_review", pulse=org.pulse)
    db.session.add(org.session)
    db.session.commit()
    return org


class SavedTables:
    """Every row of every table, to put the world back after a request changed it."""

    def __init__(self):
        self.rows = self._read()

    @staticmethod
    def _read() -> dict:
        return {table.name: [dict(row._mapping) for row in db.session.execute(
            sa.select(table).order_by(*table.primary_key.columns))]
            for table in db.metadata.sorted_tables}

    def unchanged(self) -> bool:
        db.session.rollback()
        same = self._read() == self.rows
        db.session.rollback()
        return same

    def restore(self) -> None:
        db.session.rollback()
        db.session.expunge_all()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        for table in db.metadata.sorted_tables:
            if self.rows[table.name]:
                db.session.execute(table.insert(), self.rows[table.name])
        db.session.commit()


def url_for_rule(rule, w) -> str:
    values = {}
    for name in rule.arguments:
        candidates = (f"{rule.endpoint}:{name}", f"{rule.endpoint.partition('.')[0]}:{name}")
        source = next((c for c in candidates if c in URL_VALUES), name)
        if source not in URL_VALUES:
            pytest.fail(f"route {rule.rule} ({rule.endpoint}) has the URL variable <{name}> "
                        f"that the access matrix cannot fill: add {name!r} to URL_VALUES in "
                        f"{__file__}")
        value = URL_VALUES[source](w)
        if isinstance(rule._converters.get(name), IntegerConverter):
            value = value.id
        elif hasattr(value, "key"):
            value = value.key
        elif hasattr(value, "slug"):
            value = value.slug
        elif hasattr(value, "id"):
            value = value.id
        values[name] = value
    return rule.build(values, append_unknown=False)[1]


def expected(role: str, allowed: frozenset[str], in_workspace: bool) -> str:
    if role in allowed:
        return "allowed"
    if role == "anonymous":
        return "sign-in"
    return "404" if role == "outsider" and in_workspace else "403"


def check(response, outcome: str) -> str | None:
    """What is wrong with the response, or None."""
    status = response.status_code
    if outcome == "allowed":
        return None if status < 500 and status not in (403, 404) else f"got {status}"
    if outcome == "sign-in":
        where = response.headers.get("Location", "")
        return None if status == 302 and where.startswith("/sign-in") else \
            f"got {status} {where}, expected a redirect to sign in"
    return None if str(status) == outcome else f"got {status}, expected {outcome}"


def served_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            continue  # test_api_matrix.py
        methods = rule.methods - {"HEAD", "OPTIONS"}
        yield rule, sorted(methods)


def test_every_view_carries_an_access_mark(app):
    unmarked = sorted(endpoint for endpoint, view in app.view_functions.items()
                      if endpoint not in UNMARKED and not hasattr(view, "access"))
    assert "api.workspace" in app.view_functions  # the API's views are checked here too
    assert not unmarked, (f"views without @requires/@public/@signed_in: {unmarked}")


def test_every_route_is_in_the_matrix(app):
    missing = sorted({rule.endpoint for rule, _ in served_rules(app)} - set(MATRIX))
    assert not missing, f"add these endpoints to MATRIX in {__file__}: {missing}"
    stale = sorted(set(MATRIX) - {rule.endpoint for rule, _ in served_rules(app)})
    assert not stale, f"MATRIX lists endpoints the app does not have: {stale}"
    for rule, methods in served_rules(app):
        assert set(methods) <= {"GET", "POST"}, f"{rule.endpoint}: teach the matrix {methods}"
        assert set(methods) == set(MATRIX[rule.endpoint]), \
            f"{rule.endpoint} serves {methods}; MATRIX lists {sorted(MATRIX[rule.endpoint])}"


def test_public_marks_agree_with_the_matrix(app):
    for endpoint, view in app.view_functions.items():
        anonymous_ok = any("anonymous" in roles for roles in MATRIX.get(endpoint, {}).values())
        if endpoint in UNMARKED or endpoint not in MATRIX or endpoint.startswith("api."):
            continue
        assert (view.access == "public") == anonymous_ok, \
            f"{endpoint} is marked {view.access!r} but the matrix says anonymous " \
            f"{'may' if anonymous_ok else 'may not'} use it"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, login, world, role):
    client = app.test_client()
    person = None
    if role != "anonymous":  # the world is restored between requests: keep the id, not the row
        person = SimpleNamespace(get_id=world.people[role].get_id().format)
    saved = SavedTables()
    wrong: list[str] = []
    rules = [(rule, methods, url_for_rule(rule, world)) for rule, methods in served_rules(app)]
    db.session.rollback()
    for method in ("GET", "POST"):
        for rule, methods, url in rules:
            if method not in methods:
                continue
            if person is not None:
                login(person, on=client)
            outcome = expected(role, MATRIX[rule.endpoint][method], "workspace" in rule.arguments)
            with app.app_context():  # a request of its own: nothing cached from the last one
                response = client.open(url, method=method, data={})
                response.close()
            if problem := check(response, outcome):
                wrong.append(f"{role} {method} {url} ({rule.endpoint}): {problem}")
            if method == "POST" and outcome == "allowed" and response.status_code < 400:
                saved.restore()
            elif outcome != "allowed" and not saved.unchanged():
                wrong.append(f"{role} {method} {url} ({rule.endpoint}) was refused but "
                             "changed the database")
                saved.restore()
            client.delete_cookie("session")
    assert not wrong, "\n".join(wrong)


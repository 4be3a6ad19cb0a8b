"""Small keyword-default builders for test data, committed like real requests would."""

from __future__ import annotations

import pytest

from cascade.db import db
from cascade.models import Membership, Node, NodeRevision, Note, Person, Role, Unit, Workspace
from cascade.organisation import passwords

PASSWORD = "correct horse battery"


_hashes: dict[tuple, str] = {}


def _password_hash() -> str:
    """PASSWORD hashed once per set of argon2 parameters (the suite's light ones, or the
    real ones for `real_password_hashing` tests)."""
    hasher = passwords.hasher
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _hashes:
        _hashes[key] = passwords.hash_password(PASSWORD)
    return _hashes[key]


def make_workspace(slug="acme", name="Acme Digital", **kw) -> Workspace:
    ws = Workspace(slug=slug, name=name, **kw)
    db.session.add(ws)
    db.session.flush()
    return ws


def make_unit(ws, key, name=None, parent=None, **kw) -> Unit:
    unit = Unit(workspace=ws, key=key, name=name or key.title(), parent=parent, **kw)
    db.session.add(unit)
    db.session.flush()
    return unit


def make_person(email="lea@acme.test", name=None, roles=(), **kw) -> Person:
    """A person with a known password; `roles` is a list of (unit, role)."""
    person = Person(email=email, name=name or email.split("@")[0].title(),
                    password_hash=_password_hash(), **kw)
    db.session.add(person)
    for unit, role in roles:
        db.session.add(Membership(workspace_id=unit.workspace_id, person=person, unit=unit,
                                  role=Role(role)))
    db.session.flush()
    return person


def make_node(ws, unit, key, title=None, parent=None, status="agreed", statement="", **kw):
    node = Node(workspace_id=ws.id, unit=unit, key=key, title=title or key.replace("-", " "),
                statement=statement, parent=parent, status=status, **kw)
    if parent is not None and "parent_revision_seen" not in kw:
        node.parent_revision_seen = parent.revision
    node.revisions.append(NodeRevision(revision=node.revision or 1, title=node.title,
                                       statement=statement))
    db.session.add(node)
    db.session.flush()
    return node


def make_note(node, author=None, unit=None, kind="feasibility", stance="concern", body="Hm.",
              **kw) -> Note:
    note = Note(workspace_id=node.workspace_id, node=node, author=author, unit=unit, kind=kind,
                stance=stance, body=body, **kw)
    db.session.add(note)
    db.session.flush()
    return note


@pytest.fixture
def org(app):
    """A small organisation: Acme with two tribes and three teams, and one person per role."""
    ws = make_workspace()
    root = make_unit(ws, "acme", "Acme Digital")
    shop = make_unit(ws, "shop", "Shopping", parent=root)
    checkout = make_unit(ws, "checkout", "Checkout", parent=shop)
    search = make_unit(ws, "search", "Search", parent=shop)
    platform = make_unit(ws, "platform", "Platform", parent=root)
    payments = make_unit(ws, "payments", "Payments", parent=platform)
    people = {
        "leader": make_person("lea@acme.test", "Lea", [(root, "leader")]),
        "tribe_leader": make_person("omar@acme.test", "Omar", [(shop, "leader")]),
        "member": make_person("sam@acme.test", "Sam", [(checkout, "member")]),
        "coach": make_person("chloe@acme.test", "Chloé", [(root, "coach")]),
        "admin": make_person("ada@acme.test", "Ada", [(root, "admin")]),
    }
    outsider_ws = make_workspace("other", "Other Org")
    other_root = make_unit(outsider_ws, "other", "Other Org")
    people["outsider"] = make_person("eve@other.test", "Eve", [(other_root, "admin")])
    db.session.commit()

    class Org:
        workspace = ws
        units = {"acme": root, "shop": shop, "checkout": checkout, "search": search,
                 "platform": platform, "payments": payments}
        password = PASSWORD
    Org.people = people
    return Org


def make_pulse(ws, units, node=None, texts=("I understand how this relates to my team's work",),
               key="p1", status="open", opens_on=None, closes_on=None, **kw):
    """A pulse with one statement per text about `node` (its own node by default)."""
    from cascade.models import Pulse, PulseStatement

    pulse = Pulse(workspace_id=ws.id, key=key, title=kw.pop("title", key.upper()), node=node,
                  status=status, opens_on=opens_on, closes_on=closes_on, units=list(units), **kw)
    pulse.statements = [PulseStatement(position=i, text=t, node=node)
                        for i, t in enumerate(texts)]
    db.session.add(pulse)
    db.session.flush()
    return pulse


def make_answers(statement, unit, values, role="member", comments=()):
    """Anonymous answers as an import would store them (no respondent)."""
    from cascade.models import PulseAnswer

    comments = list(comments) + [None] * (len(values) - len(comments))
    for value, comment in zip(values, comments, strict=True):
        db.session.add(PulseAnswer(statement_id=statement.id, unit_id=unit.id, value=value,
                                   role=role, comment=comment, shown_value=value,
                                   shown_role=role, shown_comment=comment))
    db.session.flush()


def make_measure(node, key="m1", name="Orders per day", **kw):
    """A live measure on `node` (increase from 0 to 100 unless told otherwise)."""
    from cascade.models import Measure

    kw.setdefault("baseline", 0)
    kw.setdefault("target", 100)
    measure = Measure(workspace_id=node.workspace_id, node=node, key=key, name=name, **kw)
    db.session.add(measure)
    db.session.flush()
    return measure


def make_check_in(measure, value, author=None, unit=None, **kw):
    from cascade.models import CheckIn

    check_in = CheckIn(workspace_id=measure.workspace_id, measure=measure, value=value,
                       author=author, unit=unit, **kw)
    db.session.add(check_in)
    db.session.flush()
    return check_in


def make_token(ws, person, scopes=("read",), name="Sync", days=None):
    """An API token for `person` in `ws` and its secret, as the tokens page makes one."""
    from datetime import timedelta

    from cascade import clock
    from cascade.models import ApiToken
    from cascade.organisation import tokens

    secret = tokens.PREFIX + tokens.secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken(workspace_id=ws.id, person_id=person.id, name=name,
                     prefix=secret[:len(tokens.PREFIX) + 6], token_hash=tokens.digest(secret),
                     scopes=list(scopes), created_at=now,
                     expires_at=now + timedelta(days=days) if days else None)
    db.session.add(token)
    db.session.flush()
    return token, secret

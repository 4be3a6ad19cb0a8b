"""Nodes of the strategy with their links, one node with its revisions, and the writes the
node page offers, through the same operations and policy."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g
from pydantic import Field
from sqlalchemy.orm import aliased, joinedload

from cascade import clock
from cascade.api import bp
from cascade.api import schemas as s
from cascade.api.pages import ListQuery, page
from cascade.api.spec import allow, operation
from cascade.db import committed, db
from cascade.models import Link, Node, NodeRevision, Unit
from cascade.refusals import Refusal
from cascade.strategy import operations as ops
from cascade.views.load import node_by_key, unit_by_key
from cascade.vocabulary import NodeStatus

NodePage = s.page_of(s.Node)


class NodeQuery(ListQuery):
    unit: s.Key | None = Field(None, description="Only nodes of this unit (its key).")
    status: NodeStatus | None = None
    parent: s.Key | None = Field(None, description="Only children of this node (its key).")


def links_of(node_ids: list[int]) -> dict[int, list[s.LinkOut]]:
    """The links leaving these nodes, in one query."""
    if not node_ids:
        return {}
    target = aliased(Node)
    found: dict[int, list[s.LinkOut]] = {}
    for source_id, kind, key in db.session.execute(
            sa.select(Link.source_id, Link.kind, target.key)
            .join(target, target.id == Link.target_id)
            .where(Link.source_id.in_(node_ids)).order_by(Link.id)):
        found.setdefault(source_id, []).append(s.LinkOut(kind=str(kind), target=key))
    return found


def node_out(node: Node, unit_key: str, parent_key: str | None, links, revisions=None) -> s.Node:
    return s.Node(key=node.key, title=node.title, statement=node.statement, unit=unit_key,
                  parent=parent_key, status=str(node.status), horizon=node.horizon,
                  revision=node.revision, parent_revision_seen=node.parent_revision_seen,
                  agreed_at=node.agreed_at, created_at=node.created_at,
                  updated_at=node.updated_at, version=node.version, links=links,
                  revisions=revisions)


@operation(bp, "/w/<workspace>/nodes", "GET", summary="Nodes, with their links", scope="read",
           action="node.view", query=NodeQuery, response=NodePage, tags=("strategy",))
def nodes(query: NodeQuery):
    parent = aliased(Node)
    statement = (sa.select(Node, Unit.key, parent.key).join(Unit, Unit.id == Node.unit_id)
                 .outerjoin(parent, parent.id == Node.parent_id)
                 .where(Node.workspace_id == g.workspace.id))
    if query.unit:
        statement = statement.where(Unit.key == query.unit)
    if query.status:
        statement = statement.where(Node.status == query.status)
    if query.parent:
        statement = statement.where(parent.key == query.parent)
    rows, following = page(statement, Node.id, query, Node.updated_at)
    links = links_of([n.id for n, *_ in rows])
    return NodePage(items=[node_out(n, unit, parent_key, links.get(n.id, []))
                           for n, unit, parent_key in rows], next=following)


@operation(bp, "/w/<workspace>/nodes/<key>", "GET", summary="One node with its revisions",
           scope="read", action="node.view", load=node_by_key, response=s.Node,
           tags=("strategy",))
def node(found: Node):
    return node_detail(found)


def node_detail(found: Node) -> s.Node:
    revisions = db.session.scalars(sa.select(NodeRevision).where(
        NodeRevision.node_id == found.id).options(joinedload(NodeRevision.author))
        .order_by(NodeRevision.revision))
    return node_out(found, found.unit.key, found.parent.key if found.parent else None,
                    links_of([found.id]).get(found.id, []),
                    [s.Revision(revision=r.revision, title=r.title, statement=r.statement,
                                author=r.author.name if r.author else None,
                                created_at=r.created_at) for r in revisions])


# ---- writes: the web's node operations, with the web's checks -------------------------

def _unit_named(key: str) -> Unit:
    unit = unit_by_key(key)
    if unit is None:
        raise Refusal("unit", "No unit has that key.")
    if unit.archived:
        raise Refusal("unit", "That unit is archived.")
    return unit


def _node_named(key: str, field: str) -> Node:
    found = node_by_key(key)
    if found is None:
        raise Refusal(field, "No node has that key.")
    return found


@operation(bp, "/w/<workspace>/nodes", "POST", summary="Create a draft node",
           scope="write:strategy", action="node.create", body=s.NodeCreate, response=s.Node,
           status=201, tags=("strategy",))
def create_node(body: s.NodeCreate):
    unit = _unit_named(body.unit)
    allow("node.create", unit.id)
    parent = _node_named(body.parent, "parent") if body.parent else None
    created = committed(lambda: ops.create_node(
        g.workspace, unit, body.title, g.person, statement=body.statement, parent=parent,
        horizon=body.horizon, key=body.key))
    return node_detail(created)


@operation(bp, "/w/<workspace>/nodes/<key>", "PATCH",
           summary="Revise a node's title, statement or horizon", scope="write:strategy",
           action="node.edit", load=node_by_key, body=s.NodePatch, response=s.Node,
           conditional=True, tags=("strategy",))
def edit_node(found: Node, body: s.NodePatch):
    sent = body.model_fields_set
    ops.edit_node(found, found.version, g.person,
                  title=body.title if body.title is not None else found.title,
                  statement=body.statement if body.statement is not None else found.statement,
                  horizon=body.horizon if "horizon" in sent else found.horizon,
                  confirm_parent=body.confirm_parent)
    db.session.commit()
    return node_detail(found)


@operation(bp, "/w/<workspace>/nodes/<key>/status", "POST",
           summary="Move a node along draft → proposed → agreed → retired",
           scope="write:strategy", action="node.edit", load=node_by_key, body=s.StatusChange,
           response=s.Node, tags=("strategy",))
def node_status(found: Node, body: s.StatusChange):
    allow("node.status", (found, body.status))
    live = [c.key for c in found.children if c.status != NodeStatus.RETIRED]
    if body.status == NodeStatus.RETIRED and live and not body.confirm:
        raise Refusal("confirm", f"{len(live)} live node(s) build on this one ("
                                 f"{', '.join(live[:5])}); send confirm: true to retire it "
                                 "anyway.")
    ops.set_status(found, body.status, by=g.person, now=clock.now())
    db.session.commit()
    return node_detail(found)


@operation(bp, "/w/<workspace>/nodes/<key>/translations", "POST",
           summary="Translate a node for one of your units", scope="write:strategy",
           action="node.translate", load=node_by_key, body=s.TranslationCreate,
           response=s.Node, status=201, tags=("strategy",))
def translate_node(parent: Node, body: s.TranslationCreate):
    unit = _unit_named(body.unit)
    if unit.id not in g.actor.translation_targets(parent.unit_id):
        raise Refusal("unit", "Translate it for one of your own units below its unit.")
    child = committed(lambda: ops.translate(g.workspace, parent, unit, body.title, g.person))
    return node_detail(child)


@operation(bp, "/w/<workspace>/nodes/<key>/confirm", "POST",
           summary="Confirm a translation against its parent as it stands",
           scope="write:strategy", action="node.edit", load=node_by_key, response=s.Node,
           tags=("strategy",))
def confirm_node(found: Node):
    if found.parent is None:
        raise Refusal("parent", "This node has no parent to confirm against.")
    ops.confirm(found, by=g.person)
    db.session.commit()
    return node_detail(found)


@operation(bp, "/w/<workspace>/nodes/<key>/links", "POST",
           summary="Link a node to another (depends_on or contributes_to)",
           scope="write:strategy", action="node.link", load=node_by_key, body=s.LinkCreate,
           response=s.Node, status=201, tags=("strategy",))
def link_node(found: Node, body: s.LinkCreate):
    ops.add_link(found, _node_named(body.target, "target"), body.kind, by=g.person)
    db.session.commit()
    return node_detail(found)

"""Nodes of the strategy with their links, and one node with its revisions."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g
from pydantic import Field
from sqlalchemy.orm import aliased, joinedload

from cascade.api import bp
from cascade.api import schemas as s
from cascade.api.pages import ListQuery, page
from cascade.api.spec import operation
from cascade.db import db
from cascade.models import Link, Node, NodeRevision, Unit
from cascade.views.load import node_by_key
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

"""Authoring the strategy: create, translate, revise, move, link and change status."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from cascade import audit, keys
from cascade.db import db
from cascade.feedback.operations import answer_note
from cascade.models import (
    Link,
    LinkKind,
    Node,
    NodeRevision,
    NodeStatus,
    Note,
    NoteStatus,
    Person,
    Unit,
    Workspace,
)
from cascade.notifications.events import emit
from cascade.refusals import Conflict, Refusal
from cascade.strategy import agreements
from cascade.vocabulary import AgreementState, EventKind

# Who may take each step is the policy's call (`node.status`); which steps exist is this map's.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    NodeStatus.DRAFT: (NodeStatus.PROPOSED, NodeStatus.RETIRED),
    NodeStatus.PROPOSED: (NodeStatus.AGREED, NodeStatus.DRAFT, NodeStatus.RETIRED),
    NodeStatus.AGREED: (NodeStatus.RETIRED,),
    NodeStatus.RETIRED: (NodeStatus.DRAFT,),
}


def unique_key(ws_id: int, title: str) -> str:
    """A key made from the title, numbered when taken; it never changes afterwards."""
    base = keys.slugify(title) or "node"
    taken = set(db.session.scalars(sa.select(Node.key).where(
        Node.workspace_id == ws_id, Node.key.like(f"{base}%"))))
    return keys.free_key(base, taken)


def create_node(ws: Workspace, unit: Unit, title: str, author: Person | None, *,
                statement: str = "", parent: Node | None = None, horizon: str | None = None,
                key: str | None = None) -> Node:
    """A new draft node at revision 1; a child records the parent revision it was written for."""
    if key:
        if problem := keys.key_problem(key):
            raise Refusal("key", problem)
        if db.session.scalar(sa.select(Node.id).where(Node.workspace_id == ws.id,
                                                      Node.key == key)):
            raise Refusal("key", f"The key {key!r} is already used in this workspace.")
    node = Node(workspace_id=ws.id, key=key or unique_key(ws.id, title), title=title,
                statement=statement, unit=unit, parent=parent, horizon=horizon or None,
                status=NodeStatus.DRAFT, revision=1,
                parent_revision_seen=parent.revision if parent is not None else None)
    node.revisions.append(NodeRevision(revision=1, title=title, statement=statement,
                                       author=author))
    db.session.add(node)
    db.session.flush()
    audit.record(author, ws.id, "node.create", "node", node.key,
                 after={"title": title, "unit": unit.key,
                        "parent": parent.key if parent is not None else None})
    emit(EventKind.NODE_CREATED, author, ws.id, node=node,
         parent=parent.key if parent is not None else None)
    return node


def translate(ws: Workspace, parent: Node, unit: Unit, title: str, author: Person, *,
              statement: str = "") -> Node:
    """A child of `parent` owned by `unit`, confirmed against the parent as it stands, with
    its title and (when given in the same form) its statement."""
    if parent.status == NodeStatus.RETIRED:
        raise Refusal("title", "A retired node cannot be translated.")
    return create_node(ws, unit, title, author, statement=statement, parent=parent,
                       horizon=parent.horizon)


def edit_node(node: Node, loaded_version: int, author: Person, *, title: str, statement: str,
              horizon: str | None, confirm_parent: bool = False, answers: list[Note] = (),
              response: str = "") -> bool:
    """Save an edit made on the version the form loaded; returns whether a revision was made.

    Notes ticked as answered by this revision are incorporated, pointing at it, through the
    same answer every note gets (`feedback.operations.answer_note`).
    """
    if loaded_version != node.version:
        raise Conflict()
    if answers and not response.strip():
        raise Refusal("response", "Say how the revision answers the ticked notes.")
    before, after = audit.changes(node, ["title", "statement", "horizon"],
                                  {"title": title, "statement": statement,
                                   "horizon": horizon or None})
    was_current = [c for c in node.children if c.unit_id != node.unit_id
                   and c.status != NodeStatus.RETIRED
                   and c.parent_revision_seen is not None
                   and c.parent_revision_seen >= node.revision]
    revised = node.revise(title, statement, author)
    node.horizon = horizon or None
    if confirm_parent:
        node.confirm_parent()
    db.session.flush()
    for note in answers:
        answer_note(note, author, status=NoteStatus.INCORPORATED, response=response,
                    revision=node.revision)
    if before or confirm_parent or answers:
        after |= {"revision": node.revision, "notes_incorporated": [n.id for n in answers]}
        audit.record(author, node.workspace_id, "node.edit", "node", node.key, before, after)
    if revised:
        emit(EventKind.NODE_REVISED, author, node.workspace_id, node=node,
             revision=node.revision)
        for child in was_current:
            emit(EventKind.TRANSLATION_STALE, author, node.workspace_id, node=child,
                 parent=node.key, parent_title=node.title, revision=node.revision)
    return revised


def set_status(node: Node, target: str, *, by: Person | None, now: datetime) -> None:
    """Move a node one step along the workflow; marking it agreed records when (`agreed_at`,
    from which the grace before UNCOVERED and ONE_WAY runs)."""
    current = str(node.status)
    if target not in TRANSITIONS.get(current, ()):
        raise Refusal("status", f"A {current} node cannot become {target}.")
    node.status = NodeStatus(target)
    if target == NodeStatus.AGREED:
        node.agreed_at = now
    db.session.flush()
    audit.record(by, node.workspace_id, "node.status", "node", node.key,
                 {"status": current}, {"status": target})
    emit(EventKind.NODE_STATUS, by, node.workspace_id, node=node, before=current, status=target)


def confirm(node: Node, *, by: Person | None) -> None:
    """The owners read the parent's new revision and their translation still holds."""
    before = node.parent_revision_seen
    node.confirm_parent()
    db.session.flush()
    audit.record(by, node.workspace_id, "node.confirm", "node", node.key,
                 {"parent_revision_seen": before},
                 {"parent_revision_seen": node.parent_revision_seen})


def move(node: Node, new_parent: Node | None, parent_of: dict[int, int | None], *,
         by: Person | None) -> None:
    """Re-parent a node; a parent inside the node's own subtree would close a loop."""
    current = new_parent.id if new_parent is not None else None
    while current is not None:
        if current == node.id:
            raise Refusal("parent", "That would put the node under itself.")
        current = parent_of.get(current)
    before = node.parent.key if node.parent is not None else None
    node.parent = new_parent
    node.parent_revision_seen = new_parent.revision if new_parent is not None else None
    db.session.flush()
    audit.record(by, node.workspace_id, "node.move", "node", node.key, {"parent": before},
                 {"parent": new_parent.key if new_parent is not None else None})


def add_link(node: Node, target: Node, kind: str, *, by: Person | None) -> Link:
    """A depends_on or contributes_to edge; a node never links to itself, nor twice. A
    dependency on another unit's node is a request to that unit (`agreements`)."""
    if target.id == node.id:
        raise Refusal("target", "A node cannot link to itself.")
    if db.session.scalar(sa.select(Link.id).where(Link.source_id == node.id,
                                                  Link.target_id == target.id,
                                                  Link.kind == kind)):
        raise Refusal("target", "That link already exists.")
    state = agreements.initial_state(node, target, kind)
    link = Link(workspace_id=node.workspace_id, source_id=node.id, target_id=target.id,
                kind=LinkKind(kind), state=state,
                requested_by_id=by.id if by is not None else None)
    db.session.add(link)
    db.session.flush()
    audit.record(by, node.workspace_id, "link.add", "node", node.key,
                 after={"kind": kind, "target": target.key, "state": str(state)})
    if state == AgreementState.REQUESTED:  # the providing unit hears of it
        emit(EventKind.DEPENDENCY_REQUESTED, by, node.workspace_id, node=target,
             source=node.key, source_title=node.title, source_unit=node.unit.name)
    return link


def remove_link(link: Link, node: Node, target_key: str, *, by: Person | None) -> None:
    db.session.delete(link)
    db.session.flush()
    audit.record(by, node.workspace_id, "link.remove", "node", node.key,
                 before={"kind": str(link.kind), "target": target_key})


def search(ws: Workspace, text: str, limit: int = 20) -> list[dict]:
    """Nodes whose key or title contains the text, for the link and parent pickers."""
    needle = f"%{text.strip().lower()}%"
    rows = db.session.execute(
        sa.select(Node.key, Node.title, Node.status, Unit.name).join(Unit, Unit.id == Node.unit_id)
        .where(Node.workspace_id == ws.id,
               sa.or_(sa.func.lower(Node.title).like(needle), Node.key.like(needle)))
        .order_by(Node.title).limit(limit)).all()
    return [{"key": k, "title": t, "status": str(s), "unit": u} for k, t, s, u in rows]

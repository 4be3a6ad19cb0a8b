"""The strategy tree: nodes with their revision history, and the links across it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cascade.coherence import definitions
from cascade.db import choice, db, utcnow
from cascade.models.workspace import Person, Unit
from cascade.vocabulary import AgreementState, LinkKind, NodeStatus


class Node(db.Model):
    """One element of the strategy, owned by a unit; `revision` counts title/statement changes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # looked up through the (workspace_id, key) unique index, which starts with it
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(80))
    title: Mapped[str] = mapped_column(sa.String(200))
    statement: Mapped[str] = mapped_column(sa.Text, default="")
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("node.id"), index=True)
    status: Mapped[NodeStatus] = mapped_column(choice(NodeStatus, "node_status"),
                                               default=NodeStatus.DRAFT)
    horizon: Mapped[str | None] = mapped_column(sa.String(40))
    revision: Mapped[int] = mapped_column(default=1)
    parent_revision_seen: Mapped[int | None]
    # when it was last marked agreed (`strategy.operations.set_status`); unknown for nodes
    # imported without it, which count as agreed long ago
    agreed_at: Mapped[datetime | None]
    # the node of an earlier horizon this one carries on ("close the quarter")
    carried_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("node.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    unit: Mapped[Unit] = relationship()
    parent: Mapped[Node | None] = relationship(remote_side=[id], back_populates="children",
                                               foreign_keys=[parent_id])
    children: Mapped[list[Node]] = relationship(back_populates="parent",
                                                foreign_keys=[parent_id])
    carried_from: Mapped[Node | None] = relationship(remote_side=[id],
                                                     foreign_keys=[carried_from_id])
    revisions: Mapped[list[NodeRevision]] = relationship(
        back_populates="node", cascade="all, delete-orphan", passive_deletes=True,
        order_by="NodeRevision.revision")

    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "key"),
        sa.CheckConstraint("revision >= 1", name="revision_positive"),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def live(self) -> bool:
        """Takes part in the analysis: not retired, in a unit that is not archived."""
        return definitions.live(self.status, not self.unit.archived)

    @property
    def is_stale(self) -> bool:
        """The engine's definition (`coherence.definitions.stale`), for a loaded node."""
        parent = self.parent
        return parent is not None and definitions.stale(
            self.parent_revision_seen, parent.revision, node_live=self.live,
            parent_live=parent.live)

    def revise(self, title: str, statement: str, author: Person | None) -> bool:
        """Record a new revision when the title or statement changes; returns whether it did."""
        if title == self.title and statement == self.statement:
            return False
        self.title, self.statement = title, statement
        self.revision += 1
        self.revisions.append(NodeRevision(revision=self.revision, title=title,
                                           statement=statement, author=author))
        return True

    def confirm_parent(self) -> None:
        """The owners have read the parent as it stands now."""
        if self.parent is not None:
            self.parent_revision_seen = self.parent.revision

    def __repr__(self) -> str:
        return f"<Node {self.key} r{self.revision}>"


class NodeRevision(db.Model):
    """Title and statement as they stood at one revision: the history diffs are made from."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # looked up through the (node_id, revision) unique index, which starts with it
    node_id: Mapped[int] = mapped_column(sa.ForeignKey("node.id", ondelete="CASCADE"))
    revision: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    statement: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    node: Mapped[Node] = relationship(back_populates="revisions")
    author: Mapped[Person | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("node_id", "revision"),)


class Link(db.Model):
    """A cross-tree edge: `depends_on` (needs that delivered) or `contributes_to`.

    A `depends_on` link to another unit's node is a request to that unit (`state`, see
    `strategy.agreements`); within one unit, and for `contributes_to`, it is `committed`.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    # looked up through the (source_id, target_id, kind) unique index, which starts with it
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("node.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(sa.ForeignKey("node.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[LinkKind] = mapped_column(choice(LinkKind, "link_kind"))
    state: Mapped[AgreementState] = mapped_column(
        choice(AgreementState, "agreement_state"), default=AgreementState.COMMITTED,
        server_default=AgreementState.COMMITTED.value)
    needed_by: Mapped[str | None] = mapped_column(sa.String(40))
    response: Mapped[str | None] = mapped_column(sa.Text)
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL"))
    responded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL"))
    responded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    source: Mapped[Node] = relationship(foreign_keys=[source_id])
    target: Mapped[Node] = relationship(foreign_keys=[target_id])
    requested_by: Mapped[Person | None] = relationship(foreign_keys=[requested_by_id])
    responded_by: Mapped[Person | None] = relationship(foreign_keys=[responded_by_id])

    __table_args__ = (
        sa.UniqueConstraint("source_id", "target_id", "kind"),
        sa.CheckConstraint("source_id <> target_id", name="no_self_link"),
    )
    __mapper_args__ = {"version_id_col": version}

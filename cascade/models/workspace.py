"""Who and where: workspaces, their unit tree, people and the roles they hold per unit."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cascade.db import choice, db, utcnow
from cascade.vocabulary import Role


class Workspace(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # rises by one in each transaction that changes anything the analysis reads (any row
    # of the workspace's strategy, feedback, pulses, units or roles): `findings.versions`
    data_version: Mapped[int] = mapped_column(default=1, server_default="1")

    units: Mapped[list[Unit]] = relationship(back_populates="workspace",
                                             cascade="all, delete-orphan",
                                             passive_deletes=True)
    memberships: Mapped[list[Membership]] = relationship(back_populates="workspace",
                                                         cascade="all, delete-orphan",
                                                         passive_deletes=True)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Workspace {self.slug}>"


class Unit(db.Model):
    """A part of the organisation; units form a tree: system → team of teams → team."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # looked up through the (workspace_id, key) unique index, which starts with it
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(200))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"),
                                                  index=True)
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    workspace: Mapped[Workspace] = relationship(back_populates="units")
    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")
    memberships: Mapped[list[Membership]] = relationship(back_populates="unit",
                                                         cascade="all, delete-orphan",
                                                         passive_deletes=True)

    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "key"),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Unit {self.key}>"


class Person(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Changing the token ends every session signed with the old one (sign-out, new password).
    session_token: Mapped[str] = mapped_column(sa.String(64),
                                               default=lambda: secrets.token_urlsafe(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]

    memberships: Mapped[list[Membership]] = relationship(back_populates="person",
                                                         cascade="all, delete-orphan",
                                                         passive_deletes=True)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Invalidate every cookie issued so far."""
        self.session_token = secrets.token_urlsafe(32)

    def __repr__(self) -> str:
        return f"<Person {self.email}>"


class Membership(db.Model):
    """A person's role in one unit; coach and admin roles reach the whole workspace."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    # looked up through the (person_id, unit_id, role) unique index, which starts with it
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(choice(Role, "role"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    workspace: Mapped[Workspace] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(back_populates="memberships")
    unit: Mapped[Unit] = relationship(back_populates="memberships")

    __table_args__ = (sa.UniqueConstraint("person_id", "unit_id", "role"),)


class Invitation(db.Model):
    """A single-use, expiring link that makes someone a member of a unit with a role."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                                              index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(choice(Role, "role"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]

    workspace: Mapped[Workspace] = relationship()
    unit: Mapped[Unit] = relationship()
    invited_by: Mapped[Person | None] = relationship()


class PasswordReset(db.Model):
    """A single-use, expiring link to choose a new password; only a SHA-256 of the token
    is stored, as for invitations."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship()

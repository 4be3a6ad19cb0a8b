"""An admin's upload of a workspace file through the web: the file's own problems plus the
ones that matter when a person, not an operator, imports it.

From a workspace, an admin may restore that workspace (with replace) or create a new one;
never overwrite a workspace they are not in, and never import a file that would leave them
without admin access to what they imported.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import current_app

from cascade import interchange
from cascade.db import db
from cascade.interchange import reading
from cascade.models import Membership, Person, Workspace


def parse(data: bytes) -> dict:
    """The uploaded bytes as JSON within the import limits (`reading`), or an InvalidFile
    naming the whole document ("$")."""
    return reading.read(data, reading.Limits.from_config(current_app.config))


def access_problems(doc: dict, into: Workspace, email: str) -> list[tuple[str, str]]:
    """What a valid file may not do when uploaded from `into` by the admin `email`."""
    found = []
    slug = doc["workspace"]["slug"]
    if slug != into.slug and db.session.scalar(
            sa.select(Workspace.id).where(Workspace.slug == slug)) is not None:
        found.append(("$.workspace.slug", f"workspace {slug!r} is another workspace; import "
                                          f"into {into.slug!r} or choose a new slug"))
    roles = [m.get("role") for p in doc.get("people", []) if p["email"].lower() == email.lower()
             for m in p.get("memberships", [])]
    if "admin" not in roles:
        found.append(("$.people", f"the file does not make you ({email}) an admin, so you "
                                  f"would lose access to {slug!r}; add an admin membership"))
    return found


def checked(data: bytes, into: Workspace, by: Person) -> dict:
    """The uploaded file as a document with no problem at all (its own, and what an admin
    may not do), or InvalidFile listing every one; changes nothing."""
    doc = parse(data)
    found = interchange.problems(doc)
    if not found:
        found = access_problems(doc, into, by.email)
    if found:
        raise interchange.InvalidFile(found)
    return doc


def import_upload(data: bytes, into: Workspace, by: Person,
                  replace: bool) -> tuple[Workspace, interchange.Enrolment]:
    """Validate everything, then load as imported `by` the admin; raises InvalidFile with
    every problem found. A file enrols nobody: only people who already hold a role in the
    workspace it replaces (and the admin) get roles; everyone else in it is invited."""
    doc = checked(data, into, by)
    members = {by.email}
    if doc["workspace"]["slug"] == into.slug:
        members |= set(db.session.scalars(sa.select(Person.email).join(Membership).where(
            Membership.workspace_id == into.id)))
    enrol = interchange.Enrolment(members, current_app.config["INVITATION_DAYS"])
    return interchange.load(doc, replace=replace, by=by, enrol=enrol), enrol


def export_bytes(ws: Workspace) -> bytes:
    """The workspace as a cascade/v1 file, as the CLI's `export` writes it."""
    return (json.dumps(interchange.dump(ws), ensure_ascii=False, indent=2) + "\n").encode()

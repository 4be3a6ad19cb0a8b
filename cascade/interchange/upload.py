"""An admin's upload of a workspace file through the web: the file's own problems plus the
ones that matter when a person, not an operator, imports it.

From a workspace, an admin may restore that workspace (with replace) or create a new one;
never overwrite a workspace they are not in, and never import a file that would leave them
without admin access to what they imported.
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from cascade import interchange
from cascade.db import db
from cascade.models import Person, Workspace


def parse(data: bytes) -> dict:
    """The uploaded bytes as JSON, or an InvalidFile naming the whole document ("$")."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise interchange.InvalidFile([("$", "the file is not UTF-8 text")]) from None
    except json.JSONDecodeError as error:
        raise interchange.InvalidFile([("$", f"not valid JSON ({error})")]) from None


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


def import_upload(data: bytes, into: Workspace, by: Person, replace: bool) -> Workspace:
    """Validate everything, then load as imported `by` the admin; raises InvalidFile with
    every problem found."""
    doc = parse(data)
    found = interchange.problems(doc)
    if not found:
        found = access_problems(doc, into, by.email)
    if found:
        raise interchange.InvalidFile(found)
    return interchange.load(doc, replace=replace, by=by)


def export_bytes(ws: Workspace) -> bytes:
    """The workspace as a cascade/v1 file, as the CLI's `export` writes it."""
    return (json.dumps(interchange.dump(ws), ensure_ascii=False, indent=2) + "\n").encode()

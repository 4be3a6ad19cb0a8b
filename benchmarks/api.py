"""API list pages at an organisation's size: SQL statements and time per page of every list
endpoint, on the synthetic organisation of 100 and of 20,000 nodes, in a scratch SQLite file.

    python -m benchmarks.api        (or `make bench`, which runs every section)

A page is fetched with a `read` + `admin` token of the organisation's leader, made an admin
too so that the audit trail and e-mails are in (`limit=100`): the first page, and a page
deep in the list (following `next` five times). Goal: the statements per
page are the same at both sizes, so an API page costs the same whatever the workspace size;
the times show what a page costs in-process (no server, no network), best of five.
"""

from __future__ import annotations

import time

import sqlalchemy as sa

SIZES = (100, 20_000)
PAGED = ("nodes", "notes", "units", "people", "memberships", "pulses", "measures", "audit")
DEEP = 5  # pages followed before the deep page is measured


def run() -> list[dict]:
    """Import each organisation, measure every list endpoint, print a table, return rows."""
    from benchmarks import scratch_app

    with scratch_app() as app:
        headers = {size: _workspace(size) for size in SIZES}
        rows = [_measure(app, size, path, headers[size]) for path in PAGED for size in SIZES]
    _print(rows)
    return rows


def _workspace(size: int) -> dict[str, str]:
    """Import the synthetic organisation; a token for its leader, made an admin too."""
    from benchmarks.organisation import document
    from cascade import interchange
    from cascade.db import db
    from cascade.models import Membership, Person, Role, Unit
    from cascade.organisation import tokens
    from cascade.organisation.policy import actor_for

    ws = interchange.load(document(size))
    db.session.commit()
    lead = db.session.scalar(sa.select(Person).where(Person.email == "lead@synthetic.test"))
    top = db.session.scalar(sa.select(Unit).where(Unit.workspace_id == ws.id, Unit.key == "org"))
    db.session.add(Membership(workspace_id=ws.id, person_id=lead.id, unit_id=top.id,
                              role=Role.ADMIN))  # the audit trail is for admins
    db.session.flush()
    held = db.session.scalars(sa.select(Membership).where(
        Membership.person_id == lead.id, Membership.workspace_id == ws.id)).all()
    parents = dict(db.session.execute(sa.select(Unit.id, Unit.parent_id)
                                      .where(Unit.workspace_id == ws.id)).all())
    _, secret = tokens.create_token(ws, lead, actor_for(lead.id, held, parents),
                                    name="bench", scopes=["read", "admin"], days=None)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}", "slug": ws.slug}


def _measure(app, size: int, path: str, headers: dict[str, str]) -> dict:
    from cascade.db import db

    slug = headers["slug"]
    auth = {"Authorization": headers["Authorization"]}
    client = app.test_client()
    first = f"/api/v1/w/{slug}/{path}?limit=100"
    deep, pages = first, 0
    while pages < DEEP:
        answer = client.get(deep, headers=auth)
        assert answer.status_code == 200, (deep, answer.json)
        following = answer.json["next"]
        if not following:
            break
        deep, pages = following.split("://", 1)[1].split("/", 1)[1], pages + 1
    deep = "/" + deep.lstrip("/")
    row = {"path": path, "size": size, "deep_page": pages + 1}
    for label, url in (("first", first), ("deep", deep)):
        counts, times = [], []
        for _ in range(5):
            statements = 0

            def count(*_args):
                nonlocal statements
                statements += 1
            sa.event.listen(db.engine, "before_cursor_execute", count)
            started = time.perf_counter()
            answer = client.get(url, headers=auth)
            times.append(time.perf_counter() - started)
            sa.event.remove(db.engine, "before_cursor_execute", count)
            assert answer.status_code == 200, (url, answer.json)
            counts.append(statements)
        row[f"{label}_statements"] = max(counts)
        row[f"{label}_ms"] = min(times) * 1000
        row[f"{label}_items"] = len(answer.json["items"])
    return row


def _print(rows: list[dict]) -> None:
    print("\n## API list pages: SQL statements and time per page (limit=100)\n")
    print("| endpoint | nodes | items | statements, first page | ms | page | statements "
          "| ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(f"| {row['path']} | {row['size']:,} | {row['first_items']} | "
              f"{row['first_statements']} | {row['first_ms']:.1f} | {row['deep_page']} | "
              f"{row['deep_statements']} | {row['deep_ms']:.1f} |")
    by_path: dict[str, set[int]] = {}
    for row in rows:
        by_path.setdefault(row["path"], set()).update(
            {row["first_statements"], row["deep_statements"]})
    varying = sorted(path for path, counts in by_path.items() if len(counts) > 1)
    print("\nGoal, the same statements per page at every size and depth: "
          + ("met" if not varying else "NOT met for " + ", ".join(varying)))


if __name__ == "__main__":
    run()

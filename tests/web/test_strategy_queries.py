"""The tree, node page and inbox run a fixed, small number of SQL statements."""

import pytest
import sqlalchemy as sa

from cascade import interchange
from cascade.db import db
from cascade.models import Note, Person, Reply

BUDGET = 13  # includes the content stamp that lets pages share one kept analysis, the
# measures with their check-ins the analysis reads, and the node page's own measures


def workspace_doc(slug: str, size: int) -> dict:
    """A root strategy, themes per tribe and objectives translated by the teams below."""
    units = [{"key": f"{slug}", "name": slug.title(), "parent": None}]
    units += [{"key": f"{slug}-t{i}", "name": f"Tribe {i}", "parent": slug} for i in range(4)]
    units += [{"key": f"{slug}-t{i}-team{j}", "name": f"Team {i}.{j}", "parent": f"{slug}-t{i}"}
              for i in range(4) for j in range(3)]
    nodes = [{"key": f"{slug}-root", "title": "Root", "unit": slug, "status": "agreed",
              "revision": 2}]
    number = 0
    while len(nodes) < size:
        tribe, team = number % 4, number % 3
        theme = {"key": f"{slug}-n{number}", "title": f"Theme {number}", "unit": f"{slug}-t{tribe}",
                 "parent": f"{slug}-root", "status": "agreed", "parent_revision_seen": 1}
        child = {"key": f"{slug}-n{number}-c", "title": f"Translation {number}",
                 "unit": f"{slug}-t{tribe}-team{team}", "parent": theme["key"],
                 "status": "proposed", "depends_on": [f"{slug}-n{number}"] if number else []}
        nodes += [theme, child]
        number += 1
    people = [{"email": f"member@{slug}.test", "name": "Member",
               "memberships": [{"unit": f"{slug}-t0-team0", "role": "member"},
                               {"unit": f"{slug}-t0", "role": "leader"}]}]
    notes = [{"node": f"{slug}-n0-c", "kind": "feasibility", "stance": "concern",
              "author": f"member@{slug}.test", "unit": f"{slug}-t0-team0", "body": "Hm",
              "status": "open", "created_at": "2026-01-01T09:00:00Z"},
             {"node": f"{slug}-n1", "kind": "validation", "stance": "question",
              "author": f"member@{slug}.test", "body": "Why?", "status": "declined",
              "response": "Because", "created_at": "2026-01-02T09:00:00Z"}]
    pulses = [{"key": "p1", "node": f"{slug}-root", "status": "open", "units": [f"{slug}-t0-team0"],
               "statements": [{"text": "I understand it",
                               "answers": [{"unit": f"{slug}-t0", "value": 4}]}]}]
    return {"format": "cascade/v1", "workspace": {"slug": slug, "name": slug.title()},
            "units": units, "people": people, "nodes": nodes, "notes": notes, "pulses": pulses}


@pytest.fixture
def two_sizes(app):
    for slug, size in (("small", 50), ("big", 2000)):
        interchange.load(workspace_doc(slug, size))
    db.session.commit()
    for note in db.session.scalars(sa.select(Note)):
        db.session.add(Reply(note=note, author=note.author, body="Thanks"))
    db.session.commit()


@pytest.mark.parametrize("page", ["nodes/", "nodes/{slug}-n0-c", "nodes/{slug}-root", "inbox",
                                  "nodes/{slug}-root/coverage", "nodes/?depth=6",
                                  "nodes/?q=translation&status=proposed",
                                  "nodes/{slug}-root/children",
                                  "nodes/{slug}-root/children?fragment=1&page=2"])
def test_page_runs_the_same_few_queries_at_50_and_2000_nodes(client, login, count_queries,
                                                             two_sizes, page):
    counts = {}
    for slug in ("small", "big"):
        login(db.session.scalar(sa.select(Person).where(Person.email == f"member@{slug}.test")))
        db.session.expire_all()
        url = f"/w/{slug}/" + page.format(slug=slug)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[slug] = counter.count
    assert counts["small"] == counts["big"] <= BUDGET


def test_overview_runs_the_same_queries_at_50_and_2000_nodes(client, login, count_queries,
                                                             two_sizes):
    """The overview adds to the analysis its own counts, pending pulses and the coverage
    of the top of the strategy: more statements than one page, the same at any size."""
    counts = {}
    for slug in ("small", "big"):
        login(db.session.scalar(sa.select(Person).where(Person.email == f"member@{slug}.test")))
        db.session.expire_all()
        with count_queries() as counter:
            response = client.get(f"/w/{slug}/")
        assert response.status_code == 200
        counts[slug] = counter.count
    assert counts["small"] == counts["big"] <= 20


def test_big_tree_collapses_and_shows_stale_translations(client, login, two_sizes):
    login(db.session.scalar(sa.select(Person).where(Person.email == "member@big.test")))
    page = client.get("/w/big/nodes/").get_data(as_text=True)
    # the root and the first page of its 1,000 themes are open, each with its translation
    assert page.count("<details open>") == 1 + 50
    assert page.count('class="badge stale"') == 50  # the root moved on to revision 2
    assert "Show 50 more of 1000 children" in page


def _shown(page) -> dict:
    """What the node page shows of an outline, as plain values."""
    def end(e):
        return (e.key, e.title, e.unit.name, e.status, e.stale)
    return {"entry": (*end(page.entry), page.entry.is_translation,
                      page.entry.parent.key if page.entry.parent else None,
                      [end(c) for c in page.entry.live_children]),
            "ancestors": [(a.key, a.title) for a in page.ancestors],
            "children": [(u.name, [end(c) for c in kids]) for u, kids in page.children_by_unit],
            "links": {kind: [(i, end(e)) for i, e in ends] for kind, ends in page.links.items()},
            "findings": [f.fingerprint for f in page.entry.findings],
            "agreements": page.agreements, "units": [u.id for u in page.units],
            "revisions": [r.id for r in page.revisions],
            "parent_revisions": [r.id for r in page.parent_revisions],
            "notes": [n.id for n in page.notes], "parent_change": page.parent_change()}


def test_node_page_reads_only_its_neighbourhood_and_shows_what_the_outline_shows(
        app, two_sizes, monkeypatch):
    """The node page's outline (node, path, children, link ends with their parents) and its
    findings are those of the whole analysed outline, for every node of the small workspace
    and a spread of the big one; and it never loads every node or link of the workspace, nor
    the whole stored analysis."""
    from flask import current_app

    from cascade import clock
    from cascade.findings import snapshot, stored
    from cascade.models import Node, Workspace
    from cascade.strategy import node_page
    from cascade.strategy.outline import load_analysed

    for slug, step in (("small", 1), ("big", 97)):
        ws = db.session.scalar(sa.select(Workspace).where(Workspace.slug == slug))
        units = snapshot.unit_rows(ws)
        whole = load_analysed(ws, clock.today(), units)
        nodes = db.session.scalars(sa.select(Node).where(Node.workspace_id == ws.id)
                                   .order_by(Node.id)).all()[::step]
        assert any(e.stale for e in whole.nodes.values())
        assert any(whole.by_key[n.key].findings for n in nodes)
        with monkeypatch.context() as patched:
            for name in ("node_rows", "link_rows", "load_snapshot"):
                patched.setattr(snapshot, name, _refuse)
            patched.setattr(stored, "load", _refuse)  # nor the whole stored analysis:
            current_app.extensions["cascade_analyses"].clear()  # as a worker that has none
            for node in nodes:
                assert _shown(node_page.load(ws, node, units)) == \
                    _shown(node_page.build(node, whole)), node.key


def _refuse(*args, **kwargs):
    raise AssertionError("the node page read the whole workspace")

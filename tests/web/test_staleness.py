"""Every page asks one definition of "stale" (`coherence.definitions.stale`): the tree, the
node page, the inbox, the graph, the sample digest and the engine agree, archived units and
retired nodes included."""

from __future__ import annotations

import sqlalchemy as sa

from cascade.clock import today
from cascade.db import db
from cascade.findings.analysis import analysis_of
from cascade.graph.options import GraphOptions
from cascade.graph.view import draw_analysis
from cascade.models import Node
from cascade.notifications import preview
from cascade.strategy.outline import load_analysed
from cascade.vocabulary import EventKind
from tests.factories import make_node, make_unit


def _world(org):
    """Translations of every kind of parent: moved on, current, retired, in an archived
    unit, and a retired translation of a parent that moved on."""
    ws, units = org.workspace, org.units
    old_tribe = make_unit(ws, "old-tribe", "Old tribe", parent=units["acme"])
    make_unit(ws, "old-team", "Old team", parent=old_tribe, archived=True)
    old_tribe.archived = True
    moved = make_node(ws, units["acme"], "moved", revision=3)
    current = make_node(ws, units["acme"], "current", revision=2)
    retired = make_node(ws, units["acme"], "gone", status="retired", revision=4)
    archived = make_node(ws, old_tribe, "archived-parent", revision=5)
    make_node(ws, units["checkout"], "stale-one", parent=moved, parent_revision_seen=1)
    make_node(ws, units["checkout"], "fresh-one", parent=current)
    make_node(ws, units["checkout"], "under-retired", parent=retired, parent_revision_seen=1)
    make_node(ws, units["checkout"], "under-archived", parent=archived, parent_revision_seen=1)
    make_node(ws, units["checkout"], "retired-stale", parent=moved, parent_revision_seen=1,
              status="retired")
    db.session.commit()


def test_every_page_agrees_on_which_translations_are_stale(org, client, login):
    _world(org)
    ws, expected = org.workspace, {"stale-one"}
    analysis = analysis_of(ws, today())
    engine = {f.nodes[0] for f in analysis.findings if f.code == "STALE_TRANSLATION"}
    outline = {e.key for e in load_analysed(ws, today()).nodes.values() if e.stale}
    models = {n.key for n in db.session.scalars(sa.select(Node).where(Node.workspace_id == ws.id))
              if n.is_stale}
    scope, _, _ = draw_analysis(analysis, GraphOptions())
    graph = {k for k in scope.keys if scope.is_stale(k)}
    digest = {e.subject["node"] for e in preview._from_state(ws)
              if e.kind == str(EventKind.TRANSLATION_STALE)}
    assert engine == outline == models == graph == digest == expected

    login(org.people["member"])
    inbox = client.get("/w/acme/inbox").get_data(as_text=True)
    assert "stale-one" in inbox and "under-archived" not in inbox and "under-retired" not in inbox
    for key in ("under-archived", "under-retired", "fresh-one"):
        page = client.get(f"/w/acme/nodes/{key}").get_data(as_text=True)
        assert 'class="badge stale"' not in page, key
    assert 'class="badge stale"' in client.get("/w/acme/nodes/stale-one").get_data(as_text=True)

"""The hand-written DOT writer (`cascade.graph.build`: node, edge and cluster statements
appended to the Digraph's body without the library's per-call checks) writes exactly what
the graphviz package's public API writes for the same drawing, over generated titles and
unit names: any storable text, quotes, backslashes, newlines, HTML-ish text."""

from __future__ import annotations

from contextlib import ExitStack
from unittest import mock

import graphviz
from hypothesis import given
from hypothesis import strategies as st

from cascade.coherence import analyse
from cascade.coherence.model import Node, Snapshot, Unit
from cascade.graph import build as writer
from cascade.graph.options import GraphOptions
from cascade.graph.view import draw
from tests.documents import text as storable
from tests.unit.builders import AS_OF
from tests.unit.test_graph import HOSTILE


def public_node(into: graphviz.Digraph, ident: str, attrs: dict[str, str],
                indent: str = "") -> None:
    into.node(ident, **attrs)


def public_edge(into: graphviz.Digraph, tail: str, head: str, attrs: dict[str, str]) -> None:
    into.edge(tail, head, **attrs)


def public_clusters(dot: graphviz.Digraph, scope, members, room: bool = False) -> None:
    """The clusters through `Digraph.subgraph` and `.attr`, nested by the library itself."""
    kids, numbers = writer.unit_tree(scope, members)

    def add(parent: graphviz.Digraph, unit: str) -> None:
        with parent.subgraph(name=f"cluster_{numbers[unit]}") as cluster:
            cluster.attr(**writer.cluster_attrs(scope, unit, numbers[unit], room))
            for ident, attrs in members.get(unit, ()):
                cluster.node(ident, **attrs)
            for child in kids[unit]:
                add(cluster, child)

    for unit in kids[None]:
        add(dot, unit)


def through_public_api(snap: Snapshot, options: GraphOptions, **extras) -> str:
    with ExitStack() as patches:
        for name, public in (("add_node", public_node), ("add_edge", public_edge),
                             ("_clusters", public_clusters)):
            patches.enter_context(mock.patch.object(writer, name, public))
        return draw(snap, analyse(snap, AS_OF), options, **extras)[2].dot.source


def by_hand(snap: Snapshot, options: GraphOptions, **extras) -> str:
    return draw(snap, analyse(snap, AS_OF), options, **extras)[2].dot.source


_tricky = st.sampled_from(['"', '\\', '\\"', '\n', '\r\n', '\t', '<', '>', '&', "'", '{', '}',
                           '[', ']', ';', '->', '--', '\\N', '\\l', '&amp;', '&#60;', '&#xD800;',
                           '<B>', '</TD>', '<BR/>', '"><svg>', ' ', '  '])
_html_ish = st.builds(lambda tag, inner: f"<{tag}>{inner}</{tag}>",
                      st.sampled_from(["b", "TABLE", "td", "script", "FONT COLOR=\"red\""]),
                      storable)
titles = st.one_of(storable, st.sampled_from(HOSTILE), _html_ish,
                   st.lists(_tricky | storable, max_size=8).map("".join))


def snapshot(names: list[str], titles: list[str], retired: int, linked: bool) -> Snapshot:
    """Nested units named `names`, one node per title spread over them (a tree of
    translations, the last few retired, every third stale, some linked), so that every
    statement the writer has — nested clusters, nodes, summaries, tree, stale and link
    edges — is drawn."""
    units = [Unit("u0", names[0])] + [Unit(f"u{i}", name, f"u{(i - 1) // 2}")
                                      for i, name in enumerate(names[1:], start=1)]
    nodes = [Node("k0", titles[0], "u0", status="agreed", revision=2)]
    for i, title in enumerate(titles[1:], start=1):
        nodes.append(Node(f"k{i}", title, f"u{i % len(units)}", f"k{(i - 1) // 2}",
                          status="retired" if i >= len(titles) - retired else "agreed",
                          revision=2,
                          parent_revision_seen=1 if i % 3 == 0 else None,
                          depends_on=(f"k{i - 1}",) if linked and i % 2 else ()))
    return Snapshot("w", units=tuple(units), nodes=tuple(nodes))


@given(names=st.lists(titles, min_size=1, max_size=5),
       node_titles=st.lists(titles, min_size=1, max_size=12),
       retired=st.integers(0, 3), linked=st.booleans(), budget=st.sampled_from([300, 10]),
       title=st.none() | titles, legend=st.booleans(),
       packing=st.none() | st.sampled_from([writer.Packing("TB", 3), writer.Packing("LR", 2)]))
def test_the_hand_written_dot_equals_the_librarys(names, node_titles, retired, linked,
                                                   budget, title, legend, packing):
    """Also for a room's picture (its packing given, rather than chosen by running dot)."""
    snap = snapshot(names, node_titles, retired, linked)
    options = GraphOptions(budget=budget, room=(1060, 700) if packing else None)
    with mock.patch("cascade.graph.room.choose", lambda *args, **kwargs: (packing, 99.0)):
        expected = through_public_api(snap, options, title=title, legend=legend)
        assert by_hand(snap, options, title=title, legend=legend) == expected


def test_every_statement_kind_is_compared():
    """The property above compares clusters nested three deep, nodes, folded summaries,
    tree, stale and link edges: the example it builds has each of them."""
    titles = [f"t{i}" for i in range(40)]
    snap = snapshot(["a", "b", "c", "d", "e"], titles, retired=2, linked=True)
    source = through_public_api(snap, GraphOptions(budget=10))
    assert source == by_hand(snap, GraphOptions(budget=10))
    for piece in ("\t\t\tsubgraph cluster_", "shape=folder", 'class="gedge stale"',
                  'class="gedge depends_on"', 'class="gedge tree"', "shape=hexagon"):
        assert piece in source, piece


def test_a_writer_that_differs_is_caught():
    """The comparison fails when the hand-written quoting drifts from the library's."""
    snap = snapshot(["Team"], ['He said "stop" \\'], retired=0, linked=False)
    with mock.patch.object(writer, "_quote", lambda value: f'"{value}"'):
        drifted = by_hand(snap, GraphOptions())
    assert drifted != through_public_api(snap, GraphOptions())

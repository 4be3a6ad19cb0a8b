"""The graph page's room mode over HTTP: the picture packed for the canvas's box, each
candidate laid out once per workspace version whatever the box (layouts are cached by their
DOT), the legend saying what the room's shapes mean, and downloads that stay the desk's."""

from __future__ import annotations

import pytest

from cascade.graph import render, room
from tests.web.test_graph import keys, own_cache_space, strategy  # noqa: F401 - fixtures


@pytest.fixture
def dot_runs(monkeypatch):
    runs = []

    class CountingDot(render.DotRun):
        def __init__(self, *args, **kwargs):
            runs.append(args[0])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(render, "DotRun", CountingDot)
    return runs


def test_room_mode_draws_every_node_packed_for_the_box_once(client, login, strategy, dot_runs):  # noqa: F811
    login(strategy.people["coach"])
    desk = client.get("/w/acme/graph").get_data(as_text=True)
    assert len(dot_runs) == 1 and 'id="graph-room" aria-pressed="false"' in desk
    page = client.get("/w/acme/graph?room=1086x698").get_data(as_text=True)
    assert keys(page) == keys(desk)  # five nodes: all drawn
    assert 'class="graph-page room-mode"' in page and 'value="1080x700"' in page
    assert 'aria-pressed="true"' in page and "level 2 and deeper" in page
    # each candidate packing laid out once, the chosen one taken from the cache
    assert len(dot_runs) == 1 + len(room.CANDIDATES)
    assert all("newrank=true" in source for source in dot_runs[1:])
    again = client.get("/w/acme/graph/view?room=1086x698").get_data(as_text=True)
    assert len(dot_runs) == 1 + len(room.CANDIDATES) and keys(again) == keys(page)
    # another box measures the same layouts again (cached by their DOT): no dot run
    other = client.get("/w/acme/graph/view?room=1920x1000").get_data(as_text=True)
    assert keys(other) == keys(page) and len(dot_runs) == 1 + len(room.CANDIDATES)


def test_downloads_of_a_room_view_are_the_desks_drawing(client, login, strategy):  # noqa: F811
    login(strategy.people["coach"])
    desk = client.get("/w/acme/graph.dot").get_data(as_text=True)
    roomy = client.get("/w/acme/graph.dot?room=1086x698").get_data(as_text=True)
    assert roomy == desk and "newrank" not in roomy


def test_junk_room_values_give_the_desks_page(client, login, strategy):  # noqa: F811
    login(strategy.people["coach"])
    for junk in ("big", "1e9x1e9", "-1x-1", "<script>", "9" * 30):
        response = client.get("/w/acme/graph", query_string={"room": junk})
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert 'class="graph-page"' in page and "<script>" not in page.split("<main")[1][:200]

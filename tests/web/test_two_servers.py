"""Issue 13, part 6: two app servers on one PostgreSQL and one Redis (graph cache and job
queue shared). A write through one is visible through the other at once on the node page
and the inbox, and on the findings and the graph as soon as the write's one analysis job
has run: no process serves a stale cache of its own."""

from __future__ import annotations

import secrets

import pytest

from cascade.db import db
from cascade.findings import stored
from cascade.jobs.queue import jobs_of, run_pending
from tests.factories import make_node

STALE = '<code>STALE_TRANSLATION</code> <span class="count">'  # the group, not the filter


@pytest.fixture
def pair(served, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("several hosts share PostgreSQL; SQLite is for one machine")
    name = secrets.token_hex(4)
    shared = {"REDIS_URL": "redis://127.0.0.1:6379/0", "JOBS_QUEUE": "redis",
              "JOBS_QUEUE_NAME": f"test-{name}", "GRAPH_CACHE_PREFIX": f"test-{name}:",
              "ANALYSIS_INLINE": False}
    first, second = served(**shared), served(**shared)
    yield first, second
    jobs_of(first.app).huey.storage.flush_all()


def test_a_write_through_one_server_is_seen_through_the_other(pair, org):
    first, second = pair
    ws, units, people = org.workspace, org.units, org.people
    vision = make_node(ws, units["acme"], "vision", "Checkout in one minute")
    make_node(ws, units["checkout"], "co-goal", "Checkout goal", parent=vision)
    db.session.commit()
    coach, sam = people["coach"], people["member"]
    for server in pair:  # both have read (and kept) the workspace as it was
        assert "Checkout in one minute" in server.browser(coach).get("/w/acme/nodes/vision").body
        assert STALE not in server.browser(coach).get("/w/acme/findings").body
        assert "Checkout in one minute" in server.browser(coach).get("/w/acme/graph").body
        assert "gone stale" not in server.browser(sam).get("/w/acme/inbox").body.lower()
    runs = stored.RUNS.runs
    lea = first.browser(people["leader"])
    answer = lea.post("/w/acme/nodes/vision/edit", {
        "title": "Checkout in thirty seconds", "statement": "Faster still.",
        "version": str(vision.version)})
    assert answer.status == 302, answer.body[:400]
    other = second.browser(coach)
    page = other.get("/w/acme/nodes/vision").body
    assert "Checkout in thirty seconds" in page  # the node page: at once
    assert "Checkout in thirty seconds" in second.browser(sam).get("/w/acme/nodes/co-goal").body
    inbox = second.browser(sam).get("/w/acme/inbox").body
    assert "Checkout goal" in inbox and "stale" in inbox.lower()  # the inbox: at once
    findings = other.get("/w/acme/findings").body
    assert "updating with the latest changes" in findings  # says it is behind, never hides it
    assert run_pending(second.app) >= 1  # the write's job, from the shared Redis queue
    assert stored.RUNS.runs == runs + 1
    findings = other.get("/w/acme/findings").body
    assert STALE in findings and "updating" not in findings
    assert "Checkout in thirty seconds" in other.get("/w/acme/graph").body
    back = first.browser(coach)
    assert STALE in back.get("/w/acme/findings").body
    assert "Checkout in thirty seconds" in back.get("/w/acme/graph").body
    assert stored.RUNS.runs == runs + 1  # analysed once for both servers

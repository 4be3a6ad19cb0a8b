"""Issue 13, part 4 (the findings list): counts per rule and severity first, then pages of
cards; and SQL statements per page that do not grow with the workspace."""

from __future__ import annotations

import re

import pytest

from cascade.db import db
from cascade.findings.listing import PAGE_SIZE
from cascade.models import Node


def _grow(org, count: int, start: int = 0) -> None:
    """`count` more agreed objectives in Payments that connect to nothing above them."""
    ws, unit = org.workspace, org.units["payments"]
    db.session.add_all(Node(workspace_id=ws.id, unit_id=unit.id, key=f"loose-{i}",
                            title=f"Loose objective {i}", statement="", status="agreed")
                       for i in range(start, start + count))
    db.session.commit()


def _cards(page: str) -> int:
    return len(re.findall(r'<li class="finding-card', page))


def test_findings_are_counted_by_rule_then_paged(client, login, org):
    _grow(org, PAGE_SIZE + 20)
    login(org.people["coach"])
    first = client.get("/w/acme/findings").get_data(as_text=True)
    total = int(re.search(r"(\d+) findings by rule", first).group(1))
    assert total > PAGE_SIZE
    assert _cards(first) == PAGE_SIZE
    assert "Page 1 of 2" in first and "Next page" in first
    second = client.get("/w/acme/findings?page=2").get_data(as_text=True)
    assert _cards(second) == total - PAGE_SIZE and "Previous page" in second
    # a count links to its rule's findings
    assert re.search(r'href="/w/acme/findings\?[^"]*code=UNALIGNED', first)
    beyond = client.get("/w/acme/findings?page=99").get_data(as_text=True)
    assert "Page 2 of 2" in beyond  # the last page, not an empty one
    assert client.get("/w/acme/findings?page=x").status_code == 200  # ignored as a filter


@pytest.mark.parametrize("path, role", [
    ("/w/acme/findings", "coach"), ("/w/acme/nodes/loose-1", "coach"),
    ("/w/acme/", "coach"), ("/w/acme/inbox", "member"), ("/w/acme/graph", "coach")])
def test_statements_per_page_do_not_grow_with_the_workspace(client, login, org,
                                                            count_queries, path, role):
    def statements() -> int:
        client.get(path)  # the analysis of this version loaded and kept, as on any page
        with count_queries() as counted:
            assert client.get(path).status_code == 200
        return counted.count

    login(org.people[role])
    _grow(org, 50)
    small = statements()
    _grow(org, 1950, start=50)
    assert statements() == small

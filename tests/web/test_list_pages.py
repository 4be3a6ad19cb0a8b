"""Issue 13, part 4 (feedback, units, people, inbox): counts first, then pages read by SQL
with a pager that keeps the filters; the order is total (ties broken by id), so walking the
pages shows every row once; statements and HTML per page do not grow with the workspace."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade import clock
from cascade.db import db
from cascade.feedback import waiting
from cascade.feedback.reading import SORTS, feedback_page
from cascade.models import Membership, Node, Note, Person, Role, Unit
from cascade.paging import PAGE_SIZE
from cascade.vocabulary import NOTE_KINDS, STANCES

PROPERTY = settings(deadline=None, database=None, max_examples=25,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def grow(org, count: int, start: int = 0) -> None:
    """`count` more nodes, each with two notes waiting for an answer, and a team with a
    member for every tenth node: the workspace grows in every list at once."""
    ws, payments, checkout = org.workspace, org.units["payments"], org.units["checkout"]
    author = org.people["member"]
    teams = [Unit(workspace_id=ws.id, key=f"team-{i}", name=f"Team {i:05d}",
                  parent_id=payments.id) for i in range(start, start + count, 10)]
    db.session.add_all(teams)
    db.session.flush()
    people = [Person(email=f"p{t.key}@acme.test", name=f"Person {t.name}", password_hash="x")
              for t in teams]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(Membership(workspace_id=ws.id, person_id=p.id, unit_id=t.id,
                                  role=Role.MEMBER) for p, t in zip(people, teams, strict=True))
    nodes = [Node(workspace_id=ws.id, unit_id=checkout.id, key=f"grown-{i}",
                  title=f"Grown objective {i:05d}", statement="", status="agreed")
             for i in range(start, start + count)]
    db.session.add_all(nodes)
    db.session.flush()
    db.session.add_all(
        Note(workspace_id=ws.id, node_id=n.id, author_id=author.id, unit_id=checkout.id,
             kind=NOTE_KINDS[(i + j) % len(NOTE_KINDS)], stance=STANCES[(i + j) % len(STANCES)],
             body=f"Grown note {i:05d}-{j}", created_at=EPOCH + timedelta(hours=i))
        for i, n in enumerate(nodes, start) for j in range(2))
    db.session.commit()


def _rows(page: str) -> int:
    return len(re.findall(r'<a href="/w/acme/notes/\d+">', page))


def test_feedback_counts_every_note_then_shows_a_page(client, login, org):
    grow(org, 60)  # 120 notes
    login(org.people["coach"])
    page = client.get("/w/acme/feedback").get_data(as_text=True)
    assert "120 notes waiting for an answer" in page
    assert _rows(page) == PAGE_SIZE and "1–50 of 120" in page and "Page 1 of 3" in page
    stances = re.search(r"<dt>By stance</dt>\s*<dd>(.*?)</dd>", page, re.S).group(1)
    figures = [int(n) for n in re.findall(r">(\d+) \w+</a>", stances)]
    assert sum(figures) == 120 and len(figures) == len(STANCES)
    last = client.get("/w/acme/feedback?page=3").get_data(as_text=True)
    assert _rows(last) == 20 and "101–120 of 120" in last and 'rel="prev"' in last
    assert client.get("/w/acme/feedback?page=99").get_data(as_text=True).count(
        "101–120 of 120") == 2  # past the end: the last page, pagers above and below


def test_the_pager_keeps_the_filters(client, login, org):
    grow(org, 150)
    login(org.people["coach"])
    page = client.get("/w/acme/feedback?stance=blocker&sort=kind").get_data(as_text=True)
    blockers = sum(1 for i in range(150) for j in range(2)
                   if STANCES[(i + j) % len(STANCES)] == "blocker")
    assert f"1–50 of {blockers}" in page
    following = re.search(r'<a class="button small" rel="next" href="([^"]+)"', page).group(1)
    following = following.replace("&amp;", "&")
    assert "stance=blocker" in following and "sort=kind" in following and "page=2" in following
    second = client.get(following).get_data(as_text=True)
    assert f"51–{min(100, blockers)} of {blockers}" in second
    assert 'signal-blocker">blocker' in second and 'signal-concern">concern' not in second


def test_a_filter_value_that_makes_no_sense_is_named_and_left_out(client, login, org):
    grow(org, 3)
    login(org.people["coach"])
    response = client.get("/w/acme/feedback?kind=gossip&older=many&stance=blocker")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    notice = re.search(r'id="feedback-ignored">([^<]*)<', page).group(1)
    assert "Kind “gossip” ignored" in notice and "(days) “many” ignored" in notice
    assert "Stance" not in notice  # the stance applied
    assert 'signal-blocker">blocker' in page and 'signal-support">support' not in page


@given(notes=st.lists(st.tuples(st.sampled_from(NOTE_KINDS), st.sampled_from(STANCES),
                                st.integers(0, 3)), min_size=1, max_size=30),
       size=st.integers(1, 8), sort=st.sampled_from(sorted(SORTS)))
@PROPERTY
def test_walking_the_pages_shows_every_note_once(org, notes, size, sort):
    """Few distinct times, kinds and stances: most notes tie on the sort, and the pages
    still cover the selection exactly once."""
    node = Node(workspace_id=org.workspace.id, unit_id=org.units["shop"].id, key="n",
                title="N", statement="", status="agreed")
    nested = db.session.begin_nested()
    try:
        db.session.add(node)
        db.session.flush()
        db.session.add_all(Note(workspace_id=org.workspace.id, node_id=node.id, kind=k,
                                stance=s, body="x", created_at=EPOCH + timedelta(days=d),
                                unit_id=org.units["search" if d % 2 else "checkout"].id)
                           for k, s, d in notes)
        db.session.flush()
        cut = waiting.cutoff(clock.today(), 14)
        seen, number, pages = [], 1, None
        while pages is None or number <= pages:
            shown = feedback_page(org.workspace, cut=cut, sort=sort, page=number, size=size,
                                  now=clock.now())
            pages, number = shown.page.pages, number + 1
            assert len(shown.page.items) == (size if number <= pages else
                                             len(notes) - size * (pages - 1))
            seen += [n.id for n in shown.page.items]
        assert len(seen) == len(set(seen)) == len(notes) == shown.counts.total
    finally:
        nested.rollback()


def test_people_are_paged_by_name_and_found_by_name_or_address(client, login, org):
    grow(org, 1000)  # 100 more people, 105 in all
    login(org.people["admin"])
    page = client.get("/w/acme/people").get_data(as_text=True)
    assert "105 people" in page and "1–50 of 105" in page
    names = re.findall(r'<th scope="rowgroup"[^>]*>([^<]+)<br>', page)
    assert len(names) == PAGE_SIZE and names[0] == "Ada"
    assert names == sorted(names, key=str.lower)
    third = client.get("/w/acme/people?page=3").get_data(as_text=True)
    assert "101–105 of 105" in third and "Sam" in third  # "Person …" sort before "Sam"
    found = client.get("/w/acme/people?q=TEAM+000").get_data(as_text=True)
    assert "10 people whose name or e-mail contains “TEAM 000”" in found  # 00000 … 00090
    assert client.get("/w/acme/people?q=acme.test&page=2").get_data(as_text=True).count(
        "51–100 of 105") == 1
    following = re.search(r'rel="next" href="([^"]+)"',
                          client.get("/w/acme/people?q=person").get_data(as_text=True))
    assert "q=person" in following.group(1) and "page=2" in following.group(1)
    nobody = client.get("/w/acme/people?q=%25").get_data(as_text=True)  # % is no wildcard
    assert "Nobody here has “%” in their name" in nobody


def test_roles_are_given_by_address_and_unit_name(client, login, org):
    login(org.people["admin"])
    data = {"person": "nobody@acme.test", "unit": "Platform", "role": "leader"}
    refused = client.post("/w/acme/people/grant", data=data)
    assert refused.status_code == 400
    assert "Nobody in this workspace has this e-mail address" in refused.get_data(as_text=True)
    data["person"], data["unit"] = "chloe@acme.test", "Nowhere"
    refused = client.post("/w/acme/people/grant", data=data)
    assert "No active unit here has this name or key." in refused.get_data(as_text=True)
    data["unit"] = "platform"  # by key; by name regardless of case below
    assert client.post("/w/acme/people/grant", data=data).status_code == 302
    data.update(unit="CHECKOUT", role="member")
    assert client.post("/w/acme/people/grant", data=data).status_code == 302
    held = db.session.execute(sa.select(Unit.key, Membership.role).join(Membership.unit).where(
        Membership.person_id == org.people["coach"].id).order_by(Unit.key)).all()
    assert [(k, str(r)) for k, r in held] == [("acme", "coach"), ("checkout", "member"),
                                              ("platform", "leader")]


def _units(page: str) -> list[str]:
    return re.findall(r'<span class="unit-name">([^<]+)</span>', page)


def test_the_unit_tree_is_paged_depth_first_and_opens_at_one_unit(client, login, org):
    grow(org, 1000)  # 100 teams under Payments: 106 units
    login(org.people["member"])
    first = client.get("/w/acme/units").get_data(as_text=True)
    assert "106 units" in first and "1–50 of 106" in first
    assert _units(first)[:4] == ["Acme Digital", "Platform", "Payments", "Team 00000"]
    third = client.get("/w/acme/units?page=3").get_data(as_text=True)
    assert _units(third) == ["Team 00970", "Team 00980", "Team 00990", "Shopping", "Checkout",
                             "Search"]
    assert "Continued from Acme Digital › Platform › Payments" in third
    assert re.search(r'href="/w/acme/units\?under=payments">100 below', first)
    opened = client.get("/w/acme/units?under=payments&page=2").get_data(as_text=True)
    assert "Payments and 100 below it" in opened and "51–100 of 101" in opened
    assert 'aria-current="page">Payments' in opened and ">Platform</a>" in opened
    following = re.search(r'rel="next" href="([^"]+)"', opened).group(1)
    assert "under=payments" in following and "page=3" in following
    found = client.get("/w/acme/units?q=team+0099").get_data(as_text=True)
    assert _units(found) == ["Team 00990"] and "1 whose name or key contains" in found
    found = client.get("/w/acme/units?q=CHECK").get_data(as_text=True)
    assert _units(found) == ["Checkout"]
    assert "No unit has “nothing” in its name" in client.get(
        "/w/acme/units?q=nothing").get_data(as_text=True)
    lost = client.get("/w/acme/units?under=nowhere").get_data(as_text=True)
    assert "Unit “nowhere” ignored (no unit has this key)" in lost and "1–50 of 106" in lost


def test_each_inbox_section_shows_a_page_and_its_count(client, login, org):
    grow(org, 30)  # 60 notes on Checkout's nodes wait for an answer
    shop = org.units["shop"]
    db.session.add_all(Node(workspace_id=org.workspace.id, unit_id=shop.id, key=f"shop-{i}",
                            title=f"Shop goal {i}", statement="", status="agreed")
                       for i in range(25))  # for Checkout to translate
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/inbox").get_data(as_text=True)
    assert re.search(r'Awaiting your translation <span class="count">25</span>', page)
    assert re.search(r'waiting for your units’ answer <span class="count">60</span>', page)
    assert "1–20 of 25" in page and "1–20 of 60" in page
    assert re.search(r'id="inbox-total">85<', page)
    assert page.count("— not yet translated for Checkout") == 20
    later = client.get("/w/acme/inbox?to_answer=3&awaiting=2").get_data(as_text=True)
    assert "41–60 of 60" in later and "21–25 of 25" in later
    assert later.count("— not yet translated for Checkout") == 5
    back = re.search(r'rel="prev" href="([^"]*to_answer=2[^"]*)"', later).group(1)
    assert "awaiting=2" in back and back.endswith("#answer-heading")


PAGES = [("/w/acme/feedback", "coach"), ("/w/acme/feedback?on=mine&page=2", "member"),
         ("/w/acme/people", "admin"), ("/w/acme/people?q=person", "admin"),
         ("/w/acme/units", "member"), ("/w/acme/units?under=payments", "admin"),
         ("/w/acme/inbox", "member"), ("/w/acme/inbox?to_answer=2", "member")]


@pytest.mark.parametrize("path, role", PAGES)
def test_statements_and_html_per_page_do_not_grow_with_the_workspace(
        client, login, org, count_queries, path, role):
    def measure() -> tuple[int, int]:
        client.get(path)
        with count_queries() as counted:
            response = client.get(path)
            assert response.status_code == 200
        return counted.count, len(response.get_data())

    login(org.people[role])
    grow(org, 600)  # a page of everything, and more
    statements, size = measure()
    grow(org, 1400, start=600)
    more_statements, more_size = measure()
    assert more_statements == statements
    assert abs(more_size - size) < 2000, (size, more_size)  # a few digits more, not rows

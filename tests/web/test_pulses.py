"""Running, answering and reading pulses through the web, as coaches, leaders and members do."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from cascade.clock import today
from cascade.db import db
from cascade.findings.analysis import analysis_of
from cascade.models import AuditEntry, Pulse, PulseAnswer, PulseStatement
from cascade.organisation.policy import actor_for
from cascade.pulses.reading import pending_pulses, respondent, top_level_priorities
from tests.factories import make_answers, make_node, make_person, make_pulse


def _vision(org):
    ws, root = org.workspace, org.units["acme"]
    vision = make_node(ws, root, "vision", "Acme 2027")
    themes = [make_node(ws, root, "t-fast", "Fast checkout", parent=vision),
              make_node(ws, root, "t-trust", "Trust", parent=vision)]
    make_node(ws, root, "t-old", "Old theme", parent=vision, status="retired")
    make_node(ws, org.units["shop"], "shop-1", "Shop goal", parent=themes[0])
    db.session.commit()
    return vision, themes


def _team(org, unit_key="checkout", count=3, prefix="m"):
    unit = org.units[unit_key]
    people = [make_person(f"{prefix}{i}@acme.test", f"Person {prefix}{i}", [(unit, "member")])
              for i in range(count)]
    db.session.commit()
    return people


def _open_pulse(org, node, units, texts=("I understand it",), key="p1"):
    pulse = make_pulse(org.workspace, units, node=node, texts=texts, key=key,
                       opens_on=today() - timedelta(days=1), closes_on=today() + timedelta(days=7))
    db.session.commit()
    return pulse


def _answer(client, login, person, pulse, values, comment=""):
    login(person)
    form = {f"s{s.id}": str(v) for s, v in zip(pulse.statements, values, strict=True)}
    form |= {f"c{s.id}": comment for s in pulse.statements}
    return client.post(f"/w/acme/pulses/{pulse.key}/answer", data=form)


def test_coach_runs_a_pulse_on_a_node(client, login, org):
    vision, _ = _vision(org)
    login(org.people["coach"])
    page = client.get("/w/acme/pulses/new?node=vision")
    assert page.status_code == 200 and b"I believe this is the right direction" in page.data
    response = client.post("/w/acme/pulses/new", data={
        "title": "How the vision lands", "node": "vision",
        "statements": "I understand it\nI believe in it\n\nI understand it",
        "units": [org.units["checkout"].id, org.units["search"].id],
        "opens_on": today().isoformat(), "closes_on": (today() + timedelta(days=7)).isoformat()})
    assert response.status_code == 302
    pulse = db.session.scalar(sa.select(Pulse))
    assert pulse.key == "how-the-vision-lands" and pulse.node_id == vision.id
    assert [(s.text, s.node_id) for s in pulse.statements] == [
        ("I understand it", vision.id), ("I believe in it", vision.id)]
    assert {u.key for u in pulse.units} == {"checkout", "search"}
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "pulse.create"))
    assert entry.target == pulse.key and entry.person_id == org.people["coach"].id


def test_a_priorities_pulse_asks_each_statement_about_each_priority(client, login, org):
    _, themes = _vision(org)
    assert [n.key for n in top_level_priorities(org.workspace)] == ["t-fast", "t-trust"]
    login(org.people["leader"])
    client.post("/w/acme/pulses/new", data={
        "title": "Priorities", "node": "", "statements": "I know how we contribute\nFeasible",
        "units": [org.units["checkout"].id], "opens_on": today().isoformat(),
        "closes_on": today().isoformat()})
    pulse = db.session.scalar(sa.select(Pulse))
    assert pulse.node_id is None
    assert [(s.text, s.node.key) for s in pulse.statements] == [
        ("I know how we contribute", "t-fast"), ("Feasible", "t-fast"),
        ("I know how we contribute", "t-trust"), ("Feasible", "t-trust")]


def test_creating_reports_problems_on_the_form(client, login, org):
    login(org.people["coach"])
    response = client.post("/w/acme/pulses/new", data={
        "title": "No priorities", "node": "", "statements": "Clear",
        "units": [org.units["checkout"].id], "opens_on": today().isoformat(),
        "closes_on": (today() - timedelta(days=1)).isoformat()})
    assert response.status_code == 200 and b"must close on or after" in response.data
    response = client.post("/w/acme/pulses/new", data={
        "title": "No priorities", "node": "", "statements": "Clear",
        "units": [org.units["checkout"].id], "opens_on": today().isoformat(),
        "closes_on": today().isoformat()})
    assert b"no top-level priorities yet" in response.data
    assert db.session.scalar(sa.select(sa.func.count(Pulse.id))) == 0


def test_members_cannot_run_pulses(client, login, org):
    login(org.people["member"])
    assert client.get("/w/acme/pulses/new").status_code == 403


def test_member_answers_anonymously_and_can_change_until_it_closes(client, login, org):
    vision, _ = _vision(org)
    pulse = _open_pulse(org, vision, [org.units["checkout"]], texts=("A", "B"))
    sam = org.people["member"]
    assert [p.key for p in pending_pulses(_actor(sam), sam, org.workspace, today())] == ["p1"]
    assert _answer(client, login, sam, pulse, [2, 4], "Unclear").status_code == 302
    assert _answer(client, login, sam, pulse, [5, 4]).status_code == 302
    answers = db.session.scalars(sa.select(PulseAnswer).order_by(PulseAnswer.statement_id)).all()
    assert [(a.value, a.comment, str(a.role)) for a in answers] == [(5, None, "member"),
                                                                   (4, None, "member")]
    assert {a.respondent for a in answers} == {respondent(pulse.id, sam.id)}
    assert len(answers[0].respondent) == 64 and sam.email not in answers[0].respondent
    assert pending_pulses(_actor(sam), sam, org.workspace, today()) == []
    assert not db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action.like("%answer%"))).all()


def test_the_answer_form_shows_ones_earlier_answers(client, login, org):
    vision, _ = _vision(org)
    pulse = _open_pulse(org, vision, [org.units["checkout"]])
    _answer(client, login, org.people["member"], pulse, [2], "My earlier comment")
    page = client.get("/w/acme/pulses/p1/answer").get_data(as_text=True)
    assert re.search(r'<input checked[^>]* value="2">', page)
    assert len(re.findall(r"<input checked", page)) == 1
    assert "My earlier comment" in page


def test_every_statement_needs_a_value(client, login, org):
    vision, _ = _vision(org)
    pulse = _open_pulse(org, vision, [org.units["checkout"]], texts=("A", "B"))
    login(org.people["member"])
    response = client.post("/w/acme/pulses/p1/answer",
                           data={f"s{pulse.statements[0].id}": "3"})
    assert response.status_code == 200 and b"Choose a value from 1 to 5." in response.data
    assert db.session.scalar(sa.select(sa.func.count(PulseAnswer.id))) == 0


def test_only_people_of_the_asked_units_answer(client, login, org):
    vision, _ = _vision(org)
    _open_pulse(org, vision, [org.units["search"]])
    login(org.people["member"])
    assert client.get("/w/acme/pulses/p1/answer").status_code == 403
    login(org.people["coach"])
    assert client.get("/w/acme/pulses/p1/answer").status_code == 403
    login(org.people["outsider"])
    assert client.get("/w/acme/pulses/p1").status_code == 404


def test_a_closed_or_scheduled_pulse_takes_no_answers(client, login, org):
    vision, _ = _vision(org)
    pulse = _open_pulse(org, vision, [org.units["checkout"]])
    pulse.opens_on = today() + timedelta(days=1)
    db.session.commit()
    sam = org.people["member"]
    assert pending_pulses(_actor(sam), sam, org.workspace, today()) == []
    response = _answer(client, login, sam, pulse, [3])
    assert response.status_code == 302 and response.location.endswith("/pulses/p1")
    pulse.opens_on, pulse.closes_on = today() - timedelta(days=9), today() - timedelta(days=1)
    db.session.commit()
    _answer(client, login, sam, pulse, [3])
    assert db.session.scalar(sa.select(sa.func.count(PulseAnswer.id))) == 0


def test_close_now_stops_answers_and_is_audited(client, login, org):
    vision, _ = _vision(org)
    pulse = _open_pulse(org, vision, [org.units["checkout"]])
    login(org.people["coach"])
    assert client.post("/w/acme/pulses/p1/close").status_code == 302
    db.session.expire_all()
    assert str(pulse.status) == "closed" and pulse.closes_on == today()
    assert db.session.scalar(sa.select(AuditEntry.action).where(
        AuditEntry.action == "pulse.close")) == "pulse.close"
    assert _answer(client, login, org.people["member"], pulse, [1]).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(PulseAnswer.id))) == 0


def test_results_appear_only_from_the_threshold_and_never_name_anyone(client, login, org):
    vision, _ = _vision(org)
    pulse = _open_pulse(org, vision, [org.units["checkout"], org.units["search"]])
    team = _team(org)
    for person, value in zip(team[:2], [1, 5], strict=True):
        _answer(client, login, person, pulse, [value], f"Comment by {person.name}")
    login(org.people["coach"])
    page = client.get("/w/acme/pulses/p1").get_data(as_text=True)
    assert "Not enough answers yet" in page and "Comment by" not in page
    assert "2 answers given or changed since the results last moved are waiting" in page
    _answer(client, login, team[2], pulse, [4], "zzz last")
    login(org.people["coach"])
    page = client.get("/w/acme/pulses/p1").get_data(as_text=True)
    assert "median <strong>4</strong>" in page and "range 1–5" in page
    assert page.index("Comment by Person m0") < page.index("Comment by Person m1") \
        < page.index("zzz last")
    assert all(p.email not in page for p in team)
    assert "Search" in page and page.count("Not enough answers yet") == 1


def test_leaders_against_teams_respects_the_threshold(client, login, org):
    vision, _ = _vision(org)
    pulse = _open_pulse(org, vision, [org.units["checkout"]])
    statement = pulse.statements[0]
    make_answers(statement, org.units["checkout"], [4, 4, 5], role="member")
    make_answers(statement, org.units["checkout"], [1, 2], role="leader")
    db.session.commit()
    login(org.people["coach"])
    page = client.get("/w/acme/pulses/p1").get_data(as_text=True)
    assert "Not enough answers from both leaders and team members" in page
    make_answers(statement, org.units["checkout"], [2], role="leader")
    db.session.commit()
    page = client.get("/w/acme/pulses/p1").get_data(as_text=True)
    assert ">Leaders</th>" in page and ">Teams</th>" in page


def test_answers_given_through_the_form_feed_the_engine(client, login, org):
    vision, _ = _vision(org)
    pulse = _open_pulse(org, vision, [org.units["checkout"]],
                        texts=("I understand how this relates to my team's work",))
    for person, value in zip(_team(org), [1, 2, 5], strict=True):
        _answer(client, login, person, pulse, [value])
    findings = analysis_of(org.workspace, today()).findings
    divergent = [f for f in findings if f.code == "DIVERGENT_VIEWS"]
    assert [(f.nodes, f.units) for f in divergent] == [(("vision",), ("checkout",))]
    low = [f for f in findings if f.code == "LOW_UNDERSTANDING"]
    assert [(f.nodes, f.units) for f in low] == [(("vision",), ("checkout",))]


def test_panorama_colours_units_by_priority_and_links_to_distributions(client, login, org):
    _, themes = _vision(org)
    pulse = make_pulse(org.workspace, [org.units["checkout"], org.units["search"]], key="prio",
                       texts=())
    pulse.statements = [PulseStatement(position=i, text="I know how we contribute", node=t)
                        for i, t in enumerate(themes)]
    db.session.flush()
    make_answers(pulse.statements[0], org.units["checkout"], [1, 2, 2, 1])
    make_answers(pulse.statements[1], org.units["checkout"], [4, 5, 4])
    make_answers(pulse.statements[0], org.units["search"], [5, 5])
    db.session.commit()
    login(org.people["coach"])
    page = client.get("/w/acme/pulses/panorama").get_data(as_text=True)
    assert 'class="t15"' in page and 'class="t40"' in page
    assert page.count('class="cell-empty"') == 2  # search on both priorities
    assert "/w/acme/pulses/prio?node=t-fast&amp;unit=checkout#results" in page
    assert "needs attention" in page
    detail = client.get("/w/acme/pulses/prio?node=t-fast&unit=checkout").get_data(as_text=True)
    assert "Fast checkout" in detail and 'class="highlight"' in detail
    assert "Trust</h2>" not in detail


def test_panorama_and_index_have_empty_states(client, login, org):
    login(org.people["member"])
    assert b"No pulse on the top-level priorities yet" in client.get(
        "/w/acme/pulses/panorama").data
    page = client.get("/w/acme/pulses").data
    assert b"No pulse is waiting for your answer." in page and b"Run a pulse" not in page


def test_index_lists_pending_pulses_in_a_fixed_number_of_queries(client, login, org,
                                                                  count_queries):
    vision, _ = _vision(org)
    _open_pulse(org, vision, [org.units["checkout"]], key="p1")
    login(org.people["member"])
    with count_queries() as few:
        page = client.get("/w/acme/pulses")
    assert b"Pulses awaiting your answer" in page.data and b"/w/acme/pulses/p1/answer" in page.data
    for i in range(2, 8):
        _open_pulse(org, vision, [org.units["checkout"]], key=f"p{i}")
    login(org.people["member"])
    with count_queries() as many:
        client.get("/w/acme/pulses")
    assert many.count == few.count


def _actor(person):
    from cascade.models import Membership, Unit

    memberships = db.session.scalars(sa.select(Membership).where(
        Membership.person_id == person.id)).all()
    parents = dict(db.session.execute(sa.select(Unit.id, Unit.parent_id)).all())
    return actor_for(person.id, memberships, parents)

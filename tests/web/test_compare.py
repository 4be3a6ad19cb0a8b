"""Any two days: a recorded day shows again exactly as it was, and comparing it with today
lists exactly what changed, on the comparison page and as outlines on the graph."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from cascade.clock import today
from cascade.db import db
from cascade.findings import history
from cascade.findings.analysis import analysis_of
from cascade.findings.archive import unpack
from cascade.findings.operations import acknowledge, record_score, withdraw
from cascade.models import Node, ScoreRecord
from tests.factories import make_node

LAST_MONTH = today() - timedelta(days=30)


def _recorded_then_changed(org):
    """Last month: vision with Shopping's and Platform's translations (both current) and an
    unaligned team strategy. Since then: vision revised (both translations stale, Platform
    re-confirmed), the team strategy retired, a new objective added."""
    ws, units = org.workspace, org.units
    vision = make_node(ws, units["acme"], "vision", "Checkout in one minute")
    make_node(ws, units["shop"], "shop-1", "Shopping gets faster", parent=vision)
    plat = make_node(ws, units["platform"], "plat-1", "Platform for speed", parent=vision)
    make_node(ws, units["checkout"], "lone", "Our own thing")
    db.session.commit()
    then = analysis_of(ws, LAST_MONTH)
    record_score(ws, then, by=org.people["coach"])
    db.session.commit()
    vision.revision, plat.parent_revision_seen = 2, 2
    db.session.scalar(sa.select(Node).where(Node.key == "lone")).status = "retired"
    make_node(ws, units["acme"], "obj-2", "Fewer refunds", parent=vision, status="draft")
    db.session.commit()
    return then


def _section(page: str, title: str) -> tuple[int, str]:
    """A section of the comparison: its count and its contents."""
    found = re.search(rf"{title} <span class=\"count\">(\d+)</span></h3>(.*?)</section>",
                      page, re.S)
    return int(found.group(1)), found.group(2)


def test_a_recorded_day_is_kept_exactly(client, login, org):
    then = _recorded_then_changed(org)
    record = db.session.scalar(sa.select(ScoreRecord))
    snapshot, settings = unpack(record.snapshot)
    assert snapshot == then.snapshot and settings == then.settings
    again = history.state_on(org.workspace, LAST_MONTH, today())
    assert again.findings == then.findings and again.score == then.score
    assert history.recorded_days(org.workspace) == [LAST_MONTH]


def test_comparison_lists_exactly_what_changed(client, login, org):
    _recorded_then_changed(org)
    login(org.people["coach"])
    page = client.get(f"/w/acme/findings/compare?against={LAST_MONTH.isoformat()}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)

    def section(title):
        return _section(text, title)

    assert section("Nodes added")[0] == 1 and "Fewer refunds" in section("Nodes added")[1]
    assert section("Nodes revised")[0] == 1 and "revision 1 → 2" in section("Nodes revised")[1]
    assert section("Nodes retired")[0] == 1 and "Our own thing" in section("Nodes retired")[1]
    assert section("Translations gone stale")[0] == 1
    assert "Shopping gets faster" in section("Translations gone stale")[1]
    assert section("Translations re-confirmed")[0] == 0
    assert "UNALIGNED" in section("Findings resolved")[1]
    assert "STALE_TRANSLATION" in section("Findings opened")[1]
    assert section("Findings acknowledged")[0] == 0
    assert "The whole workspace" in text
    findings = client.get("/w/acme/findings").get_data(as_text=True)
    assert f'/w/acme/findings/compare?against={LAST_MONTH.isoformat()}">What changed since then' \
        in findings


def test_the_graph_outlines_what_changed_and_shows_a_recorded_day(client, login, org):
    _recorded_then_changed(org)
    login(org.people["coach"])
    page = client.get(f"/w/acme/graph?against={LAST_MONTH.isoformat()}").get_data(as_text=True)
    changed = re.findall(r'<g id="(\w+)" class="node gnode[^"]*\bchanged\b', page)
    assert len(changed) == 4  # obj-2 added, vision revised, lone retired, shop-1 gone stale
    assert "double outline: added, revised, retired, gone stale or re-confirmed" in page
    past = client.get(f"/w/acme/graph?as_of={LAST_MONTH.isoformat()}").get_data(as_text=True)
    assert "Our own thing" in past and "Fewer refunds" not in past
    assert "as recorded that day" in past


def test_a_day_never_recorded_is_refused_with_a_message(client, login, org):
    _recorded_then_changed(org)
    login(org.people["coach"])
    day = (LAST_MONTH - timedelta(days=1)).isoformat()
    for url in (f"/w/acme/findings/compare?against={day}", f"/w/acme/graph?as_of={day}",
                "/w/acme/findings/compare?as_of=yesterday"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert b"choose today or a recorded day" in response.data or \
            b"Not a valid date" in response.data


def test_the_panorama_says_how_each_cell_stood_on_a_recorded_day(client, login, org):
    from cascade.models import PulseStatement
    from tests.factories import make_answers, make_pulse

    ws, units = org.workspace, org.units
    vision = make_node(ws, units["acme"], "vision", "Acme 2027")
    themes = [make_node(ws, units["acme"], "t-fast", "Fast checkout", parent=vision),
              make_node(ws, units["acme"], "t-trust", "Trust", parent=vision)]
    pulse = make_pulse(ws, [units["checkout"], units["search"]], key="prio", texts=())
    pulse.statements = [PulseStatement(position=i, text="I know how we contribute", node=t)
                        for i, t in enumerate(themes)]
    db.session.flush()
    make_answers(pulse.statements[0], units["checkout"], [1, 2, 2])
    db.session.commit()
    record_score(ws, analysis_of(ws, LAST_MONTH), by=None)
    make_answers(pulse.statements[0], units["checkout"], [5, 5, 5, 5])
    make_answers(pulse.statements[1], units["search"], [4, 4, 4])
    db.session.commit()
    login(org.people["coach"])
    page = client.get(f"/w/acme/pulses/panorama?pulse=prio&against={LAST_MONTH.isoformat()}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"{LAST_MONTH.isoformat()}: median 2, range 1–2" in text  # Checkout on Fast, then
    assert text.count(f"{LAST_MONTH.isoformat()}: not shown") == 3  # the other three cells
    assert "range 1–5 · 7" in text and "range 4–4 · 3" in text  # today's cells
    past = client.get(f"/w/acme/pulses/panorama?pulse=prio&as_of={LAST_MONTH.isoformat()}")
    shown = past.get_data(as_text=True)
    assert past.status_code == 200 and "as recorded that day" in shown
    assert "range 1–2 · 3" in shown and "range 1–5" not in shown and "range 4–4" not in shown
    assert shown.count("not enough answers yet</span>") == 3
    for query in ("against=2001-01-01", "as_of=2001-01-01"):
        bad = client.get(f"/w/acme/pulses/panorama?pulse=prio&{query}")
        assert bad.status_code == 400 and b"choose today or a recorded day" in bad.data


def test_the_findings_page_shows_a_recorded_day_as_it_was(client, login, org):
    then = _recorded_then_changed(org)
    login(org.people["coach"])
    page = client.get(f"/w/acme/findings?as_of={LAST_MONTH.isoformat()}").get_data(as_text=True)
    assert "as recorded that day" in page
    unaligned = next(f for f in then.findings if f.code == "UNALIGNED")
    assert f'id="f-{unaligned.fingerprint}"' in page  # resolved since, shown as it was
    assert "Acknowledge as known and intentional" not in page  # acknowledging is for today
    today_page = client.get("/w/acme/findings").get_data(as_text=True)
    assert f'id="f-{unaligned.fingerprint}"' not in today_page
    assert "Acknowledge as known and intentional" in today_page
    assert client.get("/w/acme/findings?as_of=2001-01-01").status_code == 400


def _dot_nodes(dot: str) -> dict[str, str]:
    """Each drawn node's attributes in a DOT source, by the title in its label."""
    found = {}
    for attrs in re.findall(r"^\s*\w+ \[(.*?)\];?$", dot, re.M | re.S):
        title = re.search(r"<TD>([^<]+)</TD>", attrs)
        if title and "gnode" in attrs:
            found[title.group(1)] = attrs
    return found


def test_downloads_draw_the_day_the_page_shows_with_its_outlines(client, login, org):
    _recorded_then_changed(org)
    login(org.people["coach"])
    day = LAST_MONTH.isoformat()
    past = client.get(f"/w/acme/graph.dot?as_of={day}")
    assert past.status_code == 200
    assert f'graph-{day}.dot"' in past.headers["Content-Disposition"]
    drawn = _dot_nodes(past.get_data(as_text=True))
    assert "Our own thing" in drawn and "Fewer refunds" not in drawn  # retired, added since
    assert "sev-high" in drawn["Our own thing"]  # its UNALIGNED finding of then, open
    assert f"as of {day}" in past.get_data(as_text=True)
    now = _dot_nodes(client.get("/w/acme/graph.dot").get_data(as_text=True))
    assert "Fewer refunds" in now and "sev-high" not in now["Our own thing"]

    outlined = client.get(f"/w/acme/graph.dot?against={day}").get_data(as_text=True)
    changed = {t for t, attrs in _dot_nodes(outlined).items() if 'peripheries=2' in attrs}
    assert changed == {"Fewer refunds", "Checkout in one minute", "Our own thing",
                       "Shopping gets faster"}
    assert f"changes since {day} outlined" in outlined
    assert 'peripheries=2' not in client.get("/w/acme/graph.dot").get_data(as_text=True)
    unit = _dot_nodes(client.get(f"/w/acme/graph.dot?against={day}&unit=shop")
                      .get_data(as_text=True))
    assert "Fewer refunds" not in unit and 'peripheries=2' in unit["Shopping gets faster"]

    svg = client.get(f"/w/acme/graph.svg?as_of={day}&against={day}")
    assert svg.status_code == 200 and b"Our own thing" in svg.data
    assert b"Fewer refunds" not in svg.data
    png = client.get(f"/w/acme/graph.png?as_of={day}")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")


def test_the_download_links_carry_the_days_and_bad_days_are_refused(client, login, org):
    _recorded_then_changed(org)
    login(org.people["coach"])
    day = LAST_MONTH.isoformat()
    for url in (f"/w/acme/graph?as_of={day}&against={day}&unit=shop",
                f"/w/acme/graph/view?as_of={day}&against={day}&unit=shop"):
        page = client.get(url).get_data(as_text=True)
        links = re.findall(r'href="(/w/acme/graph\.(?:svg|png|dot)\?[^"]*)"', page)
        assert len(links) == 3, url
        for link in links:
            assert f"as_of={day}" in link and f"against={day}" in link and "unit=shop" in link
    today_page = client.get("/w/acme/graph").get_data(as_text=True)
    assert 'href="/w/acme/graph.dot"' in today_page  # today: no days to carry
    for query in ("as_of=yesterday", f"as_of={(LAST_MONTH - timedelta(days=1)).isoformat()}",
                  f"against={(LAST_MONTH + timedelta(days=1)).isoformat()}"):
        for fmt in ("dot", "svg", "png"):
            response = client.get(f"/w/acme/graph.{fmt}?{query}")
            assert response.status_code == 400, (fmt, query)
            assert b"choose today or a recorded day" in response.data or \
                b"Not a valid date" in response.data


def _two_gaps(org):
    """Two unaligned team strategies: last month Lonely A was acknowledged and Lonely B not;
    since then A's acknowledgement was withdrawn and B acknowledged."""
    ws, units, coach = org.workspace, org.units, org.people["coach"]
    make_node(ws, units["acme"], "vision", "Checkout in one minute")
    make_node(ws, units["shop"], "lone-a", "Lonely A")
    make_node(ws, units["search"], "lone-b", "Lonely B")
    db.session.commit()
    then = analysis_of(ws, LAST_MONTH)
    a, b = (next(f for f in then.findings if f.code == "UNALIGNED" and f.nodes == (key,))
            for key in ("lone-a", "lone-b"))
    acknowledge(ws, a, "A is a deliberate experiment", by=coach)
    db.session.commit()
    then = analysis_of(ws, LAST_MONTH, fresh=True)
    record_score(ws, then, by=coach)
    db.session.commit()
    withdraw(ws, a.fingerprint, by=coach)
    acknowledge(ws, b, "B waits for the reorganisation", by=org.people["leader"])
    db.session.commit()
    return then, a, b


def test_a_past_day_shows_its_own_acknowledgements(client, login, org):
    then, a, b = _two_gaps(org)
    assert {f.fingerprint for f in then.findings if f.acknowledged} == {a.fingerprint}
    login(org.people["coach"])
    day = LAST_MONTH.isoformat()

    def card(page, finding):
        return next(c for c in page.split('<li class="finding-card')[1:]
                    if f'id="f-{finding.fingerprint}"' in c.split(">", 1)[0])

    past = client.get(f"/w/acme/findings?as_of={day}").get_data(as_text=True)
    assert "is-acknowledged" in card(past, a) and "A is a deliberate experiment" in card(past, a)
    assert f"Acknowledged by {org.people['coach'].name}" in card(past, a)
    assert "is-acknowledged" not in card(past, b) and "reorganisation" not in past
    assert "Withdraw" not in past  # acknowledging and withdrawing are for today
    assert f'href="/w/acme/coherence.json?as_of={day}"' in past  # the JSON of this day
    assert f'href="/w/acme/findings/compare?as_of={day}"' in past
    record = db.session.scalar(sa.select(ScoreRecord))
    score = re.search(r'<span class="score-number">([\d.]+)</span>', past).group(1)
    assert round(float(score)) == record.score == then.score

    now = client.get("/w/acme/findings").get_data(as_text=True)
    assert "is-acknowledged" not in card(now, a) and "deliberate experiment" not in now
    assert "is-acknowledged" in card(now, b) and "B waits for the reorganisation" in card(now, b)
    assert f"Acknowledged by {org.people['leader'].name}" in card(now, b)

    data = client.get(f"/w/acme/coherence.json?as_of={day}").get_json()
    acked = {f["nodes"][0]: f["acknowledged"] for f in data["findings"]
             if f["code"] == "UNALIGNED"}
    assert acked == {"lone-a": True, "lone-b": False} and data["score"] == record.score
    today_data = client.get("/w/acme/coherence.json").get_json()
    assert {f["nodes"][0]: f["acknowledged"] for f in today_data["findings"]
            if f["code"] == "UNALIGNED"} == {"lone-a": False, "lone-b": True}

    def badges(url):  # each node's count of open findings, as drawn
        return {title: int(re.search(r"<B> (\d+) </B>", attrs).group(1)) if "<B> " in attrs
                else 0 for title, attrs in _dot_nodes(client.get(url).get_data(as_text=True))
                .items()}

    past_graph, graph = badges(f"/w/acme/graph.dot?as_of={day}"), badges("/w/acme/graph.dot")
    assert past_graph["Lonely A"] == graph["Lonely A"] - 1  # acknowledged then, open now
    assert past_graph["Lonely B"] == graph["Lonely B"] + 1  # open then, acknowledged now


def test_the_comparison_lists_acknowledgements_given_and_withdrawn(client, login, org):
    _, a, b = _two_gaps(org)
    login(org.people["coach"])
    text = client.get(f"/w/acme/findings/compare?against={LAST_MONTH.isoformat()}") \
        .get_data(as_text=True)

    def section(title):
        return _section(text, title)

    assert section("Findings acknowledged")[0] == 1
    assert "“Lonely B”" in section("Findings acknowledged")[1]
    assert section("Acknowledgements withdrawn")[0] == 1
    assert "“Lonely A”" in section("Acknowledgements withdrawn")[1]
    leader, coach = org.people["leader"].name, org.people["coach"].name
    assert f"— {leader}" in section("Findings acknowledged")[1]  # who, and why, since
    assert "B waits for the reorganisation" in section("Findings acknowledged")[1]
    assert f"— {coach}" in section("Acknowledgements withdrawn")[1]  # what was withdrawn
    assert "A is a deliberate experiment" in section("Acknowledgements withdrawn")[1]
    assert section("Findings opened")[0] == section("Findings resolved")[0] == 0


def test_a_past_day_costs_the_same_queries_however_many_it_acknowledged(client, login, org,
                                                                        count_queries):
    """The day's acknowledgements come from its record, their authors in one query."""
    ws, units, coach = org.workspace, org.units, org.people["coach"]
    for i in range(6):
        make_node(ws, units["shop"], f"lone-{i}", f"Lonely {i}")
    db.session.commit()
    login(coach)

    def recorded_with(acknowledged: int) -> int:
        db.session.execute(sa.delete(ScoreRecord))
        gaps = [f for f in analysis_of(ws, LAST_MONTH, fresh=True).findings
                if f.code == "UNALIGNED"]
        for found in gaps[:acknowledged]:
            acknowledge(ws, found, f"Known {found.nodes[0]}",
                        by=org.people["leader" if len(found.nodes[0]) % 2 else "coach"])
        db.session.commit()
        record_score(ws, analysis_of(ws, LAST_MONTH, fresh=True), by=coach)
        db.session.commit()
        client.application.extensions["cascade_analyses"].clear()
        with count_queries() as counter:
            page = client.get(f"/w/acme/findings?as_of={LAST_MONTH.isoformat()}")
            assert page.status_code == 200
        assert page.get_data(as_text=True).count("Acknowledged by") == acknowledged
        return counter.count

    assert recorded_with(1) == recorded_with(6)

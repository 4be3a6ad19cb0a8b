"""The findings page, acknowledgements, snapshots and the findings JSON, as people use them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import render_template_string

from cascade import coherence
from cascade.clock import today
from cascade.coherence.names import name as rule_name
from cascade.db import db, utcnow
from cascade.findings.analysis import analysis_of
from cascade.findings.operations import record_score
from cascade.models import Acknowledgement, AuditEntry, Node, ScoreRecord
from tests.factories import make_node, make_note, make_person, make_unit, make_workspace


def _gaps(org):
    """Vision at revision 2, translated by Shopping (stale, uncovered) and Platform."""
    ws, units = org.workspace, org.units
    vision = make_node(ws, units["acme"], "vision", "Checkout in one minute", revision=2)
    make_node(ws, units["shop"], "shop-1", "Shopping gets faster", parent=vision,
              parent_revision_seen=1)
    make_node(ws, units["platform"], "plat-1", "Platform for speed", parent=vision)
    db.session.commit()
    return analysis_of(ws, today())


def _finding(analysis, code, first_node=None):
    return next(f for f in analysis.findings
                if f.code == code and (first_node is None or f.nodes[0] == first_node))


def test_coach_sees_findings_grouped_with_links_and_suggestions(client, login, org):
    analysis = _gaps(org)
    login(org.people["coach"])
    page = client.get("/w/acme/findings").get_data(as_text=True)
    stale = _finding(analysis, "STALE_TRANSLATION")
    assert stale.message in page.replace("&#34;", '"')
    assert "Suggested conversation:" in page
    assert 'href="/w/acme/nodes/shop-1"' in page and ">Shopping gets faster</a>" in page
    assert 'href="/w/acme/findings?unit=shop"' in page
    headings = re.findall(r'<h2 id="severity-(\w+)"', page)
    assert headings == ["high", "medium", "low"]
    codes = re.findall(r'<h3 class="code-heading">[^<]*<code>(\w+)</code>', page)
    assert codes == ["UNCOVERED", "STALE_TRANSLATION", "ONE_WAY", "UNENGAGED_UNIT"]
    assert f'id="f-{stale.fingerprint}"' in page
    assert f">{analysis.score_tenths:.1f}</span>" in page


@pytest.mark.parametrize("role, allowed", [("leader", 200), ("admin", 200), ("coach", 200),
                                           ("member", 403), ("tribe_leader", 200)])
def test_who_may_see_findings(client, login, org, role, allowed):
    _gaps(org)
    login(org.people[role])
    assert client.get("/w/acme/findings").status_code == allowed
    assert client.get("/w/acme/coherence.json").status_code == allowed
    nav = client.get("/w/acme/").get_data(as_text=True)
    assert ('href="/w/acme/findings"' in nav) == (allowed == 200)


@pytest.mark.parametrize("role, coach", [("leader", False), ("admin", False), ("coach", True)])
def test_only_coaches_get_the_acknowledge_form_and_snapshot_button(client, login, org, role,
                                                                   coach):
    _gaps(org)
    login(org.people[role])
    page = client.get("/w/acme/findings").get_data(as_text=True)
    assert ("Acknowledge as known and intentional" in page) == coach
    assert ("Take a snapshot" in page) == coach


def test_coach_acknowledges_a_finding_with_a_comment(client, login, org):
    analysis = _gaps(org)
    one_way = _finding(analysis, "ONE_WAY")
    login(org.people["coach"])
    response = client.post(f"/w/acme/findings/{one_way.fingerprint}/acknowledge",
                           data={"comment": "Both tribes report in the quarterly review.",
                                 "next": "/w/acme/findings?severity=low"})
    assert response.status_code == 302
    assert response.headers["Location"] == \
        f"/w/acme/findings?severity=low#f-{one_way.fingerprint}"
    ack = db.session.scalar(sa.select(Acknowledgement))
    assert (ack.code, ack.person_id) == ("ONE_WAY", org.people["coach"].id)
    entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "finding.acknowledge"))
    assert entry.target == one_way.fingerprint and entry.person_id == org.people["coach"].id
    after = analysis_of(org.workspace, today())
    assert after.score > analysis.score
    assert _finding(after, "ONE_WAY").acknowledged
    page = client.get("/w/acme/findings").get_data(as_text=True)
    assert f"({analysis.score_tenths:.1f} → {after.score_tenths:.1f})" in page
    assert "Acknowledged by Chloé" in page
    assert "Both tribes report in the quarterly review." in page
    assert "Withdraw acknowledgement" in page


def test_acknowledging_needs_a_comment(client, login, org):
    one_way = _finding(_gaps(org), "ONE_WAY")
    login(org.people["coach"])
    response = client.post(f"/w/acme/findings/{one_way.fingerprint}/acknowledge",
                           data={"comment": "   "}, follow_redirects=True)
    assert "Write a short comment" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Acknowledgement.id))) == 0


def test_leaders_cannot_acknowledge(client, login, org):
    one_way = _finding(_gaps(org), "ONE_WAY")
    login(org.people["leader"])
    assert client.post(f"/w/acme/findings/{one_way.fingerprint}/acknowledge",
                       data={"comment": "Fine."}).status_code == 403


def test_acknowledging_is_for_current_findings_and_stays_on_the_page(client, login, org):
    one_way = _finding(_gaps(org), "ONE_WAY")
    login(org.people["coach"])
    assert client.post("/w/acme/findings/0123456789abcdef/acknowledge",
                       data={"comment": "Fine."}).status_code == 404
    assert client.post(f"/w/acme/findings/{one_way.fingerprint}/acknowledge",
                       data={"comment": "Fine.", "next": "https://evil.test/"}
                       ).headers["Location"] == f"/w/acme/findings#f-{one_way.fingerprint}"


def test_coach_withdraws_an_acknowledgement(client, login, org):
    one_way = _finding(_gaps(org), "ONE_WAY")
    login(org.people["coach"])
    client.post(f"/w/acme/findings/{one_way.fingerprint}/acknowledge", data={"comment": "Ok."})
    response = client.post(f"/w/acme/findings/{one_way.fingerprint}/withdraw",
                           follow_redirects=True)
    assert "Acknowledgement withdrawn" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Acknowledgement.id))) == 0
    assert not _finding(analysis_of(org.workspace, today()), "ONE_WAY").acknowledged
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert "finding.withdraw" in actions
    assert client.post(f"/w/acme/findings/{one_way.fingerprint}/withdraw").status_code == 404


def test_an_acknowledgement_outlives_its_gap(client, login, org):
    uncovered = _finding(_gaps(org), "UNCOVERED", "plat-1")
    login(org.people["coach"])
    client.post(f"/w/acme/findings/{uncovered.fingerprint}/acknowledge",
                data={"comment": "Platform plans in January."})
    plat = db.session.scalar(sa.select(Node).where(Node.key == "plat-1"))
    make_node(org.workspace, org.units["payments"], "pay-1", parent=plat)
    db.session.commit()
    page = client.get("/w/acme/findings").get_data(as_text=True)
    assert "Acknowledgements of gaps that are closed now" in page
    assert "Platform plans in January." in page


def test_filters_by_code_severity_unit_and_subtree(client, login, org):
    analysis = _gaps(org)
    login(org.people["coach"])
    page = client.get("/w/acme/findings?code=UNCOVERED").get_data(as_text=True)
    assert re.findall(r'<h3 class="code-heading">[^<]*<code>(\w+)</code>', page) == ["UNCOVERED"]
    page = client.get("/w/acme/findings?severity=low").get_data(as_text=True)
    assert re.findall(r'<h2 id="severity-(\w+)"', page) == ["low"]
    page = client.get("/w/acme/findings?unit=payments").get_data(as_text=True)
    assert re.findall(r'<h3 class="code-heading">[^<]*<code>(\w+)</code>', page) \
        == ["UNENGAGED_UNIT"]
    page = client.get("/w/acme/findings?subtree=vision").get_data(as_text=True)
    assert "Coherence score of “Checkout in one minute” and below" in page
    subtree = coherence.score(analysis.snapshot, analysis.findings, root="vision", tenths=True)
    assert f'<span class="score-number">{subtree:.1f}</span>' in page


def test_an_unknown_filter_value_is_explained_not_applied(client, login, org):
    _gaps(org)
    login(org.people["coach"])
    page = client.get("/w/acme/findings?subtree=nope&code=UNCOVERED").get_data(as_text=True)
    assert "No node with children has the key “nope”." in page
    assert "STALE_TRANSLATION" in page


def test_a_coherent_workspace_says_so(client, login, app):
    ws = make_workspace("calm", "Calm Co")
    unit = make_unit(ws, "calm")
    coach = make_person("coach@calm.test", roles=[(unit, "coach")])
    make_node(ws, unit, "vision", status="draft")
    db.session.commit()
    login(coach)
    page = client.get("/w/calm/findings").get_data(as_text=True)
    assert "No findings: as of" in page and "No snapshots yet." in page
    assert '<span class="score-number">100.0</span>' in page


def test_coach_takes_a_snapshot_and_sees_the_trend_and_last_month(client, login, org):
    analysis = _gaps(org)
    db.session.add(ScoreRecord(workspace_id=org.workspace.id, score=analysis.score - 5,
                                 counts={"ONE_WAY": 1, "UNCOVERED": 2},
                                 as_of=analysis.as_of - timedelta(days=31)))
    db.session.add(ScoreRecord(workspace_id=org.workspace.id, score=50, counts={"ONE_WAY": 2},
                                 as_of=analysis.as_of - timedelta(days=90)))
    db.session.commit()
    login(org.people["coach"])
    response = client.post("/w/acme/findings/snapshots", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert f"Snapshot recorded: score {analysis.score}" in page
    snap = db.session.scalar(sa.select(ScoreRecord).where(
        ScoreRecord.as_of == analysis.as_of))
    assert snap.taken_by_id == org.people["coach"].id and snap.counts["UNENGAGED_UNIT"] == 3
    assert "snapshot.take" in db.session.scalars(sa.select(AuditEntry.action)).all()
    assert f"up {analysis.score_tenths - analysis.score + 5:.1f}</strong>" in page
    month = (analysis.as_of - timedelta(days=31)).isoformat()
    assert f"since the snapshot of {month}, about a month ago ({analysis.score - 5} then, " \
        "3 open findings then, 7 now)" in page
    trend = page[page.index('id="trend"'):page.index("Snapshot figures")]
    assert trend.count('class="line series-score"') == 1
    small = re.findall(
        r'<span class="rule">([^<]+)</span> <strong class="trend-count">(\d+)</strong>', trend)
    # one small chart per rule ever open, the most open now first; never-open rules absent
    assert [int(n) for _, n in small] == sorted((int(n) for _, n in small), reverse=True)
    names = [name for name, _ in small]
    assert {rule_name("ONE_WAY"), rule_name("UNCOVERED"), rule_name("UNENGAGED_UNIT")} <= set(names)
    assert rule_name("DEPENDENCY_CYCLE") not in names
    assert dict(small)[rule_name("UNENGAGED_UNIT")] == "3"
    assert trend.count("<polyline") == 1 + len(small)


def test_leaders_cannot_take_snapshots(client, login, org):
    _gaps(org)
    login(org.people["leader"])
    assert client.post("/w/acme/findings/snapshots").status_code == 403


def test_findings_page_has_no_inline_styles_or_scripts(client, login, org):
    _gaps(org)
    login(org.people["coach"])
    client.post("/w/acme/findings/snapshots")
    page = client.get("/w/acme/findings").get_data(as_text=True)
    assert "<svg" in page
    assert " style=" not in page and "<style" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"\son[a-z]+=", page)


def test_findings_json_follows_the_brief(client, login, org):
    analysis = _gaps(org)
    login(org.people["leader"])
    response = client.get("/w/acme/coherence.json")
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert list(data) == ["workspace", "as_of", "score", "findings"]
    assert data == analysis.report()
    day = today() - timedelta(days=20)
    record_score(org.workspace, analysis_of(org.workspace, day), by=None)
    db.session.commit()
    dated = client.get(f"/w/acme/coherence.json?as_of={day.isoformat()}").get_json()
    assert dated["as_of"] == day.isoformat()
    for bad_day in ("15/01/2026", (day - timedelta(days=1)).isoformat()):  # never recorded
        bad = client.get(f"/w/acme/coherence.json?as_of={bad_day}")
        assert bad.status_code == 400 and "YYYY-MM-DD" in bad.get_json()["message"]
    shop = client.get("/w/acme/coherence.json?unit=shop&severity=high").get_json()
    assert shop["filters"] == {"unit": "shop", "severity": "high"}
    assert shop["findings"] and all("shop" in f["units"] and f["severity"] == "high"
                                    for f in shop["findings"])
    assert len(shop["findings"]) < len(data["findings"])
    assert client.get("/w/acme/coherence.json?unit=nowhere").status_code == 400


def test_findings_page_queries_do_not_grow_with_the_workspace(client, login, org,
                                                              count_queries):
    _gaps(org)
    login(org.people["coach"])
    client.post("/w/acme/findings/snapshots")

    def queries() -> int:  # with nothing kept, so that both pages analyse the workspace
        client.application.extensions["cascade_analyses"].clear()
        with count_queries() as counter:
            assert client.get("/w/acme/findings").status_code == 200
        return counter.count
    small = queries()
    ws, units = org.workspace, org.units
    parent = make_node(ws, units["search"], "search-root", parent=None)
    for i in range(40):
        node = make_node(ws, units["search"], f"s-{i}", parent=parent, status="proposed")
        make_note(node, author=org.people["member"], unit=units["checkout"],
                  created_at=utcnow() - timedelta(days=30))
    db.session.commit()
    one_way = _finding(analysis_of(ws, today()), "UNANSWERED_FEEDBACK")
    client.post(f"/w/acme/findings/{one_way.fingerprint}/acknowledge", data={"comment": "Ok"})
    assert queries() == small


def test_finding_badges_macro_for_node_pages(client, login, org):
    analysis = _gaps(org)
    login(org.people["coach"])
    with client:
        client.get("/w/acme/findings")
        html = render_template_string(
            '{% from "findings/_badges.html" import finding_badges %}'
            "{{ finding_badges(findings) }}|{{ finding_badges([]) }}|",
            findings=analysis.by_node["shop-1"])
    assert html.count('<li class="finding-badge') == len(analysis.by_node["shop-1"])
    assert "Stale translation</a>" in html and 'href="/w/acme/findings?code=' in html
    assert html.split("|")[1].strip() == ""


def test_acknowledging_as_a_person_loaded_before_a_commit(org):
    """`by` expired by a commit loads as its id is read: before the new row is in the
    session, so no half-made acknowledgement is flushed (it would lack its comment)."""
    from cascade.findings.operations import acknowledge

    one_way = _finding(_gaps(org), "ONE_WAY")
    coach = org.people["coach"]
    db.session.commit()  # expires the coach
    ack = acknowledge(org.workspace, one_way, "Known.", by=coach)
    db.session.commit()
    assert (ack.comment, ack.person_id) == ("Known.", coach.id)

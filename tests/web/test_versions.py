"""Issue 13, part 3: every write raises its workspace's version once (O(1), one UPDATE),
the analysis of each version is stored and computed once across workers and hosts, and
pages serve the newest complete analysis, saying how fresh it is."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa

from cascade import audit, interchange
from cascade.clock import today
from cascade.db import db
from cascade.feedback import operations as feedback
from cascade.findings import operations as findings_ops
from cascade.findings import stored
from cascade.findings.analysis import analysis_of
from cascade.findings.jobs import analyse
from cascade.jobs.queue import jobs_of, run_pending
from cascade.models import (
    Link,
    Membership,
    Node,
    PulseAnswer,
    Role,
    StoredAnalysis,
    Workspace,
)
from cascade.organisation import operations as org_ops
from cascade.pulses import operations as pulse_ops
from cascade.strategy import operations as strategy_ops
from tests.factories import make_answers, make_node, make_note, make_pulse


def version(ws_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(Workspace.data_version).where(Workspace.id == ws_id))


def forget_kept() -> None:
    """As a process that never loaded the workspace's analysis."""
    from flask import current_app

    current_app.extensions["cascade_analyses"].clear()


@pytest.fixture
def world(org):
    ws, units, people = org.workspace, org.units, org.people
    org.vision = make_node(ws, units["acme"], "vision", "Vision")
    org.goal = make_node(ws, units["checkout"], "goal", "Checkout goal", parent=org.vision)
    org.note = make_note(org.goal, author=people["member"], unit=units["checkout"])
    org.pulse = make_pulse(ws, [units["checkout"]], node=org.vision)
    db.session.commit()
    return org


def _node(w):
    strategy_ops.create_node(w.workspace, w.units["shop"], "A new objective", w.people["leader"])


def _edit(w):
    strategy_ops.edit_node(w.goal, w.goal.version, w.people["leader"], title="Renamed goal",
                           statement="Now with words", horizon=None)


def _status(w):
    from cascade.clock import now
    strategy_ops.set_status(w.goal, "retired", by=w.people["leader"], now=now())


def _link(w):
    strategy_ops.add_link(w.goal, w.vision, "contributes_to", by=w.people["leader"])


def _unlink(w):
    link = Link(workspace_id=w.workspace.id, source=w.goal, target=w.vision,
                kind="depends_on")
    db.session.add(link)
    db.session.commit()
    strategy_ops.remove_link(link, w.goal, "vision", by=w.people["leader"])


def _note(w):
    feedback.leave_note(w.vision, w.people["member"], w.units["checkout"], kind="validation",
                        stance="support", body="Makes sense to us.")


def _note_edit(w):
    feedback.edit_note(w.note, w.note.version, w.people["member"], body="Changed my mind.")


def _answer(w):
    feedback.answer_note(w.note, w.people["leader"], status="acknowledged", response="Seen.")


def _reply(w):
    feedback.reply(w.note, w.people["leader"], "Tell us more.")


def _unit(w):
    org_ops.create_unit(w.workspace, "Brand new team", w.units["shop"], by=w.people["admin"])


def _archive(w):
    org_ops.set_archived(w.units["search"], True, by=w.people["admin"])


def _membership(w):
    org_ops.grant(w.workspace, w.people["member"], w.units["search"], Role.MEMBER,
                  by=w.people["admin"])


def _role(w):
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.person_id == w.people["member"].id))
    org_ops.change_role(membership, Role.LEADER, by=w.people["admin"])


def _pulse(w):
    pulse_ops.create_pulse(w.workspace, by=w.people["coach"], title="How clear is it?",
                           node=w.vision, texts=["I understand it"], units=[w.units["checkout"]],
                           opens_on=today(), closes_on=today())


def _pulse_answer(w):
    make_answers(w.pulse.statements[0], w.units["checkout"], [4])


def _acknowledge(w):
    found = analysis_of(w.workspace, today(), fresh=True).findings[0]
    assert w.people["coach"].id  # loaded first: a refresh inside would flush a half-made row
    findings_ops.acknowledge(w.workspace, found, "Known and intended.", by=w.people["coach"])


def _withdraw(w):
    _acknowledge(w)
    db.session.commit()
    found = analysis_of(w.workspace, today(), fresh=True).findings[0]
    findings_ops.withdraw(w.workspace, found.fingerprint, by=w.people["coach"])


def _settings(w):
    w.workspace.settings = {"feedback_days": 3}


def _delete_node(w):
    db.session.delete(w.goal)


WRITES = {"node created": _node, "node edited": _edit, "status changed": _status,
          "link added": _link, "link removed": _unlink, "note left": _note,
          "note edited": _note_edit, "note answered": _answer, "reply": _reply,
          "unit created": _unit, "unit archived": _archive, "membership granted": _membership,
          "role changed": _role, "pulse created": _pulse, "pulse answered": _pulse_answer,
          "finding acknowledged": _acknowledge, "acknowledgement withdrawn": _withdraw,
          "thresholds changed": _settings, "node deleted": _delete_node}


@pytest.mark.parametrize("write", WRITES)
def test_each_write_raises_the_version_once_and_the_analysis_follows(world, write):
    ws_id = world.workspace.id
    before = version(ws_id)
    WRITES[write](world)
    db.session.commit()
    after = version(ws_id)
    two_steps = write in ("link removed", "acknowledgement withdrawn")  # made, then undone
    assert after == before + (2 if two_steps else 1)
    db.session.rollback()
    latest = stored.latest(ws_id, today(), stored.settings_key(
        analysis_of(world.workspace, today()).settings))
    assert latest.data_version == after  # analysed after the commit (inline under TESTING)


def test_a_write_to_another_workspace_or_to_no_workspace_leaves_the_version(world):
    ws_id = world.workspace.id
    before = version(ws_id)
    other = db.session.scalar(sa.select(Workspace).where(Workspace.slug == "other"))
    make_node(other, other.units[0], "elsewhere", "Elsewhere")
    audit.record(world.people["admin"], ws_id, "look", "node", "vision")
    world.people["member"].name = "Samantha"
    db.session.commit()
    assert version(ws_id) == before
    assert version(other.id) > 1


def test_the_version_is_raised_by_one_statement_whatever_the_size(world, count_queries):
    """O(1): a note on a workspace of 300 nodes costs the same statements as on one of 3."""
    def statements_for_a_note() -> int:
        with count_queries() as counted:
            _note(world)
            db.session.commit()  # the inline analysis runs in its own app context, counted too
        return counted.count

    world.app_config = None
    small = statements_for_a_note()
    for i in range(300):
        db.session.add(Node(workspace_id=world.workspace.id, unit_id=world.units["shop"].id,
                            key=f"n{i}", title=f"Node {i}", statement="", status="agreed"))
    db.session.commit()
    assert statements_for_a_note() == small


def test_an_import_is_a_new_version_analysed_once(app, org, runner):
    doc = interchange.dump(org.workspace)
    doc["nodes"] = [{"key": "imported", "title": "Imported vision", "unit": "acme",
                     "status": "agreed"}]
    runs = stored.RUNS.runs
    ws = interchange.load(doc, replace=True)
    db.session.commit()
    assert stored.RUNS.runs == runs + 1
    assert stored.latest(ws.id, today(), stored.settings_key(
        analysis_of(ws, today()).settings)).data_version == version(ws.id)


@pytest.fixture
def queued(app):
    """Analyses after writes go to the queue, as in production (no inline analysis)."""
    app.config["ANALYSIS_INLINE"] = False
    yield jobs_of(app)
    app.config["ANALYSIS_INLINE"] = None


def test_pages_serve_the_last_complete_analysis_and_say_how_fresh(queued, client, login,
                                                                  world):
    run_pending()  # what the fixtures' writes queued
    login(world.people["coach"])
    page = client.get("/w/acme/findings").get_data(as_text=True)
    assert "Findings analysed" in page and "updating" not in page
    runs = stored.RUNS.runs
    db.session.add(Node(workspace_id=world.workspace.id, unit_id=world.units["platform"].id,
                        key="orphan", title="Orphan objective", statement="", status="agreed"))
    db.session.commit()
    assert stored.RUNS.runs == runs  # nothing analysed on the request path
    page = client.get("/w/acme/findings").get_data(as_text=True)
    assert "Orphan objective" not in page and "updating" in page  # the newest complete one
    assert stored.RUNS.runs == runs
    assert queued.huey.pending_count() >= 1
    run_pending()
    assert stored.RUNS.runs == runs + 1
    page = client.get("/w/acme/findings").get_data(as_text=True)
    assert "Orphan objective" in page and "updating" not in page


def test_after_a_write_the_analysis_is_computed_once_across_workers(queued, served, world):
    """Three app servers (each its own process state and cache) and the queued jobs: the
    new version is analysed exactly once, whoever asks first."""
    servers = [served(ANALYSIS_INLINE=False) for _ in range(3)]
    coach = world.people["coach"]
    for server in servers:  # every worker has loaded the current analysis
        assert server.browser(coach).get("/w/acme/nodes/goal").status == 200
    runs = stored.RUNS.runs
    leader = servers[0].browser(world.people["leader"])
    answer = leader.post("/w/acme/nodes/new", {"title": "A fresh objective",
                                               "unit": str(world.units["acme"].id)})
    assert answer.status in (302, 303), answer.body[:500]
    assert stored.RUNS.runs == runs
    barrier = threading.Barrier(4)

    def read(server):
        barrier.wait()
        for _ in range(5):
            assert server.browser(coach).get("/w/acme/nodes/goal").status == 200

    def work():
        barrier.wait()
        for server in servers:
            with server.app.app_context():
                run_pending(server.app)

    threads = [threading.Thread(target=read, args=(s,)) for s in servers]
    threads.append(threading.Thread(target=work))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert stored.RUNS.runs == runs + 1
    rows = db.session.execute(sa.select(StoredAnalysis.data_version, StoredAnalysis.state)
                              .where(StoredAnalysis.workspace_id == world.workspace.id)).all()
    assert rows == [(version(world.workspace.id), "done")]


@pytest.mark.committed  # the threads' sessions each have a connection of their own
def test_first_need_waits_for_the_worker_that_claimed_the_version(world, monkeypatch):
    """Two processes needing an analysis no one has: the second waits for the first's."""
    db.session.execute(sa.delete(StoredAnalysis))
    db.session.commit()
    forget_kept()
    runs = stored.RUNS.runs
    results = []
    ws_id = world.workspace.id
    from flask import current_app
    real = current_app._get_current_object()

    def ask():
        with real.app_context():
            ws = db.session.get(Workspace, ws_id)
            results.append(stored.made(analysis_of(ws, today())).data_version)
            db.session.remove()
    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert stored.RUNS.runs == runs + 1
    assert results == [version(ws_id)] * 4


def test_a_crashed_claim_is_taken_over(world):
    ws_id = world.workspace.id
    current = version(ws_id)
    key = stored.settings_key(analysis_of(world.workspace, date(2020, 1, 1)).settings)
    db.session.execute(sa.delete(StoredAnalysis))
    db.session.execute(sa.insert(StoredAnalysis).values(
        workspace_id=ws_id, data_version=current, as_of=today(), settings_key=key,
        state="computing", started_at=stored.clock.now() - stored.STALE_CLAIM * 2))
    db.session.commit()
    forget_kept()
    analyse(workspace_id=ws_id)
    assert db.session.scalar(sa.select(StoredAnalysis.state)) == "done"


def test_pulse_answers_count_for_their_workspace(world):
    ws_id = world.workspace.id
    before = version(ws_id)
    db.session.add(PulseAnswer(statement_id=world.pulse.statements[0].id,
                               unit_id=world.units["checkout"].id, value=2, role="member",
                               shown_value=2, shown_role="member"))
    db.session.commit()
    assert version(ws_id) == before + 1

"""The import, export, coherence and snapshot commands, run as an operator would."""

from __future__ import annotations

import json

import sqlalchemy as sa

from cascade import interchange
from cascade.db import db
from cascade.models import AuditEntry, Node, Person, ScoreRecord, Workspace
from tests.documents import small_document


def _write(tmp_path, doc, name="acme.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_import_creates_the_workspace_and_records_it(runner, tmp_path):
    result = runner.invoke(args=["import", _write(tmp_path, small_document())])
    assert result.exit_code == 0, result.output
    assert "imported workspace 'acme'" in result.output
    ws = db.session.scalar(sa.select(Workspace).where(Workspace.slug == "acme"))
    assert ws.name == "Acme Digital" and _count(Node) == 2
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.workspace_id == ws.id))
    assert entry.action == "workspace.import" and entry.after["nodes"] == 2


def test_import_reports_every_problem_with_its_path_and_changes_nothing(runner, tmp_path):
    doc = small_document()
    doc["nodes"][1]["parent"] = "nowhere"
    doc["nodes"][0]["status"] = "finished"
    doc["notes"][0]["stance"] = 3
    result = runner.invoke(args=["import", _write(tmp_path, doc)])
    assert result.exit_code == 1
    assert "3 problem(s)" in result.output
    assert "$.nodes[1].parent: unknown node 'nowhere'" in result.output
    assert "$.nodes[0].status: must be one of" in result.output
    assert "$.notes[0].stance: must be a string" in result.output
    assert _count(Workspace) == 0 and _count(Node) == 0


def test_import_refuses_an_existing_slug_unless_replacing(runner, tmp_path):
    assert runner.invoke(args=["import", _write(tmp_path, small_document())]).exit_code == 0
    doc = small_document()
    doc["nodes"][0]["title"] = "Checkout in thirty seconds"
    path = _write(tmp_path, doc, "changed.json")
    refused = runner.invoke(args=["import", path])
    assert refused.exit_code == 1 and "$.workspace.slug" in refused.output
    assert db.session.scalar(sa.select(Node.title).where(Node.key == "vision")) \
        == "Checkout in one minute"
    assert runner.invoke(args=["import", path, "--replace"]).exit_code == 0
    assert db.session.scalar(sa.select(Node.title).where(Node.key == "vision")) \
        == "Checkout in thirty seconds"
    assert _count(Workspace) == 1


def test_import_explains_a_file_that_is_not_json(runner, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1 and "$: not valid JSON" in result.output


def test_export_then_import_then_export_gives_the_same_document(runner, tmp_path):
    runner.invoke(args=["import", _write(tmp_path, small_document())])
    first = runner.invoke(args=["export", "acme"])
    assert first.exit_code == 0
    exported = json.loads(first.output)
    assert exported["format"] == "cascade/v1"
    assert [n["key"] for n in exported["nodes"]] == ["vision", "pay-1"]
    out = tmp_path / "out.json"
    assert runner.invoke(args=["export", "acme", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == exported
    assert runner.invoke(args=["import", str(out), "--replace"]).exit_code == 0
    assert json.loads(runner.invoke(args=["export", "acme"]).output) == exported


def test_export_of_an_unknown_workspace_fails(runner):
    result = runner.invoke(args=["export", "nope"])
    assert result.exit_code == 1 and "no workspace 'nope'" in result.output


def test_coherence_prints_a_table_of_findings(runner):
    interchange.load(small_document())
    db.session.commit()
    result = runner.invoke(args=["coherence", "acme", "--as-of", "2026-11-01"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("acme as of 2026-11-01: score ")
    assert lines[1].split() == ["SEVERITY", "CODE", "NODES", "UNITS", "MESSAGE"]
    assert any(line.split()[:2] == ["medium", "UNANSWERED_FEEDBACK"] for line in lines)


def test_coherence_json_follows_the_findings_shape_and_the_as_of_date(runner):
    interchange.load(small_document())
    db.session.commit()
    before = json.loads(runner.invoke(args=["coherence", "acme", "--json",
                                            "--as-of", "2026-10-10"]).output)
    after = json.loads(runner.invoke(args=["coherence", "acme", "--json",
                                           "--as-of", "2026-11-01"]).output)
    assert list(after) == ["workspace", "as_of", "score", "findings"]
    assert (after["workspace"], after["as_of"]) == ("acme", "2026-11-01")
    codes = {f["code"] for f in after["findings"]}
    assert "UNANSWERED_FEEDBACK" in codes  # the concern of 1 October is a month old
    assert "UNANSWERED_FEEDBACK" not in {f["code"] for f in before["findings"]}
    assert set(after["findings"][0]) == {"code", "severity", "nodes", "units", "message",
                                         "suggestion", "acknowledged"}


def test_coherence_refuses_a_bad_date(runner):
    interchange.load(small_document())
    db.session.commit()
    result = runner.invoke(args=["coherence", "acme", "--as-of", "1 November"])
    assert result.exit_code == 2 and "--as-of" in result.output


def test_snapshot_records_the_score_once_per_day(runner):
    ws = interchange.load(small_document())
    db.session.commit()
    for _ in range(2):
        result = runner.invoke(args=["snapshot", "acme"])
        assert result.exit_code == 0 and "recorded score" in result.output
    snap = db.session.scalar(sa.select(ScoreRecord))
    assert _count(ScoreRecord) == 1 and snap.workspace_id == ws.id
    assert 0 <= snap.score < 100 and snap.counts["UNCOVERED"] == 0
    assert sum(snap.counts.values()) >= 1
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert actions.count("snapshot.take") == 2


def test_the_demo_comes_with_a_score_trend_to_compare_with(runner, client, login):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    weeks = db.session.scalars(sa.select(ScoreRecord.as_of).order_by(ScoreRecord.as_of)).all()
    assert len(weeks) == 6
    assert all((b - a).days == 7 for a, b in zip(weeks, weeks[1:], strict=False))
    chloe = db.session.scalar(sa.select(Person).where(Person.email == "chloe@northwind.test"))
    login(chloe)
    page = client.get("/w/northwind/findings").get_data(as_text=True)
    assert "about a month ago" in page and "No snapshot from about a month ago" not in page

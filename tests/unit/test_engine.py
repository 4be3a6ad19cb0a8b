"""analyse(), Analysis.report() and the score: ordering, acknowledgements and the JSON shape."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from cascade.coherence import Analysis, analyse, score, subtree_keys
from cascade.coherence.model import Settings
from tests.unit.builders import (
    AS_OF,
    change,
    coherent,
    edit_node,
    findings,
    node,
    note,
    unit,
    with_nodes,
)

ROOT = Path(__file__).resolve().parents[2]


def _messy():
    snap = edit_node(coherent(), "obj-1", revision=2)                      # 2 x STALE, medium
    snap = with_nodes(snap, node("risk-2", "risk"))                        # UNALIGNED, high
    return change(snap, notes=snap.notes + (
        note("web-1", "pay-web", stance="blocker", age=timedelta(days=20)),))  # high


def test_findings_sorted_by_severity_code_nodes():
    found = analyse(_messy(), AS_OF)
    assert [(f.severity, f.code, f.nodes[0]) for f in found] == [
        ("high", "UNALIGNED", "risk-2"), ("high", "UNANSWERED_FEEDBACK", "web-1"),
        ("medium", "STALE_TRANSLATION", "pay-1"), ("medium", "STALE_TRANSLATION", "risk-1")]


def test_acknowledged_findings_are_marked_and_stop_counting():
    snap = _messy()
    first = analyse(snap, AS_OF)
    acked = change(snap, acknowledged=frozenset({first[0].fingerprint}))
    again = analyse(acked, AS_OF)
    assert [f.acknowledged for f in again] == [True, False, False, False]
    assert again == first  # acknowledgement does not change identity
    assert score(acked, again) > score(snap, first)


def test_report_matches_the_findings_json():
    data = Analysis.of(_messy(), AS_OF).report()
    assert list(data) == ["workspace", "as_of", "score", "findings"]
    assert (data["workspace"], data["as_of"]) == ("acme", "2026-11-01")
    assert set(data["findings"][0]) == {"code", "severity", "nodes", "units", "message",
                                        "suggestion", "acknowledged"}
    assert json.loads(json.dumps(data)) == data
    # 7 live nodes + 1, penalty 5 + 5 + 3 + 3
    assert data["score"] == 100 * 8 // (8 + 16)


def test_coherent_report_scores_100():
    assert Analysis.of(coherent(), AS_OF).report() == {"workspace": "acme", "as_of": "2026-11-01",
                                         "score": 100, "findings": []}


def test_score_uses_the_weights_setting():
    snap = _messy()
    heavy = Settings(weights=(("high", 50), ("medium", 3), ("low", 1)))
    assert score(snap, analyse(snap, AS_OF, heavy), heavy) < score(snap, analyse(snap, AS_OF))


def test_subtree_keys_follow_parent_links():
    assert subtree_keys(coherent(), "pay-1") == ["pay-1", "web-1", "web-2"]
    assert subtree_keys(coherent(), "unknown") == []


def test_subtree_score_counts_findings_naming_its_nodes():
    snap = _messy()
    found = analyse(snap, AS_OF)
    assert score(snap, found, root="web-1") == 100 * 2 // (2 + 5)
    assert score(snap, found, root="pay-1") == 100 * 4 // (4 + 5 + 3)
    assert score(snap, found, root="risk-2") == 100 * 2 // (2 + 5)


def test_units_only_finding_counts_in_subtrees_its_units_own():
    snap = change(coherent(), units=coherent().units + (unit("pay-app", "pay"),))
    found = analyse(snap, AS_OF)
    assert [f.code for f in found] == ["UNENGAGED_UNIT"]
    assert score(snap, found, root="pay-1") < 100
    assert score(snap, found, root="risk-1") == 100
    assert score(snap, found) < 100


def test_analysis_holds_the_same_findings_and_score_as_analyse():
    snap = change(_messy(), units=_messy().units + (unit("pay-app", "pay"),))
    done = Analysis.of(snap, AS_OF)
    assert done.findings == analyse(snap, AS_OF)
    assert done.score == score(snap, done.findings)
    assert done.by_node["pay-1"] == [f for f in done.findings if "pay-1" in f.nodes]


def test_as_of_makes_results_reproducible():
    snap = _messy()
    assert analyse(snap, AS_OF) == analyse(snap, AS_OF)
    assert findings(snap, "UNANSWERED_FEEDBACK", as_of=AS_OF - timedelta(days=10)) == []


# The parent package `cascade` holds the Flask factory, so the check stands in an empty
# package for it: what is measured is what the engine itself pulls in.
PURITY_CHECK = """
import sys, types
package = types.ModuleType("cascade")
package.__path__ = [sys.argv[1]]
sys.modules["cascade"] = package
import cascade.coherence, cascade.coherence.rules, cascade.coherence.score
print(sorted(m for m in sys.modules if m.split(".")[0] in ("flask", "sqlalchemy")))
"""


def test_engine_imports_no_web_or_database_code():
    out = subprocess.run([sys.executable, "-c", PURITY_CHECK, str(ROOT / "cascade")],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"

"""Findings as of a day, filtered as on the findings page, and the score history."""

from __future__ import annotations

from datetime import date

from flask import g
from pydantic import Field

from cascade import clock
from cascade.api import bp
from cascade.api import schemas as s
from cascade.api.problems import ApiProblem
from cascade.api.spec import operation
from cascade.findings import history, listing
from cascade.findings.analysis import analysis_of
from cascade.vocabulary import Severity


class FindingQuery(s.Query):
    as_of: date | None = Field(None, description="The day (YYYY-MM-DD, default today): "
                                                 "rules read the workspace as of its end.")
    code: s.text(40) | None = None
    severity: Severity | None = None
    subtree: s.Key | None = Field(None, description="Only findings under this node (its key).")
    unit: s.Key | None = Field(None, description="Only findings naming this unit.")


def _day(query: FindingQuery) -> date:
    day = query.as_of or clock.today()
    if not date(2000, 1, 1) <= day <= date(2999, 12, 31):
        raise ApiProblem(400, "as_of must be a day between 2000 and 2999.",
                         errors=[{"path": "$.as_of", "in": "query", "message": "out of range"}])
    return day


@operation(bp, "/w/<workspace>/findings", "GET", summary="Findings and the score as of a day",
           scope="read", action="finding.view", query=FindingQuery, response=s.Findings,
           tags=("findings",))
def findings(query: FindingQuery):
    analysis = analysis_of(g.workspace, _day(query))
    if query.subtree and query.subtree not in {n.key for n in analysis.snapshot.nodes}:
        raise ApiProblem(400, "No node has that key.",
                         errors=[{"path": "$.subtree", "in": "query", "message": "no such node"}])
    chosen = listing.selection(analysis, query.code, query.severity, query.subtree, query.unit)
    return s.Findings(
        workspace=g.workspace.slug, as_of=analysis.as_of.isoformat(), score=analysis.score,
        scope_score=round(chosen.score, 1),
        findings=[s.FindingOut(fingerprint=f.fingerprint, **f.as_dict())
                  for f in chosen.findings])


@operation(bp, "/w/<workspace>/score-history", "GET", summary="The recorded score snapshots",
           scope="read", action="finding.view", response=s.ScoreHistory, tags=("findings",))
def score_history():
    return s.ScoreHistory(items=[s.ScorePoint(as_of=r.as_of.isoformat(), score=r.score,
                                              counts=r.counts or {}, taken_at=r.taken_at)
                                 for r in history.score_history(g.workspace)])

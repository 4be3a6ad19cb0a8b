"""Findings as of a day, filtered as on the findings page, the score history, and
acknowledging and withdrawing, as coaches do on the findings page."""

from __future__ import annotations

from datetime import date

from flask import g
from pydantic import Field

from cascade import clock
from cascade.api import bp
from cascade.api import schemas as s
from cascade.api.problems import ApiProblem
from cascade.api.spec import operation
from cascade.coherence.model import Finding
from cascade.db import db
from cascade.findings import history, listing
from cascade.findings import operations as ops
from cascade.models import Person
from cascade.views.load import finding_by_fingerprint
from cascade.vocabulary import Severity


class FindingQuery(s.Query):
    as_of: date | None = Field(None, description="The day (YYYY-MM-DD, default today): "
                                                 "today, or a recorded day (see the score "
                                                 "history) shown exactly as it was, with "
                                                 "that day's acknowledgements.")
    code: s.text(40) | None = None
    severity: Severity | None = None
    subtree: s.Key | None = Field(None, description="Only findings under this node (its key).")
    unit: s.Key | None = Field(None, description="Only findings naming this unit.")


def _analysis(query: FindingQuery):
    """Today's analysis, or a recorded day's as the pages show it; any other day is a 400."""
    today = clock.today()
    day = query.as_of or today
    if day > today or (day < today and day not in history.recorded_days(g.workspace)):
        raise ApiProblem(400, f"No snapshot was recorded on {day.isoformat()}: as_of must be "
                              "today or a recorded day (GET score-history lists them).",
                         errors=[{"path": "$.as_of", "in": "query",
                                  "message": "not a recorded day"}])
    return history.state_on(g.workspace, day, today)


@operation(bp, "/w/<workspace>/findings", "GET", summary="Findings and the score as of a day",
           scope="read", action="finding.view", query=FindingQuery, response=s.Findings,
           tags=("findings",))
def findings(query: FindingQuery):
    analysis = _analysis(query)
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


def _acknowledgement(ack) -> s.Acknowledgement:
    person = db.session.get(Person, ack.person_id) if ack.person_id else None
    return s.Acknowledgement(fingerprint=ack.fingerprint, code=ack.code, comment=ack.comment,
                             by=person.name if person else None, created_at=ack.created_at)


@operation(bp, "/w/<workspace>/findings/<fingerprint>/acknowledge", "POST",
           summary="Acknowledge a current finding as known and intentional",
           scope="write:notes", action="finding.acknowledge", load=finding_by_fingerprint,
           body=s.AcknowledgementCreate, response=s.Acknowledgement, tags=("findings",))
def acknowledge_finding(found: Finding, body: s.AcknowledgementCreate):
    ack = ops.acknowledge(g.workspace, found, body.comment, by=g.person)
    db.session.commit()
    return _acknowledgement(ack)


@operation(bp, "/w/<workspace>/findings/<fingerprint>/withdraw", "POST",
           summary="Withdraw an acknowledgement: the finding counts again",
           scope="write:notes", action="finding.acknowledge", response=s.Acknowledgement,
           tags=("findings",))
def withdraw_finding(fingerprint: str):
    try:
        ack = ops.withdraw(g.workspace, fingerprint, by=g.person)
    except listing.UnknownFinding:
        raise ApiProblem(404, "No acknowledgement of that finding.") from None
    shown = _acknowledgement(ack)
    db.session.commit()
    return shown

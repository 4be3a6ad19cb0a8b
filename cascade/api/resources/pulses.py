"""Pulses and their results exactly as the results page shows them: distributions of the
units with enough answers (the workspace's threshold), pooled from those only; never a
single answer, never a unit below the threshold."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import selectinload

from cascade import clock
from cascade.api import bp
from cascade.api import schemas as s
from cascade.api.pages import ListQuery, page
from cascade.api.spec import operation
from cascade.models import Pulse, PulseStatement
from cascade.organisation.settings import pulse_min_answers
from cascade.pulses import reading, results
from cascade.pulses.stats import Distribution
from cascade.views.load import pulse_by_key

PulsePage = s.page_of(s.Pulse)


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def pulse_out(pulse: Pulse, **extra) -> s.Pulse:
    return s.Pulse(
        key=pulse.key, title=pulse.title, node=pulse.node.key if pulse.node else None,
        status=str(pulse.status), state=reading.state(pulse, clock.today()),
        opens_on=_iso(pulse.opens_on), closes_on=_iso(pulse.closes_on),
        units=[u.key for u in pulse.units],
        statements=[s.StatementOut(id=st.id, text=st.text, node=st.node.key if st.node else None)
                    for st in pulse.statements], **extra)


def _counts(dist: Distribution) -> s.Counts:
    return s.Counts(counts=list(dist.counts), n=dist.n, median=dist.median)


@operation(bp, "/w/<workspace>/pulses", "GET", summary="Pulses (results on each pulse)",
           scope="read", action="pulse.view", query=ListQuery, response=PulsePage,
           tags=("pulses",))
def pulses(query: ListQuery):
    rows, following = page(
        sa.select(Pulse).where(Pulse.workspace_id == g.workspace.id)
        .options(selectinload(Pulse.node), selectinload(Pulse.units),
                 selectinload(Pulse.statements).selectinload(PulseStatement.node)),
        Pulse.id, query, Pulse.created_at)
    return PulsePage(items=[pulse_out(p) for (p,) in rows], next=following)


@operation(bp, "/w/<workspace>/pulses/<key>", "GET", summary="One pulse with its results",
           scope="read", action="pulse.view", load=pulse_by_key, response=s.Pulse,
           tags=("pulses",))
def pulse(found: Pulse):
    threshold = pulse_min_answers(g.workspace)
    shown = results.load_results(found, threshold)
    items = [s.StatementResultOut(
        statement=r.statement.id,
        units=[s.UnitResult(unit=u.key, shown=d is not None,
                            distribution=_counts(d) if d is not None else None)
               for u, d in r.rows],
        overall=_counts(r.overall), hidden_answers=r.hidden_answers,
        comments=[text for _, text in r.comments])
        for _, group in shown.groups for r in group]
    return pulse_out(found, min_answers=threshold, results=items)

"""What a session shows, step by step, and what its report holds: read models for the
presenter view and the report, built from the kept analysis (never a fresh run per step)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from cascade.coherence import Analysis
from cascade.coherence.model import Finding
from cascade.db import db
from cascade.findings import comparison, history, listing
from cascade.findings.analysis import analysis_of
from cascade.graph import GraphOptions, graph_view
from cascade.graph.build import legend
from cascade.models import FacilitatedSession, Node, Note, PulseAnswer, PulseStatement, Workspace
from cascade.organisation.settings import pulse_min_answers
from cascade.pulses.results import PulseResults, load_results
from cascade.sessions.scope import Scope
from cascade.vocabulary import NOTE_KINDS, STANCES, SessionTemplate

TEMPLATES = {
    SessionTemplate.COHERENCE_REVIEW: (
        "Coherence review", "The scope's picture, the findings chosen for today with their "
        "suggested conversations, a pulse, what changed since last time, decisions.",
        ("picture", "findings", "pulse", "changes", "decisions")),
    SessionTemplate.CATCHBALL: (
        "Catchball on one objective", "One objective and its translations: the picture, how "
        "the room reads it (a pulse), the gaps around it, what changed, decisions.",
        ("picture", "pulse", "findings", "changes", "decisions")),
    SessionTemplate.PULSE_DEBRIEF: (
        "Pulse debrief", "A pulse's range of views first, then the findings and the picture "
        "behind them, what changed, decisions.",
        ("pulse", "findings", "picture", "changes", "decisions")),
}
MAX_NOTES = 12


@dataclass
class NoteLine:
    kind: str
    stance: str
    body: str
    who: str  # the unit in an anonymised session; the author and unit otherwise
    status: str


@dataclass
class Step:
    kind: str  # picture, finding, pulse, changes, decisions
    title: str
    finding: Finding | None = None
    notes: list[NoteLine] = field(default_factory=list)
    still_open: bool = True  # a chosen finding that the engine still finds


@dataclass
class SessionView:
    session: FacilitatedSession
    analysis: Analysis
    scope: Scope
    label: str
    score: int
    steps: list[Step]
    names: dict[str, dict[str, str]]
    picture: object = None  # the GraphView of the scope, packed for the room
    picture_options: GraphOptions | None = None
    legend: dict = field(default_factory=dict)  # what the picture's colours and lines mean
    answered: int = 0
    results: PulseResults | None = None
    min_answers: int = 3
    changes: comparison.Comparison | None = None
    since: date | None = None
    chosen: list[Finding] = field(default_factory=list)
    day: date | None = None  # the day shown: today, or the day an ended session ended


def scope_of(session: FacilitatedSession) -> Scope:
    return Scope(session.scope_node.key if session.scope_node else None,
                 session.scope_unit.key if session.scope_unit else None)


def session_view(ws: Workspace, session: FacilitatedSession, today: date,
                 picture: bool = True, room: bool = True) -> SessionView:
    """Everything the presenter and the report show for the session: as of today, or for a
    session that ended on an earlier day, as its end recorded that day."""
    day, analysis = _as_shown(ws, session, today)
    scope = scope_of(session)
    by_fingerprint = listing.by_fingerprint(analysis)
    chosen = [by_fingerprint[k] for k in session.findings if k in by_fingerprint]
    notes = _notes_behind(ws, chosen, session.anonymised)
    names = listing.names(analysis)
    view = SessionView(session=session, analysis=analysis, scope=scope,
                       label=scope.label(analysis), score=scope.score(analysis), steps=[],
                       names=names, chosen=chosen, min_answers=pulse_min_answers(ws),
                       day=day)
    if picture:
        budget = current_app.config["GRAPH_NODE_BUDGET"]
        options = scope.graph_options(budget)  # packed for a projector, or drawn for paper
        view.picture_options = options.for_room() if room else options
        view.picture = graph_view(ws, view.picture_options, day,
                                  past=None if day == today else lambda: analysis)
        view.legend = legend()
    if session.pulse is not None:
        view.answered = answered(session)
        if session.revealed_at is not None:
            view.results = load_results(session.pulse, view.min_answers, on=day)
    view.since = _previous_day(ws, session)
    if view.since is not None:
        view.changes = scope.narrow(
            comparison.compare(history.state_on(ws, view.since, today), analysis))
    for part in TEMPLATES[session.template][2]:
        view.steps.extend(_steps(part, view, notes, set(session.findings) - set(by_fingerprint)))
    return view


def _as_shown(ws: Workspace, session: FacilitatedSession, today: date) -> tuple[date, Analysis]:
    """Today's analysis while the session runs or if it ended today; for one that ended on
    an earlier day, that day as its end recorded it (sessions ended before ends were
    recorded show today)."""
    ended = session.ended_at.date() if session.ended_at is not None else None
    if ended is not None and ended < today:
        try:
            return ended, history.state_on(ws, ended, today)
        except history.NoRecord:
            pass
    return today, analysis_of(ws, today)


def _steps(part: str, view: SessionView, notes: dict[str, list[NoteLine]],
           gone: set[str]) -> list[Step]:
    if part == "picture":
        return [Step("picture", view.label)]
    if part == "findings":
        steps = [Step("finding", f.code, finding=f, notes=notes.get(f.fingerprint, []))
                 for f in view.chosen]
        if gone:
            steps.append(Step("finding", "Resolved since chosen", still_open=False))
        return steps
    if part == "pulse":
        return [Step("pulse", view.session.pulse.title)] if view.session.pulse else []
    if part == "changes":
        return [Step("changes", "What changed since last time")]
    return [Step("decisions", "What we decide")]


def answered(session: FacilitatedSession) -> int:
    """How many answered the session's pulse (on its most answered statement): a count,
    which says nothing of the answers."""
    if session.pulse is None:
        return 0
    per_statement = (sa.select(sa.func.count(PulseAnswer.id).label("n")).join(PulseStatement)
                     .where(PulseStatement.pulse_id == session.pulse_id)
                     .group_by(PulseStatement.id).subquery())
    return db.session.scalar(sa.select(sa.func.max(per_statement.c.n))) or 0


def _notes_behind(ws: Workspace, found: list[Finding], anonymised: bool) -> dict:
    """The notes on each finding's nodes, newest first; an anonymised session names units,
    never people."""
    keys = {k for f in found for k in f.nodes}
    if not keys:
        return {}
    notes = db.session.scalars(
        sa.select(Note).join(Node, Note.node_id == Node.id)
        .where(Node.workspace_id == ws.id, Node.key.in_(keys))  # by the nodes' keys: the
        # workspace's notes would be the planner's pick on SQLite (60,000 at 20,000 nodes)
        .options(selectinload(Note.unit), selectinload(Note.author), selectinload(Note.node))
        .order_by(Note.created_at.desc(), Note.id.desc())).all()
    by_node: dict[str, list[NoteLine]] = {}
    for note in notes:
        unit = note.unit.name if note.unit else "no unit"
        who = unit if anonymised else \
            f"{note.author.name if note.author else note.author_name or 'someone'} · {unit}"
        by_node.setdefault(note.node.key, []).append(
            NoteLine(str(note.kind), str(note.stance), note.body, who, str(note.status)))
    return {f.fingerprint: [n for k in f.nodes for n in by_node.get(k, [])][:MAX_NOTES]
            for f in found}


def _previous_day(ws: Workspace, session: FacilitatedSession) -> date | None:
    """The day of the previous session in the workspace (recorded when it was set up), or
    the latest recorded day before this session's."""
    days = history.recorded_days(ws)
    earlier = db.session.scalar(
        sa.select(FacilitatedSession.created_at)
        .where(FacilitatedSession.workspace_id == ws.id,
               FacilitatedSession.id != session.id,
               FacilitatedSession.created_at <= session.created_at)
        .order_by(FacilitatedSession.created_at.desc()).limit(1))
    day = session.created_at.date()
    if earlier is not None and earlier.date() in days and earlier.date() < day:
        return earlier.date()
    return history.previous_day(days, session.created_at.date())


def notes_by_kind_and_stance(ws: Workspace, scope: Scope, analysis: Analysis) -> list[list]:
    """Counts of the notes on the scope's nodes: one row per kind, one column per stance."""
    keys = scope.nodes(analysis)
    counts: dict[tuple[str, str], int] = {}
    if keys:
        for kind, stance, n in db.session.execute(
                sa.select(Note.kind, Note.stance, sa.func.count(Note.id))
                .join(Node, Note.node_id == Node.id)
                .where(Note.workspace_id == ws.id, Node.key.in_(keys))
                .group_by(Note.kind, Note.stance)):
            counts[(str(kind), str(stance))] = n
    return [[kind, *[counts.get((kind, stance), 0) for stance in STANCES]]
            for kind in NOTE_KINDS]

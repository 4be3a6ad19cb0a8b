"""Pulse results: distributions per statement and unit, leaders against teams, comments, and
the panorama of units × top-level priorities.

`summarise` and `panorama_cells` are pure and hold the anonymity rules: a group below the
threshold is never shown, and nothing that is shown lets it be worked out by subtraction
(the pooled figures only pool the groups that are shown; the leaders/teams split appears
only when both sides are large enough). While a pulse is open they read the copy of the
answers released in steps (`pulses.release`), so results never move by one answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cascade import clock, trees
from cascade.db import db
from cascade.models import Node, Pulse, PulseAnswer, PulseStatement, Role, Unit, Workspace
from cascade.pulses.release import reads_answers
from cascade.pulses.stats import EMPTY, Distribution, distribution, pooled, visible


@dataclass(frozen=True)
class AnswerRow:
    statement_id: int
    unit_id: int
    value: int
    role: str | None = None
    comment: str | None = None


@dataclass
class Summary:
    """One statement's results; `units` keeps the order asked, hidden ones as None."""

    units: dict[int, Distribution | None]
    overall: Distribution
    hidden_answers: int
    split: tuple[Distribution, Distribution] | None  # (leaders, teams), both shown or neither
    comments: list[tuple[int, str]]  # (unit id, text), ordered by text, never by time


def summarise(statement_ids: Iterable[int], unit_ids: Sequence[int], rows: Iterable[AnswerRow],
              min_answers: int) -> dict[int, Summary]:
    """Results per statement: a unit with fewer than `min_answers` answers is hidden, and
    every pooled figure is built from the shown units only."""
    by_group: dict[tuple[int, int], list[AnswerRow]] = {}
    for row in rows:
        by_group.setdefault((row.statement_id, row.unit_id), []).append(row)
    answering = sorted({u for _, u in by_group} - set(unit_ids))
    order = list(dict.fromkeys(unit_ids)) + answering
    out: dict[int, Summary] = {}
    for sid in statement_ids:
        units: dict[int, Distribution | None] = {}
        shown: list[AnswerRow] = []
        hidden = 0
        for uid in order:
            group = by_group.get((sid, uid), [])
            dist = distribution(r.value for r in group)
            if visible(dist, min_answers):
                units[uid] = dist
                shown.extend(group)
            else:
                units[uid] = None
                hidden += dist.n
        leaders = distribution(r.value for r in shown if r.role == Role.LEADER)
        teams = distribution(r.value for r in shown if r.role != Role.LEADER)
        split = ((leaders, teams) if visible(leaders, min_answers)
                 and visible(teams, min_answers) else None)
        comments = sorted(((r.unit_id, r.comment.strip()) for r in shown
                           if r.comment and r.comment.strip()), key=lambda c: (c[1], c[0]))
        out[sid] = Summary(units=units, overall=pooled(u for u in units.values() if u),
                           hidden_answers=hidden, split=split, comments=comments)
    return out


def panorama_cells(statement_nodes: dict[int, int], rows: Iterable[AnswerRow],
                   min_answers: int) -> dict[tuple[int, int], Distribution]:
    """(unit id, node id) -> the unit's answers about that node, pooled over the statements
    where the unit's group is shown; cells with no shown group are absent."""
    groups: dict[tuple[int, int], list[int]] = {}
    for row in rows:
        if row.statement_id in statement_nodes:
            groups.setdefault((row.statement_id, row.unit_id), []).append(row.value)
    cells: dict[tuple[int, int], Distribution] = {}
    for (sid, uid), values in groups.items():
        dist = distribution(values)
        if visible(dist, min_answers):
            key = (uid, statement_nodes[sid])
            cells[key] = cells.get(key, EMPTY) + dist
    return cells


@dataclass
class StatementResult:
    statement: PulseStatement
    rows: list[tuple[Unit, Distribution | None]]
    overall: Distribution
    hidden_answers: int
    split: tuple[Distribution, Distribution] | None
    comments: list[tuple[str, str]]  # (unit name, text)
    waiting: int = 0  # answers given or changed since their unit's results last moved


@dataclass
class PulseResults:
    pulse: Pulse
    min_answers: int
    groups: list[tuple[Node | None, list[StatementResult]]] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)

    @property
    def any_shown(self) -> bool:
        return any(r.overall.n for _, results in self.groups for r in results)


def load_results(pulse: Pulse, min_answers: int, node: Node | None = None,
                 on: date | None = None) -> PulseResults:
    """Everything the results page shows as of `on` (today), in a fixed number of queries;
    `node` narrows a priorities pulse to the statements about one priority."""
    statements = [s for s in pulse.statements if node is None or s.node_id == node.id]
    live = reads_answers(pulse, on or clock.today())
    rows = _answer_rows([s.id for s in statements], live)
    waiting = {} if live else _waiting([s.id for s in statements])
    units = _units_in_order(pulse.workspace_id, [u.id for u in pulse.units],
                            {r.unit_id for r in rows})
    names = {u.id: u.name for u in units}
    summaries = summarise([s.id for s in statements], [u.id for u in units], rows, min_answers)
    result = PulseResults(pulse=pulse, min_answers=min_answers, units=units)
    by_id = {u.id: u for u in units}
    for statement in statements:
        summary = summaries[statement.id]
        item = StatementResult(
            statement=statement, rows=[(by_id[uid], d) for uid, d in summary.units.items()],
            overall=summary.overall, hidden_answers=summary.hidden_answers,
            split=summary.split, comments=[(names[u], text) for u, text in summary.comments],
            waiting=waiting.get(statement.id, 0))
        if result.groups and result.groups[-1][0] is statement.node:
            result.groups[-1][1].append(item)
        else:
            result.groups.append((statement.node, [item]))
    return result


@dataclass
class Panorama:
    pulse: Pulse
    priorities: list[Node]
    units: list[Unit]
    cells: dict[tuple[int, int], Distribution]
    texts: list[str]
    text: str | None

    def cell(self, unit: Unit, node: Node) -> Distribution | None:
        return self.cells.get((unit.id, node.id))

    def attention(self, unit: Unit) -> list[Node]:
        """The priorities on which this unit shows low or widely spread alignment."""
        return [n for n in self.priorities
                if (d := self.cell(unit, n)) is not None and d.needs_attention]


def panorama_then(panorama: Panorama, snapshot) -> dict[tuple[int, int], Distribution]:
    """The same cells as a recorded day's snapshot held them (its answers, as the engine
    read them then: released in steps, each unit only from the threshold), for comparing."""
    unit_ids = {u.key: u.id for u in panorama.units}
    node_ids = {n.key: n.id for n in panorama.priorities}
    values: dict[tuple[int, int], list[int]] = {}
    for statement in snapshot.statements:
        if statement.pulse != panorama.pulse.key or statement.node not in node_ids or (
                panorama.text is not None and statement.text != panorama.text):
            continue
        for answer in statement.answers:
            if answer.unit in unit_ids:
                values.setdefault((unit_ids[answer.unit], node_ids[statement.node]),
                                  []).append(answer.value)
    return {key: distribution(found) for key, found in values.items()}


def priority_pulses(ws: Workspace) -> list[Pulse]:
    """Pulses on the top-level priorities, newest first: what the panorama is made from."""
    return list(db.session.scalars(
        sa.select(Pulse).where(Pulse.workspace_id == ws.id, Pulse.node_id.is_(None))
        .order_by(Pulse.opens_on.desc().nulls_last(), Pulse.id.desc())))


def load_panorama(pulse: Pulse, min_answers: int, text: str | None = None,
                  on: date | None = None) -> Panorama:
    """Units × the priorities a priorities pulse asked about, coloured by alignment."""
    statements = list(db.session.scalars(
        sa.select(PulseStatement).where(PulseStatement.pulse_id == pulse.id)
        .options(selectinload(PulseStatement.node)).order_by(PulseStatement.position)))
    texts = list(dict.fromkeys(s.text for s in statements))
    text = text if text in texts else None
    chosen = [s for s in statements if s.node is not None and (text is None or s.text == text)]
    priorities = list({s.node_id: s.node for s in chosen}.values())
    rows = _answer_rows([s.id for s in chosen], reads_answers(pulse, on or clock.today()))
    cells = panorama_cells({s.id: s.node_id for s in chosen}, rows, min_answers)
    units = _units_in_order(pulse.workspace_id, [u.id for u in pulse.units],
                            {r.unit_id for r in rows})
    return Panorama(pulse=pulse, priorities=priorities, units=units, cells=cells,
                    texts=texts, text=text)


def _answer_rows(statement_ids: list[int], live: bool) -> list[AnswerRow]:
    """The answers as views may read them: as given once the pulse is closed, else the
    copy released in steps (answers never released yet are left out)."""
    if not statement_ids:
        return []
    a = PulseAnswer
    columns = ((a.value, a.role, a.comment) if live
               else (a.shown_value, a.shown_role, a.shown_comment))
    query = sa.select(a.statement_id, a.unit_id, *columns).where(
        a.statement_id.in_(statement_ids))
    if not live:
        query = query.where(a.shown_value.is_not(None))
    return [AnswerRow(sid, uid, value, str(role) if role else None, comment)
            for sid, uid, value, role, comment in db.session.execute(query)]


def _waiting(statement_ids: list[int]) -> dict[int, int]:
    """Answers per statement not shown yet: a count, which says nothing of their values."""
    if not statement_ids:
        return {}
    return dict(db.session.execute(
        sa.select(PulseAnswer.statement_id, sa.func.count())
        .where(PulseAnswer.statement_id.in_(statement_ids), PulseAnswer.waiting.is_(True))
        .group_by(PulseAnswer.statement_id)).all())


def _units_in_order(workspace_id: int, asked: list[int], answering: set[int]) -> list[Unit]:
    """Asked and answering units in outline order (parents before their teams): the order
    from the workspace's unit rows, the objects only for the units shown (a large
    organisation has a thousand units, a department's pulse asks a few dozen)."""
    wanted = set(asked) | answering
    rows = db.session.execute(sa.select(Unit.id, Unit.parent_id, Unit.name, Unit.archived)
                              .where(Unit.workspace_id == workspace_id)).all()
    shown = {u.id: u for u in db.session.scalars(sa.select(Unit).where(
        Unit.workspace_id == workspace_id, Unit.id.in_(wanted)))}
    order = trees.outline(map(tuple, rows), key=itemgetter(0), parent=itemgetter(1),
                          order=lambda r: trees.unit_order(r[2], r[3]))
    return [shown[r[0]] for r, _ in order if r[0] in shown]

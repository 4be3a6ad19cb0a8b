"""Pulse privacy: a unit's results move only in steps that cannot single anyone out.

While a pulse is open, every view and export reads an answer's `shown_*` copy. A unit's
answers to a statement get a new copy all together, and only once at least the
minimum-answers threshold of them are *waiting* (given or changed since the copy was last
made): comparing two views then shows what a group of at least that many people did, never
one person. When the pulse closes, views read the answers themselves, and no answer changes
any more. Each group is still shown only from the threshold on (`stats.visible`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

import sqlalchemy as sa

from cascade.db import db
from cascade.models import Pulse, PulseAnswer, PulseStatement, PulseStatus, Role

Row = TypeVar("Row")


def reads_answers(pulse: Pulse, on: date) -> bool:
    """Whether views read the answers themselves (the pulse is closed, by hand or by its
    date) rather than the copy released in steps."""
    return pulse.status == PulseStatus.CLOSED or bool(pulse.closes_on and on > pulse.closes_on)


def closed_clause(on: date, status=Pulse.status, closes_on=Pulse.closes_on):
    """`reads_answers` as SQL, for queries over many pulses at once."""
    return sa.or_(status == PulseStatus.CLOSED.value,
                  sa.and_(closes_on.is_not(None), closes_on < on))


def answer_changes(answer: PulseAnswer, value: int, comment: str | None, role: Role) -> bool:
    """Whether giving these answers changes anything a view of the results could show."""
    return (answer.value, answer.comment, answer.role) != (value, comment, role)


def release_due(pulse: Pulse, unit_id: int, batch: int) -> list[int]:
    """Copy the unit's answers as shown, for each statement where at least `batch` of them
    are waiting; returns the statements whose results moved."""
    answers = list(db.session.scalars(
        sa.select(PulseAnswer).join(PulseStatement)
        .where(PulseStatement.pulse_id == pulse.id, PulseAnswer.unit_id == unit_id)))
    waiting: dict[int, int] = {}
    for answer in answers:
        waiting[answer.statement_id] = waiting.get(answer.statement_id, 0) + answer.waiting
    due = {sid for sid, n in waiting.items() if n >= max(1, batch)}
    for answer in answers:
        if answer.statement_id in due:
            _show(answer)
    db.session.flush()
    return sorted(due)


def release_all(pulse: Pulse) -> None:
    """At close: every answer is shown as it is (each group still only from the threshold)."""
    for answer in db.session.scalars(
            sa.select(PulseAnswer).join(PulseStatement).where(PulseStatement.pulse_id == pulse.id)):
        _show(answer)
    db.session.flush()


def _show(answer: PulseAnswer) -> None:
    answer.shown_value, answer.shown_comment = answer.value, answer.comment
    answer.shown_role, answer.waiting = answer.role, False


def in_visible_groups(rows: Iterable[Row], group: Callable[[Row], tuple],
                      min_answers: int) -> list[Row]:
    """The rows whose group (a statement and a unit) has at least `min_answers` rows: what
    an export or the engine may see without exposing a small group."""
    rows = list(rows)
    sizes: dict[tuple, int] = {}
    for row in rows:
        sizes[group(row)] = sizes.get(group(row), 0) + 1
    return [row for row in rows if sizes[group(row)] >= max(1, min_answers)]

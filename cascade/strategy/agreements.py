"""Dependency agreements: a `depends_on` link to another unit's node is a request that unit
answers. Its leaders commit, counter with a later `needed_by`, or decline with a reason; a
counter goes back to the requester, who accepts it or withdraws the request. Within one unit
a link needs no agreement and is `committed` from the start.

Who may take each step is the policy's (`dependency.respond`, `dependency.settle`); which
steps exist from which state is this module's. Every step is audited and flushed.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as sa_orm

from cascade import audit
from cascade.db import db
from cascade.horizons import HINT, period
from cascade.models import Link, Node, Person
from cascade.notifications.events import emit
from cascade.refusals import Conflict, Refusal
from cascade.vocabulary import AgreementState, EventKind, LinkKind

# The state a step starts from, and where it leads.
STEPS: dict[str, tuple[AgreementState, AgreementState | None]] = {
    "commit": (AgreementState.REQUESTED, AgreementState.COMMITTED),
    "counter": (AgreementState.REQUESTED, AgreementState.COUNTERED),
    "decline": (AgreementState.REQUESTED, AgreementState.DECLINED),
    "accept": (AgreementState.COUNTERED, AgreementState.COMMITTED),
    "withdraw": (AgreementState.COUNTERED, None),  # the link goes
}


def initial_state(source: Node, target: Node, kind: str) -> AgreementState:
    """`requested` for a dependency on another unit's node; `committed` otherwise."""
    if kind == LinkKind.DEPENDS_ON and source.unit_id != target.unit_id:
        return AgreementState.REQUESTED
    return AgreementState.COMMITTED


def _start(link: Link, step: str, version: int | None) -> AgreementState | None:
    """Check the link is where the step starts (else someone answered meanwhile)."""
    origin, goal = STEPS[step]
    if (version is not None and version != link.version) or link.state != origin:
        raise Conflict()
    return goal


def _record(link: Link, step: str, by: Person | None, before: str, **after) -> None:
    """Audit the step, and tell the other side: the requesting unit of an answer, the
    providing unit of a settlement."""
    told = link.source if step in ("commit", "counter", "decline") else link.target
    other = link.target if told is link.source else link.source
    emit(EventKind.DEPENDENCY_ANSWERED, by, link.workspace_id, node=told, step=step,
         other=other.key, other_title=other.title, other_unit=other.unit.name)
    audit.record(by, link.workspace_id, f"dependency.{step}", "node", link.source.key,
                 {"target": link.target.key, "state": before},
                 {"target": link.target.key, "state": str(link.state) if step != "withdraw"
                  else "withdrawn", **after})


def respond(link: Link, step: str, *, by: Person | None, now: datetime,
            version: int | None = None, needed_by: str = "", reason: str = "") -> None:
    """The providing unit's answer: commit, counter with a later `needed_by`, or decline
    with a reason."""
    goal = _start(link, step, version)
    before = str(link.state)
    if step == "counter":
        needed_by = needed_by.strip()
        _check_later(link, needed_by)
        link.needed_by = needed_by
        link.response = reason.strip() or None
    elif step == "decline":
        if not reason.strip():
            raise Refusal("reason", "Say why, so the requesting team can plan without it.")
        link.response = reason.strip()
    else:
        link.response = reason.strip() or link.response
    link.state = goal
    link.responded_by_id = by.id if by is not None else None
    link.responded_at = now
    db.session.flush()
    _record(link, step, by, before, needed_by=link.needed_by, response=link.response)


def settle(link: Link, step: str, *, by: Person | None, version: int | None = None) -> None:
    """The requester's answer to a counter: accept the later date, or withdraw."""
    goal = _start(link, step, version)
    before = str(link.state)
    if goal is None:
        _record(link, step, by, before)
        db.session.delete(link)
    else:
        link.state = goal
        _record(link, step, by, before, needed_by=link.needed_by)
    db.session.flush()


def _check_later(link: Link, needed_by: str) -> None:
    """A counter names a period that ends later than what was asked (the request's own
    `needed_by`, else the depending node's horizon)."""
    offered = period(needed_by)
    if offered is None:
        raise Refusal("needed_by", f"Name the period you can deliver in. {HINT}")
    asked = period(link.needed_by) or period(link.source.horizon)
    if asked is not None and offered.end <= asked.end:
        raise Refusal("needed_by", f"A counter offers a later period than "
                                   f"{link.needed_by or link.source.horizon}.")


def waiting_select(ws_id: int, unit_ids: set[int] | None) -> sa.Select:
    """For an inbox: requests to these units (None: any) still awaiting their answer, then
    counters to these units' requests awaiting theirs, each oldest first (the inbox reads
    a page)."""
    source, target = sa_orm.aliased(Node), sa_orm.aliased(Node)
    requested = Link.state == AgreementState.REQUESTED
    asked = sa.true() if unit_ids is None else target.unit_id.in_(unit_ids)
    asking = sa.true() if unit_ids is None else source.unit_id.in_(unit_ids)
    return (sa.select(Link).join(source, source.id == Link.source_id)
            .join(target, target.id == Link.target_id)
            .where(Link.workspace_id == ws_id, Link.kind == LinkKind.DEPENDS_ON,
                   sa.or_(sa.and_(requested, asked),
                          sa.and_(Link.state == AgreementState.COUNTERED, asking)))
            .order_by(sa.case((requested, 0), else_=1), Link.created_at, Link.id))


WAITING_LOADED = (sa_orm.joinedload(Link.source).joinedload(Node.unit),
                  sa_orm.joinedload(Link.target).joinedload(Node.unit))

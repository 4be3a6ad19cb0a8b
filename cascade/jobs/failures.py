"""Failed jobs for admins: one page of a workspace's failures, and asking for a retry."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade import audit, clock
from cascade.db import db
from cascade.jobs.queue import enqueue_by_name
from cascade.models import JobFailure, Person, Workspace
from cascade.refusals import Refusal

PAGE_SIZE = 50


def failures(ws: Workspace, page: int = 1) -> tuple[list[JobFailure], bool]:
    """One page of the workspace's failed jobs, newest first, and whether older ones exist."""
    rows = db.session.scalars(
        sa.select(JobFailure).where(JobFailure.workspace_id == ws.id)
        .options(joinedload(JobFailure.retried_by))
        .order_by(JobFailure.failed_at.desc(), JobFailure.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return list(rows[:PAGE_SIZE]), len(rows) > PAGE_SIZE


def retry(failure: JobFailure, *, by: Person) -> None:
    """Queue the job again with its arguments (after the commit); jobs are idempotent, so a
    retry of work that meanwhile succeeded does nothing."""
    if failure.retried_at is not None:
        raise Refusal("job", "This job was already retried.")
    if not enqueue_by_name(failure.job, failure.arguments.get("args", []),
                           failure.arguments.get("kwargs", {})):
        raise Refusal("job", "This version of Cascade no longer has that job.")
    failure.retried_at, failure.retried_by_id = clock.now(), by.id
    audit.record(by, failure.workspace_id, "job.retry", "job", failure.job,
                 after={"failure": failure.id})
    db.session.flush()

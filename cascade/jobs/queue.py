"""The Huey queue of one app: which storage, the declared jobs, sending after commit.

Jobs are declared at import time (`job`, `periodic`) but bound to an app's own Huey in
`init_app`, so every app (each test's, each host's) has a queue configured by its settings.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

import sqlalchemy as sa
from flask import Flask, current_app
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy.orm import Session

from cascade.db import db

log = logging.getLogger(__name__)

# Modules whose jobs every app binds; a package with jobs adds its module here.
JOB_MODULES = ("cascade.findings.jobs", "cascade.notifications.jobs")
# a grouped job due this close to now may already be starting: the next one is sent anew
# (also covers a consumer whose clock runs slightly ahead of this host's)
STARTING = 0.5


@dataclass(frozen=True)
class Declared:
    func: object
    name: str
    retries: int
    retry_delay: int
    schedule: object | None = None  # a crontab for periodic tasks


_declared: dict[str, Declared] = {}


def job(retries: int = 3, retry_delay: int = 10):
    """Declare a background job (see the package docstring); the function stays callable."""
    def declare(func):
        return _declare(func, retries, retry_delay, None)
    return declare


def periodic(schedule, retries: int = 2, retry_delay: int = 60):
    """Declare a task the consumer runs on `schedule` (`huey.crontab`, UTC)."""
    def declare(func):
        return _declare(func, retries, retry_delay, schedule)
    return declare


def _declare(func, retries, retry_delay, schedule):
    name = f"{func.__module__}.{func.__qualname__}"
    _declared[name] = Declared(func, name, retries, retry_delay, schedule)
    func.job_name = name
    return func


class Jobs:
    """An app's Huey and the Huey task of each declared job."""

    def __init__(self, app: Flask) -> None:
        self.kind = storage_kind(app.config)
        self.huey = Huey(app.config["JOBS_QUEUE_NAME"], results=False, utc=True,
                         storage_class=_STORAGES[self.kind], **_storage_options(app, self.kind))
        self.tasks = {}
        for declared in _declared.values():
            run = _runner(app, declared)
            options = {"retries": declared.retries, "retry_delay": declared.retry_delay,
                       "context": True, "name": declared.func.__qualname__}
            if declared.schedule is not None:
                wrapper = self.huey.periodic_task(declared.schedule, **options)(run)
            else:
                wrapper = self.huey.task(**options)(run)
            self.tasks[declared.name] = wrapper
        self._waiting: dict[str, float] = {}  # group -> when its sent job is due (epoch s)
        self._waiting_lock = threading.Lock()

    def send(self, name: str, args: tuple, kwargs: dict, delay: float = 0.0,
             group: str | None = None) -> bool:
        """Queue the job, `delay` seconds from now; False when `group` already has a job
        sent by this process that has not started (it will see what this one would)."""
        now = time.time()
        if group is not None:
            with self._waiting_lock:
                if self._waiting.get(group, 0.0) > now + STARTING:
                    return False
        if delay > 0:
            self.tasks[name].schedule(args=args, kwargs=kwargs, delay=delay)
        else:
            self.tasks[name](*args, **kwargs)
        if group is not None:  # once sent: a job that could not be queued folds nothing
            with self._waiting_lock:
                self._waiting[group] = max(self._waiting.get(group, 0.0), now + delay)
        return True

    def forget_waiting(self) -> None:
        """Jobs ran before they were due (`run_pending` with `later`): none is waiting."""
        with self._waiting_lock:
            self._waiting.clear()


_STORAGES = {"sqlite": SqliteStorage, "redis": RedisStorage, "memory": MemoryStorage}


def storage_kind(config) -> str:
    """JOBS_QUEUE when set; else Redis when REDIS_URL is set, else SQLite (memory in tests,
    where nothing consumes the queue unless a test runs it: `run_pending`)."""
    chosen = (config.get("JOBS_QUEUE") or "").strip().lower()
    if chosen:
        if chosen not in _STORAGES:
            raise RuntimeError(f"JOBS_QUEUE must be one of {', '.join(_STORAGES)}, "
                               f"not {chosen!r}")
        return chosen
    if config.get("TESTING"):
        return "memory"
    return "redis" if config.get("REDIS_URL") else "sqlite"


def _storage_options(app: Flask, kind: str) -> dict:
    if kind == "redis":
        return {"url": app.config["REDIS_URL"]}
    if kind == "sqlite":
        path = app.config["JOBS_SQLITE_PATH"] or os.path.join(app.instance_path, "jobs.sqlite")
        return {"filename": path}
    return {}


def init_app(app: Flask) -> None:
    """Bind every declared job to this app's queue (no connection is made here)."""
    for module in JOB_MODULES:
        import_module(module)
    app.extensions["cascade_jobs"] = Jobs(app)


def jobs_of(app: Flask | None = None) -> Jobs:
    return (app or current_app).extensions["cascade_jobs"]


def enqueue(func, *args, **kwargs) -> None:
    """Send `func`'s job when the current transaction commits (at once outside one)."""
    name = getattr(func, "job_name", None)
    if name is None:
        raise TypeError(f"{func!r} is not declared with @job")
    _after_commit(name, args, kwargs)


def enqueue_grouped(func, group: str, delay: float, at_once: bool = False, **kwargs) -> None:
    """`enqueue`, to run `delay` seconds after the commit, folded into the job of `group`
    this process sent earlier when that one has not started yet: a burst of writes leads to
    one job, which looks its work up when it runs and so covers all of them. Per process
    (each worker and host sends its own), so the job must still be idempotent. `at_once`:
    sent now, outside any transaction (as `send_now`)."""
    if at_once:
        _send(current_app._get_current_object(), func.job_name, (), kwargs, delay, group)
    else:
        _after_commit(func.job_name, (), kwargs, delay, group)


def _after_commit(name: str, args: tuple, kwargs: dict, delay: float = 0.0,
                  group: str | None = None) -> None:
    session = db.session()
    sent = (current_app._get_current_object(), name, args, kwargs, delay, group)
    if session.in_transaction():
        session.info.setdefault("cascade_jobs", []).append(sent)
    else:
        _send(*sent)


def send_now(func, *args, **kwargs) -> None:
    """Queue at once, outside any transaction (a read that finds work missing)."""
    _send(current_app._get_current_object(), func.job_name, args, kwargs)


def enqueue_by_name(name: str, args, kwargs: dict) -> bool:
    """`enqueue` for a job known by its name (a failure's retry); False when none has it."""
    declared = _declared.get(name)
    if declared is None:
        return False
    enqueue(declared.func, *args, **kwargs)
    return True


def _send(app: Flask, name: str, args: tuple, kwargs: dict, delay: float = 0.0,
          group: str | None = None) -> None:
    try:
        jobs_of(app).send(name, args, kwargs, delay, group)
    except Exception:  # noqa: BLE001 - the write is saved; the job is logged as lost
        log.exception("could not queue job %s%r", name, args)


@sa.event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    for sent in session.info.pop("cascade_jobs", ()):
        _send(*sent)


@sa.event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop("cascade_jobs", None)


def _runner(app: Flask, declared: Declared):
    """The job in an app context with a session of its own; the last failure is recorded."""
    def run(*args, task=None, **kwargs):
        with app.app_context():
            try:
                return declared.func(*args, **kwargs)
            except Exception as error:
                db.session.rollback()
                if task is None or not task.retries:
                    attempts = declared.retries + 1 - (task.retries if task else 0)
                    _record_failure(declared.name, args, kwargs, error, attempts)
                raise
            finally:
                db.session.remove()
    run.__name__ = run.__qualname__ = declared.func.__qualname__
    run.__module__ = declared.func.__module__
    return run


def _record_failure(name: str, args: tuple, kwargs: dict, error: Exception,
                    attempts: int) -> None:
    from cascade.models import JobFailure

    try:
        workspace_id = kwargs.get("workspace_id")
        db.session.add(JobFailure(
            job=name, arguments=json.loads(json.dumps({"args": list(args), "kwargs": kwargs},
                                                      default=repr)),
            workspace_id=workspace_id if isinstance(workspace_id, int) else None,
            error=f"{type(error).__name__}: {error}"[:2000], attempts=attempts,
            traceback="".join(traceback.format_exception(error))[-20000:]))
        db.session.commit()
    except Exception:  # noqa: BLE001 - the database may be why the job failed
        db.session.rollback()
        log.exception("could not record the failure of job %s", name)


def run_pending(app: Flask | None = None, later: float = 0.0) -> int:
    """Run every job waiting in the queue (and retries and delayed jobs due within `later`
    seconds) in this thread, until none is left; returns how many ran. For tests and
    `flask worker --once`."""
    jobs = jobs_of(app)
    huey = jobs.huey
    ran = 0
    while True:
        if later:
            jobs.forget_waiting()
        until = huey._get_timestamp() + timedelta(seconds=later)
        for task in huey.read_schedule(until):
            huey.enqueue(task)
        task = huey.dequeue()
        if task is None:
            return ran
        if not huey.ready_to_run(task, until):  # a delayed job waits its time, as in
            huey.add_schedule(task)  # the consumer
            continue
        huey.execute(task, until)
        ran += 1

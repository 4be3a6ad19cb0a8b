"""Background jobs, on Huey: work done after a request, retried, and on a schedule.

The queue is Huey's SQLite storage in the instance folder by default (`instance/jobs.sqlite`,
nothing else to run) and Redis when `CASCADE_REDIS_URL` is set (one queue for every host).
`make run` starts a consumer next to gunicorn; `flask --app cascade worker` runs one by
hand (see the README). The whole public API is this module's six names.

Declare a job in a module of its domain package (e.g. `cascade/notifications/jobs.py`) and
list that module in `JOB_MODULES` (`cascade/jobs/queue.py`)::

    from cascade.jobs import job

    @job(retries=5, retry_delay=30)
    def deliver(delivery_id: int) -> None:
        ...  # runs in an app context with a fresh session; commit your own work

Arguments must be picklable plain values (ids, not loaded objects). A job must be
idempotent: it may run twice (a retry after a crash, two consumers, a retry an admin asks
for), so look the work up again and do nothing when it is done. A job that raises is
retried `retries` times, `retry_delay` seconds apart; when the last attempt fails it is
recorded (`cascade.models.JobFailure`) and shown to the workspace's admins on
`/w/<workspace>/jobs` when its keyword arguments name a `workspace_id`.

Enqueue from a write use case; the job is sent when the request's transaction commits, and
never when it rolls back (so a job never sees data that was not saved)::

    from cascade.jobs import enqueue

    enqueue(deliver, delivery.id)          # after db.session.commit()

Work that a burst of writes would each ask for (the analysis of a workspace) is sent a few
seconds later and once per burst: `enqueue_grouped(analyse, f"analyse:{ws_id}", 2.0,
workspace_id=ws_id)`; the job looks up what is current when it runs.

A periodic task, run by the consumer, no cron needed (times in UTC)::

    from cascade.jobs import crontab, periodic

    @periodic(crontab(minute="5", hour="0"))
    def daily_snapshots() -> None: ...

In tests the queue is in memory and nothing consumes it: `cascade.jobs.queue.run_pending()`
runs what is waiting (retries included) in the test's thread (see `tests/web/test_jobs.py`).
"""

from huey import crontab

from cascade.jobs.queue import enqueue, enqueue_grouped, init_app, job, periodic

__all__ = ["crontab", "enqueue", "enqueue_grouped", "init_app", "job", "periodic"]

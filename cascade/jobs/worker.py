"""`flask worker`: the Huey consumer that runs the queued and periodic jobs of this app."""

from __future__ import annotations

import logging

import click
from flask import current_app

from cascade.jobs.queue import jobs_of, run_pending


@click.command("worker")
@click.option("--threads", default=2, show_default=True, help="Jobs run at once.")
@click.option("--no-periodic", is_flag=True,
              help="Leave the schedule to another worker (run it on one host only).")
@click.option("--once", is_flag=True, help="Run what is waiting now, then stop.")
def worker_command(threads: int, no_periodic: bool, once: bool) -> None:
    """Run background jobs until stopped (SIGTERM or Ctrl-C finish the running ones)."""
    jobs = jobs_of()
    if once:
        click.echo(f"ran {run_pending(current_app)} job(s)")
        return
    if jobs.kind == "memory":
        raise click.ClickException("JOBS_QUEUE is memory: no other process can fill it")
    logging.basicConfig(level=logging.INFO,
                        format="[%(asctime)s] [worker] [%(levelname)s] %(message)s")
    click.echo(f"cascade worker: {jobs.kind} queue {jobs.huey.name!r}, {threads} thread(s), "
               f"periodic tasks {'off' if no_periodic else 'on'}")
    consumer = jobs.huey.create_consumer(workers=threads, worker_type="thread",
                                         periodic=not no_periodic, check_worker_health=True)
    consumer.run()

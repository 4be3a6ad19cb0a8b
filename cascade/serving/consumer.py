"""The job consumer gunicorn starts beside its workers, so `make run` needs nothing else.

gunicorn's master starts `flask worker` as a child process when it is ready, starts it again
should it stop (after a pause, so a consumer that cannot start does not spin), and stops it
when gunicorn stops. `CASCADE_JOBS_WORKER=off` leaves consumers to be run on their own
(`flask --app cascade worker`, e.g. one per host with Redis).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

RESTART_PAUSE = 5.0


def wanted() -> bool:
    return os.environ.get("CASCADE_JOBS_WORKER", "embedded").strip().lower() != "off"


class EmbeddedConsumer:
    def __init__(self, log) -> None:
        self.log = log
        self.process: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._supervise, name="cascade-jobs",
                                       daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _supervise(self) -> None:
        while not self.stopping.is_set():
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "cascade", "worker"])
            self.log.info("Started the job consumer (pid %s)", self.process.pid)
            # gunicorn's master reaps any child, so the status may be lost: any end counts
            self.process.wait()
            if not self.stopping.wait(RESTART_PAUSE):
                self.log.warning("The job consumer stopped; starting it again")

    def stop(self, timeout: float = 20) -> None:
        self.stopping.set()
        process = self.process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
        self.thread.join(timeout)

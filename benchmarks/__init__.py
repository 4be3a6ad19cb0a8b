"""Hand-run benchmarks (`make bench`, i.e. `python -m benchmarks`), not timed tests.

Every module named in SECTIONS has a `run()` that builds what it needs, measures, and
prints its figures; each runs in a fresh Python process, so no section measures with
another one's leftover heap. `tests/test_benchmarks.py` runs each at a tiny size, so a
broken benchmark fails the suite. `benchmarks.load` (`make load`) is not a section: it
needs `wrk` and several minutes.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def scratch_app() -> Iterator[object]:
    """An app on a migrated scratch SQLite file, inside its app context; the file and its
    connections go when the block ends. What the in-process sections measure on."""
    from flask_migrate import upgrade

    from cascade import create_app
    from cascade.db import db

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "REDIS_URL": None,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite"})
        with app.app_context():
            upgrade()
            yield app
            db.engine.dispose()


SECTIONS: tuple[str, ...] = ("benchmarks.coherence", "benchmarks.graph", "benchmarks.api",
                             "benchmarks.pages")


def main(argv: list[str] | None = None) -> None:
    """Run the named sections (module names without the package), or all of them."""
    wanted = argv if argv is not None else sys.argv[1:]
    for name in SECTIONS:
        if not wanted or name.rsplit(".", 1)[-1] in wanted:
            subprocess.run([sys.executable, "-c", f"import {name}; {name}.run()"], check=True)

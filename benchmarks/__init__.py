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

SECTIONS: tuple[str, ...] = ("benchmarks.coherence", "benchmarks.graph", "benchmarks.api",
                             "benchmarks.pages")


def main(argv: list[str] | None = None) -> None:
    """Run the named sections (module names without the package), or all of them."""
    wanted = argv if argv is not None else sys.argv[1:]
    for name in SECTIONS:
        if not wanted or name.rsplit(".", 1)[-1] in wanted:
            subprocess.run([sys.executable, "-c", f"import {name}; {name}.run()"], check=True)

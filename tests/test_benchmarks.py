"""Every benchmark's code path at a tiny size, so that a broken benchmark fails the suite
(the figures themselves come from `make bench` / `make load`, never from a test).

Each section's sizes are module constants made tiny here; the served ones (`pages`,
`load`) start a real gunicorn on a scratch SQLite database, with one worker and no job
consumer (`QUICK`), which starts in a third of the time. A new section must be given a
tiny run below: `test_every_section_has_a_smoke_run` fails until it is.
"""

from __future__ import annotations

import importlib

import pytest

import benchmarks

TINY = {  # module: (constant, tiny value) for the sections that run in-process
    "benchmarks.coherence": ("SIZES", (100,)),
    "benchmarks.graph": ("CASES", (("100 nodes", 100, None), ("100 nodes, budget 20", 100, 20))),
    "benchmarks.api": ("SIZES", (100, 150)),
}
SERVED = ("benchmarks.pages", "benchmarks.load")
QUICK = {"CASCADE_WORKERS": "1", "CASCADE_JOBS_WORKER": "off"}


def test_every_section_has_a_smoke_run():
    assert set(benchmarks.SECTIONS) <= set(TINY) | set(SERVED)


@pytest.mark.parametrize("name", list(TINY))
def test_in_process_section_runs_at_a_tiny_size(name, monkeypatch, capsys):
    module = importlib.import_module(name)
    constant, tiny = TINY[name]
    monkeypatch.setattr(module, constant, tiny)
    module.run()
    printed = capsys.readouterr().out
    assert "| ---" in printed  # the table was printed
    if name == "benchmarks.api":
        assert "same statements per page at every size and depth: met" in printed


def test_pages_serves_and_measures_every_page(capsys):
    from benchmarks import pages

    result = pages.measure("sqlite", 50, repeat=1, seconds=0, **QUICK)
    assert result["nodes"] == 50 and result["notes"] == 150
    measured = result["pages"]
    assert set(measured) == {name for name, _, _ in pages.PAGES}  # every page has its object
    for name, figures in measured.items():
        assert figures["status"] == [200], (name, figures)
        assert len(figures["statements"]) == 1 and figures["statements"][0] > 0, name
        assert 0 < figures["sent"] <= figures["html"], name
        assert 0 < figures["p50"] <= figures["p95"] < figures["client_p95"] * 10, name
    assert measured["strategy tree"]["encoding"] in ("br", "gzip")
    again = dict(result, size=pages.BIG)  # the same figures standing in for the goal's size
    pages.print_table([result, again])
    printed = capsys.readouterr().out
    assert "| node page | coach | " in printed
    assert "the same statements at every size but the demo: met by every page" in printed


def test_load_runs_its_mix(monkeypatch, capsys):
    """`load.measure` whole, with every wrk run cut to a second at 4 connections."""
    from benchmarks import load, served

    wrk, serve = load._wrk, served.serve

    def short(script, port, path, seconds, connections, warm_up=False):
        return wrk(script, port, path, 1, min(connections, 4), warm_up)
    monkeypatch.setattr(load, "_wrk", short)
    monkeypatch.setattr(served, "serve", lambda *args: serve(*args, **QUICK))
    result = load.measure("sqlite", None)
    for run in ("baseline", "single", "mix"):
        assert result[run]["requests"] > 0 and result[run]["errors"] == 0, (run, result[run])
    assert result["mix"]["writes"] >= 0  # counted beside the server
    assert result["mix"]["analyses"] == 0  # no consumer here, and no page analyses
    load._print([result])
    printed = capsys.readouterr().out
    assert "90 % node page, 10 % note" in printed and "analyses made during the mix" in printed

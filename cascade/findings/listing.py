"""Reading the engine's findings: one by its fingerprint, a filtered and grouped list, the
acknowledgements behind them, and a plain-text table for the terminal."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from cascade import coherence, horizons
from cascade.coherence.graph import Index
from cascade.coherence.model import SEVERITIES, Finding
from cascade.coherence.rules import RULES
from cascade.db import db
from cascade.findings.analysis import Analysis
from cascade.models import Acknowledgement, Workspace

CODES: tuple[str, ...] = tuple(rule.__name__.upper() for rule in RULES)


class UnknownFinding(LookupError):
    """No current finding of the workspace has this fingerprint."""


def find(analysis: Analysis, fingerprint: str) -> Finding:
    """The current finding with this fingerprint; acknowledging a gap that is not there
    would only confuse the next reader."""
    found = by_fingerprint(analysis).get(fingerprint)
    if found is None:
        raise UnknownFinding(fingerprint)
    return found


def by_fingerprint(analysis: Analysis) -> dict[str, Finding]:
    """The analysis's findings by fingerprint, hashed once per analysis (25,000 at 20,000
    nodes: 50 ms), for the pages that look findings up or tell gone ones."""
    found = analysis.derived.get("by fingerprint")
    if found is None:
        found = analysis.derived["by fingerprint"] = {f.fingerprint: f
                                                      for f in analysis.findings}
    return found


def acknowledgements(ws: Workspace) -> dict[str, Acknowledgement]:
    """Every acknowledgement of the workspace by fingerprint, with who gave it, in one query."""
    rows = db.session.scalars(sa.select(Acknowledgement).options(
        joinedload(Acknowledgement.person)).where(Acknowledgement.workspace_id == ws.id))
    return {ack.fingerprint: ack for ack in rows}


def dormant(acks: dict[str, Acknowledgement], analysis: Analysis) -> list[Acknowledgement]:
    """Acknowledgements whose gap is closed today: kept, in case the gap reopens."""
    current = by_fingerprint(analysis)
    return sorted((a for fp, a in acks.items() if fp not in current),
                  key=lambda a: (a.code, a.created_at))


def names(analysis: Analysis) -> dict[str, dict[str, str]]:
    """Node titles and unit names by key, for pages that show findings; worked out once
    per analysis (a pass over every node)."""
    found = analysis.derived.get("names")
    if found is None:
        snap = analysis.snapshot
        found = analysis.derived["names"] = {"nodes": {n.key: n.title for n in snap.nodes},
                                             "units": {u.key: u.name for u in snap.units}}
    return found


def scope_choices(analysis: Analysis) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Subtrees worth filtering to (live nodes with live children) and live units, by name;
    worked out once per analysis (sorting every subtree of a large workspace takes tens of
    milliseconds)."""
    found = analysis.derived.get("scope choices")
    if found is None:
        index = Index(analysis.snapshot)
        roots = sorted(((k, f"{index.nodes[k].title} ({k})") for k in index.live
                        if index.children.get(k)), key=lambda c: (c[1].lower(), c[0]))
        units = sorted(((k, index.units[k].name) for k in index.active_units),
                       key=lambda c: (c[1].lower(), c[0]))
        found = analysis.derived["scope choices"] = (roots, units)
    return found


def horizons_of(analysis: Analysis) -> set[str]:
    """The horizons the analysed nodes name, once per analysis, for the horizon filter."""
    found = analysis.derived.get("horizons")
    if found is None:
        found = analysis.derived["horizons"] = {n.horizon for n in analysis.snapshot.nodes
                                                if n.horizon}
    return found


PAGE_SIZE = 50  # finding cards per page; the counts above them cover every finding


@dataclass
class Selection:
    """The findings a coach asked to see, with the score of the scope (the workspace, or
    the subtree under `root`) to one decimal: counts per severity and code for all of them,
    and one page of cards grouped by severity then code."""

    findings: list[Finding]
    score: float
    groups: list[tuple[str, list[tuple[str, list[Finding]]]]] = field(default_factory=list)
    counts: list[tuple[str, str, int]] = field(default_factory=list)  # severity, code, n
    page: int = 1
    pages: int = 1

    @property
    def open(self) -> int:
        return sum(not f.acknowledged for f in self.findings)


def selection(analysis: Analysis, code: str | None = None, severity: str | None = None,
           root: str | None = None, unit: str | None = None,
           horizon: str | None = None, page: int = 1) -> Selection:
    """Filter the analysis by code, severity, subtree (node key), unit and horizon (a
    finding naming a node of that horizon, or of a period inside it), count, then group
    page `page` (the last one when there are fewer)."""
    found = analysis.findings
    if root:
        found = coherence.in_subtree(analysis.snapshot, found, root)
    nodes = analysis.index.nodes
    found = [f for f in found if (not code or f.code == code)
             and (not severity or f.severity == severity) and (not unit or unit in f.units)
             and (not horizon or any(horizons.matches(nodes[k].horizon, horizon)
                                     for k in f.nodes if k in nodes))]
    scope = (coherence.score(analysis.snapshot, analysis.findings, analysis.settings, root=root,
                             tenths=True)
             if root else analysis.score_tenths)
    tally: dict[tuple[str, str], int] = {}
    for f in found:
        tally[f.severity, f.code] = tally.get((f.severity, f.code), 0) + 1
    counts = sorted(((level, c, n) for (level, c), n in tally.items()),
                    key=lambda t: (SEVERITIES.index(t[0]), t[1]))
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = found[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    groups = []
    for level in SEVERITIES:
        by_code: dict[str, list[Finding]] = {}
        for f in shown:
            if f.severity == level:
                by_code.setdefault(f.code, []).append(f)
        if by_code:
            groups.append((level, sorted(by_code.items())))
    return Selection(findings=found, score=scope, groups=groups, counts=counts, page=page,
                     pages=pages)


def as_table(analysis: Analysis) -> str:
    """The findings as a plain-text table for a terminal: one line per finding."""
    head = (f"{analysis.snapshot.workspace} as of {analysis.as_of.isoformat()}: score "
            f"{analysis.score}, {len(analysis.findings)} finding(s), "
            f"{len(analysis.open_findings)} open")
    if not analysis.findings:
        return head + "\nNo findings: the strategy and the organisation hold together."
    rows = [("SEVERITY", "CODE", "NODES", "UNITS", "MESSAGE")]
    rows += [(f.severity + (" (ack)" if f.acknowledged else ""), f.code,
              _cut(", ".join(f.nodes) or "-"), _cut(", ".join(f.units) or "-"), f.message)
             for f in analysis.findings]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=False)) + "  " + r[4]
             for r in rows]
    return "\n".join([head, *(line.rstrip() for line in lines)])


def _cut(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"

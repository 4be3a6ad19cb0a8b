"""A session's report as data: the same content as the printable page, for JSON and CSV.

Pulse distributions are the ones every pulse view shows (each unit from the threshold on),
and in an anonymised session nobody is named: notes are counted, decisions carry no author.
"""

from __future__ import annotations

import csv
import io

from cascade.sessions.steps import SessionView
from cascade.vocabulary import STANCES


def report_data(view: SessionView, notes_table: list[list], history: list) -> dict:
    """Scope, score and trend, findings with conversations, distributions, notes by kind
    and stance, what changed since the previous session, and what was decided."""
    session, diff = view.session, view.changes
    data = {
        "session": {"key": session.key, "title": session.title, "template": str(session.template),
                    "set_up": session.created_at.date().isoformat(),
                    "status": str(session.status), "anonymised": session.anonymised,
                    "ended": session.ended_at.date().isoformat() if session.ended_at else None},
        "as_of": view.day.isoformat(),
        "scope": {"label": view.label, "node": view.scope.node, "unit": view.scope.unit},
        "score": view.score,
        "trend": [{"as_of": r.as_of.isoformat(), "score": r.score} for r in history
                  if r.as_of <= view.day],
        "findings": [{"code": f.code, "severity": f.severity, "message": f.message,
                      "conversation": f.suggestion, "acknowledged": f.acknowledged,
                      "nodes": list(f.nodes), "units": list(f.units)} for f in view.chosen],
        "pulse": _pulse(view),
        "notes": [{"kind": row[0], **dict(zip(STANCES, row[1:], strict=True))}
                  for row in notes_table],
        "changes": None if diff is None else {
            "since": view.since.isoformat(),
            "opened": [f.code for f in diff.opened], "resolved": [f.code for f in diff.resolved],
            "acknowledged": [f.code for f in diff.acknowledged],
            "withdrawn": [f.code for f in diff.withdrawn],
            "added": [c.key for c in diff.added], "revised": [c.key for c in diff.revised],
            "retired": [c.key for c in diff.retired],
            "gone_stale": [c.key for c in diff.gone_stale],
            "reconfirmed": [c.key for c in diff.reconfirmed],
            "scores": [{"subtree": s.key, "before": s.before, "after": s.after}
                       for s in diff.scores]},
        "decisions": [{"text": d.text, "acknowledged": d.code,
                       "note_on": d.note.node.key if d.note else None,
                       "at": d.created_at.isoformat()} for d in session.decisions],
    }
    return data


def _pulse(view: SessionView) -> dict | None:
    pulse = view.session.pulse
    if pulse is None:
        return None
    entry = {"key": pulse.key, "title": pulse.title, "answered": view.answered,
             "revealed": view.results is not None, "min_answers": view.min_answers,
             "statements": []}
    for _, items in (view.results.groups if view.results else []):
        for item in items:
            entry["statements"].append({
                "text": item.statement.text,
                "all_units_shown": list(item.overall.counts) if item.overall.n else None,
                "units": [{"unit": unit.key, "counts": list(dist.counts) if dist else None}
                          for unit, dist in item.rows]})
    return entry


def report_csv(data: dict) -> str:
    """One row per fact: section, subject, detail, value."""
    out = io.StringIO()
    rows = csv.writer(out)
    rows.writerow(["section", "subject", "detail", "value"])
    rows.writerow(["scope", data["scope"]["label"], "score", data["score"]])
    for point in data["trend"]:
        rows.writerow(["trend", point["as_of"], "score", point["score"]])
    for f in data["findings"]:
        rows.writerow(["finding", f["code"], f["message"], f["conversation"]])
    if data["pulse"]:
        for s in data["pulse"]["statements"]:
            for u in s["units"]:
                rows.writerow(["pulse", s["text"], u["unit"],
                               " ".join(map(str, u["counts"])) if u["counts"] else "not shown"])
    for n in data["notes"]:
        for stance in STANCES:
            rows.writerow(["notes", n["kind"], stance, n[stance]])
    if data["changes"]:
        for what in ("opened", "resolved", "acknowledged", "withdrawn", "added", "revised",
                     "retired", "gone_stale", "reconfirmed"):
            for item in data["changes"][what]:
                rows.writerow(["changes", what, item, data["changes"]["since"]])
    for d in data["decisions"]:
        rows.writerow(["decision", d["text"], d["acknowledged"] or d["note_on"] or "", d["at"]])
    return out.getvalue()

"""What the page tells about each drawn element: the facts shown on hover and focus, and
the elements a finding's "focus" lights up.

Kept apart from the DOT (`cascade.graph.build`) because dot does not need them: a page
prepares them while dot lays the picture out, and they travel as data attributes added to
dot's SVG afterwards (`cascade.graph.render.marks`).
"""

from __future__ import annotations

import json

from cascade.coherence import names
from cascade.coherence.model import SEVERITIES, Finding
from cascade.graph.collapse import Plan, Summary
from cascade.graph.labels import clean
from cascade.graph.scope import Scope


def hover_facts(scope: Scope, plan: Plan) -> dict[str, dict[str, str]]:
    """Per element id: kind, title, unit, status, parent element, stale, findings (JSON)."""
    facts = {}
    ids, nodes, units = plan.ids, scope.index.nodes, scope.index.units
    for key in plan.visible:
        node = nodes[key]
        unit = units.get(node.unit)
        facts[ids[key]] = {
            "kind": "node", "key": key, "title": clean(node.title, 400),
            "unit": clean(unit.name, 400) if unit else "", "status": node.status,
            "parent": ids.get(scope.parent.get(key), ""),
            "stale": "1" if scope.is_stale(key) else "",
            "findings": briefs(scope.by_node.get(key, []))}
    for summary in plan.summaries:
        unit = units.get(summary.unit)
        facts[summary.ident] = {
            "kind": "summary", "title": summary.label,
            "unit": clean(unit.name, 400) if unit else "",
            "expand": summary.anchor or "", "unit-filter": summary.unit_filter or "",
            "parent": ids.get(summary.anchor, ""), "findings": group_briefs(summary)}
    for i, unit_key in enumerate(scope.empty_units):
        facts[f"e{i}"] = {"kind": "unit", "title": "No strategy yet",
                          "unit": clean(units[unit_key].name, 400),
                          "findings": briefs(scope.unit_findings.get(unit_key, []))}
    return facts


def briefs(found: list[Finding]) -> str:
    """A node's findings as the JSON its tooltip reads (cleaned of undrawable characters)."""
    if not found:
        return "[]"
    return _brief_json([{"code": f.code, "name": names.name(f.code), "severity": f.severity,
                         "message": f.message, "acknowledged": f.acknowledged} for f in found])


def group_briefs(summary: Summary) -> str:
    """A folded group's tooltip: one line per finding code, worst first, with how many
    the group hides and one of them as an example, however many it holds."""
    lines_ = []
    for code, (total, open_, level, example) in sorted(
            summary.tally.by_code.items(), key=lambda item: (item[1][2], -item[1][0], item[0])):
        acknowledged = total - open_
        if total == 1:
            message = example.message
        else:
            message = f"{total} in this group" + \
                (f" ({acknowledged} acknowledged)" if acknowledged and open_ else "") + \
                f", for example: {example.message}"
        lines_.append({"code": code, "name": names.name(code),
                       "severity": SEVERITIES[level] if open_ else example.severity,
                       "message": message, "acknowledged": not open_})
    return _brief_json(lines_)


def _brief_json(entries: list[dict]) -> str:
    return clean(json.dumps(entries, ensure_ascii=False), 20_000) if entries else "[]"


def focus_targets(scope: Scope, plan: Plan, found: Finding) -> list[str]:
    """For "focus on a finding": the elements standing for its nodes and their path up."""
    out: list[str] = []
    seen: set[str] = set()
    for key in found.nodes:
        current = key if key in scope.parent else None
        while current is not None:
            shown = plan.element(current)
            if shown in seen:
                break  # the rest of the path is already in
            if shown:
                seen.add(shown)
                out.append(shown)
            current = scope.parent.get(current)
    if not found.nodes and found.units and found.units[0] in scope.empty_units:
        out.append(f"e{scope.empty_units.index(found.units[0])}")
    return out

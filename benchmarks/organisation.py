"""A synthetic organisation of any size, as a `cascade/v1` document, for benchmarks.

Shaped like a real one: a vision, themes and objectives at the top, departments that
translate objectives, teams that translate their department's strategy and add initiatives
below; about 5% of nodes depend on another team's node (half of those across units as
requests in some state of agreement), about 3 notes per node, a pulse per department, and
a measure with six check-ins on about a third of the team nodes. Seeded, so every run
measures the same workspace.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

STATUSES = ["agreed"] * 14 + ["proposed"] * 3 + ["draft"] * 2 + ["retired"]
STANCES = ["support"] * 5 + ["question"] * 3 + ["concern"] * 2 + ["blocker"]
KINDS = ["validation", "feasibility", "experiment", "emergence", "execution", "coherence"]


def document(size: int, seed: int = 2026, now: datetime | None = None) -> dict:
    """A workspace with exactly `size` nodes (at least 100) and about 3 notes per node."""
    rng = random.Random(seed)
    now = now or datetime(2026, 11, 1, tzinfo=UTC)
    teams_count = max(4, size // 20)
    depts_count = max(3, teams_count // 25)
    units = [{"key": "org", "name": "Synthetic Org", "parent": None}]
    units += [{"key": f"d{d}", "name": f"Department {d}", "parent": "org"}
              for d in range(depts_count)]
    team_dept = {f"t{t}": f"d{t % depts_count}" for t in range(teams_count)}
    units += [{"key": t, "name": f"Team {t[1:]}", "parent": d} for t, d in team_dept.items()]
    nodes = _nodes(rng, size, depts_count, team_dept)
    people = _people(depts_count, team_dept)
    _progress(random.Random(seed + 1), nodes, now)
    return {"format": "cascade/v1", "workspace": {"slug": f"synthetic-{size}",
                                                  "name": f"Synthetic {size}"},
            "units": units, "people": people, "nodes": nodes,
            "notes": _notes(rng, nodes, people, team_dept, now),
            "pulses": _pulses(rng, depts_count, team_dept)}


def _node(rng: random.Random, key: str, unit: str, parent: dict | None, title: str) -> dict:
    revision = rng.choice((1, 1, 1, 2, 3))
    node = {"key": key, "title": title, "statement": f"What {title.lower()} means for us.",
            "unit": unit, "parent": parent["key"] if parent else None,
            "status": rng.choice(STATUSES), "revision": revision, "horizon": "2027"}
    if parent is not None:
        seen = parent["revision"] - (rng.random() < 0.05)
        node["parent_revision_seen"] = max(1, seen)
    return node


def _nodes(rng: random.Random, size: int, depts: int, team_dept: dict[str, str]) -> list[dict]:
    vision = _node(rng, "vision", "org", None, "Vision")
    vision["status"] = "agreed"
    nodes = [vision]
    themes = [_node(rng, f"theme-{i}", "org", vision, f"Theme {i}") for i in range(5)]
    objectives = [_node(rng, f"obj-{i}", "org", themes[i % 5], f"Objective {i}")
                  for i in range(20)]
    nodes += themes + objectives
    by_dept: dict[str, list[dict]] = {}
    for d in range(depts):
        for i in range(5):
            node = _node(rng, f"d{d}-{i}", f"d{d}", rng.choice(objectives), f"Dept {d} aim {i}")
            by_dept.setdefault(f"d{d}", []).append(node)
            nodes.append(node)
    teams = list(team_dept)
    by_team: dict[str, list[dict]] = {t: [] for t in teams}
    i = 0
    while len(nodes) < size:
        team = teams[i % len(teams)]
        mine = by_team[team]
        parent = (rng.choice(by_dept[team_dept[team]]) if len(mine) < 2
                  else rng.choice(mine[:max(2, len(mine) // 2)]))
        node = _node(rng, f"{team}-{len(mine)}", team, parent, f"{team} initiative {len(mine)}")
        mine.append(node)
        nodes.append(node)
        i += 1
    for node in nodes:
        if rng.random() < 0.05:
            other = rng.choice(nodes)
            if other["key"] != node["key"]:
                node["depends_on"] = [other["key"]]
    return nodes[:size]


def _people(depts: int, team_dept: dict[str, str]) -> list[dict]:
    people = [{"email": "lead@synthetic.test", "name": "Lead",
               "memberships": [{"unit": "org", "role": "leader"}]},
              {"email": "coach@synthetic.test", "name": "Coach",
               "memberships": [{"unit": "org", "role": "coach"}]}]
    people += [{"email": f"head{d}@synthetic.test", "name": f"Head {d}",
                "memberships": [{"unit": f"d{d}", "role": "leader"}]} for d in range(depts)]
    people += [{"email": f"{t}@synthetic.test", "name": f"Member of {t}",
                "memberships": [{"unit": t, "role": "member"}]} for t in team_dept]
    return people


def _notes(rng, nodes, people, team_dept, now) -> list[dict]:
    notes = []
    teams = list(team_dept)
    for _ in range(3 * len(nodes)):
        node = rng.choice(nodes)
        team = rng.choice(teams)
        answered = rng.random() < 0.4
        notes.append({
            "node": node["key"], "kind": rng.choice(KINDS), "stance": rng.choice(STANCES),
            "author": f"{team}@synthetic.test", "unit": team,
            "body": "We read this and have a view on it.",
            "status": "acknowledged" if answered else "open",
            "response": "Thanks, heard." if answered else None,
            "created_at": (now - timedelta(hours=rng.randrange(24 * 120)))
            .isoformat().replace("+00:00", "Z")})
    return notes


def _pulses(rng, depts: int, team_dept: dict[str, str]) -> list[dict]:
    pulses = []
    for d in range(depts):
        teams = [t for t, dept in team_dept.items() if dept == f"d{d}"]
        statements = [{"text": text, "node": f"d{d}-0", "answers": [
            {"unit": rng.choice(teams), "value": rng.randint(1, 5)} for _ in range(12)]}
            for text in ("I understand how this relates to my team's work",
                         "I believe this is the right direction")]
        pulses.append({"key": f"pulse-d{d}", "node": f"d{d}-0", "status": "closed",
                       "units": teams, "statements": statements})
    return pulses


AGREEMENTS = ["committed", "requested", "countered", "declined"]


def _progress(rng: random.Random, nodes: list[dict], now: datetime) -> None:
    """Measures on a third of the team nodes (six check-ins over four months, some
    behind, some late), and dependency objects in every state across units (a separate
    random stream, so the rest of the workspace is the one measured before)."""
    units = {n["key"]: n["unit"] for n in nodes}
    start = (now - timedelta(days=120)).date().isoformat()
    due = (now + timedelta(days=60)).date().isoformat()
    for node in nodes:
        if node["unit"].startswith("t") and rng.random() < 1 / 3:
            late = rng.random() < 0.1
            node["measures"] = [{
                "key": "m1", "name": f"Outcome of {node['key']}", "unit_of_measure": "%",
                "direction": "increase", "baseline": 10, "target": 60, "start": start,
                "due": due, "cadence_days": 14,
                "check_ins": [{"value": round(10 + rng.uniform(0, 50) * week / 6, 1),
                               "confidence": rng.randint(0, 10), "unit": node["unit"],
                               "created_at": (now - timedelta(days=120 - 20 * week
                                                              + (40 if late else 0)))
                               .isoformat().replace("+00:00", "Z")}
                              for week in range(6)]}]
        targets = node.get("depends_on", [])
        if targets and units[targets[0]] != node["unit"] and rng.random() < 0.5:
            node["depends_on"] = [{"node": targets[0], "state": rng.choice(AGREEMENTS),
                                   "created_at": (now - timedelta(days=rng.randrange(60)))
                                   .isoformat().replace("+00:00", "Z")}]

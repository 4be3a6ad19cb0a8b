"""`cascade/v1` documents for tests: one small hand-written file and a hypothesis strategy
that generates any valid one."""

from __future__ import annotations

from datetime import datetime

from hypothesis import strategies as st

from cascade.inputs import UNSTORABLE
from cascade.vocabulary import (
    AgreementState,
    Direction,
    MeasureStatus,
    NodeStatus,
    NoteKind,
    NoteStatus,
    PulseStatus,
    Role,
    Stance,
)


def small_document(slug: str = "acme") -> dict:
    """A root unit, a team, two people, a vision translated once, an old concern, a pulse."""
    return {
        "format": "cascade/v1",
        "workspace": {"slug": slug, "name": "Acme Digital"},
        "units": [{"key": "acme", "name": "Acme Digital", "parent": None},
                  {"key": "payments", "name": "Payments", "parent": "acme"}],
        "people": [{"email": "lea@acme.test", "name": "Lea",
                    "memberships": [{"unit": "acme", "role": "leader"}]},
                   {"email": "kim@acme.test", "name": "Kim",
                    "memberships": [{"unit": "payments", "role": "member"}]}],
        "nodes": [{"key": "vision", "title": "Checkout in one minute", "statement": "Fast.",
                   "unit": "acme", "parent": None, "status": "agreed", "revision": 2,
                   "horizon": "2027"},
                  {"key": "pay-1", "title": "One-tap payments", "unit": "payments",
                   "parent": "vision", "status": "agreed", "revision": 1,
                   "parent_revision_seen": 1, "depends_on": [], "contributes_to": []}],
        "notes": [{"node": "pay-1", "kind": "feasibility", "stance": "concern",
                   "author": "kim@acme.test", "unit": "payments", "body": "Card vault?",
                   "status": "open", "response": None, "created_at": "2026-10-01T09:00:00Z"}],
        "pulses": [{"key": "p1", "node": "vision", "status": "open",
                    "statements": [{"text": "I understand how this relates to my team's work",
                                    "answers": [{"unit": "payments", "value": 4}]}]}],
    }


# Any Unicode a person could type, except what Cascade refuses everywhere (`cascade.inputs`:
# NUL, which PostgreSQL text refuses, the other controls XML cannot hold, surrogates).
_chars = st.characters(blacklist_categories=("Cs",)).filter(lambda c: not UNSTORABLE.match(c))
text = st.text(_chars, max_size=40)
words = st.text(_chars, min_size=1, max_size=40).filter(str.strip)
timestamps = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1))


def _pick(draw, keys: list[str]):
    return draw(st.sampled_from(keys))


@st.composite
def documents(draw: st.DrawFn, min_nodes: int = 0, slug: str = "gen") -> dict:
    """A valid document: unit and node trees, people with roles, links, notes and pulses."""
    units = []
    for i in range(draw(st.integers(1, 5))):
        parent = draw(st.none() | st.integers(0, i - 1)) if i else None
        unit = {"key": f"u{i}", "name": draw(words),
                "parent": None if parent is None else f"u{parent}"}
        if draw(st.booleans()):
            unit["archived"] = draw(st.booleans())
        units.append(unit)
    unit_keys = [u["key"] for u in units]
    emails = [f"person{i}@gen.test" for i in range(draw(st.integers(0, 3)))]
    people = [{"email": email, "name": draw(words), "memberships": [
        {"unit": _pick(draw, unit_keys), "role": draw(st.sampled_from([r.value for r in Role]))}
        for _ in range(draw(st.integers(0, 2)))]} for email in emails]
    keys = [f"n{i}" for i in range(draw(st.integers(min_nodes, 8)))]
    nodes = [_node(draw, i, keys, unit_keys) for i in range(len(keys))]
    for node in nodes:
        _progress(draw, node, {n["key"]: n["unit"] for n in nodes}, unit_keys, emails)
    notes = [] if not keys else [_note(draw, keys, unit_keys, emails)
                                 for _ in range(draw(st.integers(0, 4)))]
    pulses = [_pulse(draw, i, keys, unit_keys) for i in range(draw(st.integers(0, 2)))]
    return {"format": "cascade/v1", "workspace": {"slug": slug, "name": draw(words)},
            "units": units, "people": people, "nodes": nodes, "notes": notes,
            "pulses": pulses}


def _node(draw, i: int, keys: list[str], unit_keys: list[str]) -> dict:
    node = {"key": keys[i], "title": draw(words), "unit": _pick(draw, unit_keys),
            "parent": draw(st.none() | st.sampled_from(keys[:i])) if i else None}
    optional = {
        "statement": st.none() | text,
        "status": st.sampled_from([s.value for s in NodeStatus]),
        "revision": st.integers(1, 4),
        "horizon": st.none() | st.text(_chars, max_size=10),
        "agreed_at": st.none() | timestamps.map(lambda t: t.isoformat() + "Z"),
        "depends_on": st.lists(st.sampled_from(keys), max_size=2, unique=True)
        .map(lambda ks: [k for k in ks if k != keys[i]]),
        "contributes_to": st.lists(st.sampled_from(keys), max_size=2, unique=True)
        .map(lambda ks: [k for k in ks if k != keys[i]]),
    }
    if node["parent"] is not None:
        optional["parent_revision_seen"] = st.none() | st.integers(1, 4)
    for name, strategy in optional.items():
        if draw(st.booleans()):
            node[name] = draw(strategy)
    return node


def _note(draw, keys: list[str], unit_keys: list[str], emails: list[str]) -> dict:
    note = {"node": _pick(draw, keys), "kind": draw(st.sampled_from([k.value for k in NoteKind])),
            "stance": draw(st.sampled_from([s.value for s in Stance])), "body": draw(words)}
    optional = {
        "status": st.sampled_from([s.value for s in NoteStatus]),
        "response": st.none() | text,
        "hypothesis": st.none() | text,
        "author": st.none() | (st.sampled_from(emails) if emails else st.none()),
        "unit": st.none() | st.sampled_from(unit_keys),
        "created_at": timestamps.map(lambda t: t.isoformat() + "Z"),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            note[name] = draw(strategy)
    return note


def _pulse(draw, i: int, keys: list[str], unit_keys: list[str]) -> dict:
    answer = st.fixed_dictionaries({"unit": st.sampled_from(unit_keys),
                                    "value": st.integers(1, 5)},
                                   optional={"role": st.none() | st.sampled_from(
                                       [r.value for r in Role]), "comment": st.none() | text})
    statement = st.fixed_dictionaries(
        {"text": words.map(lambda w: w[:300]), "answers": st.lists(answer, max_size=4)},
        optional={"node": st.none() | st.sampled_from(keys)} if keys else {})
    pulse = {"key": f"p{i}", "statements": draw(st.lists(statement, max_size=3))}
    if keys and draw(st.booleans()):
        pulse["node"] = _pick(draw, keys)
    if draw(st.booleans()):
        pulse["status"] = draw(st.sampled_from([s.value for s in PulseStatus]))
    if draw(st.booleans()):
        pulse["units"] = draw(st.lists(st.sampled_from(unit_keys), max_size=3, unique=True))
    return pulse


numbers = st.integers(-1000, 1000) | st.floats(-1e6, 1e6, allow_nan=False).map(
    lambda x: round(x, 3))
days = st.dates(min_value=datetime(2025, 1, 1).date(), max_value=datetime(2028, 1, 1).date())


def _measure(draw, i: int, unit_keys: list[str], emails: list[str]) -> dict:
    direction = draw(st.sampled_from([d.value for d in Direction]))
    measure = {"key": f"m{i}", "name": draw(words), "direction": direction}
    if direction == "maintain":
        low, high = sorted((draw(numbers), draw(numbers)))
        measure |= {"band_low": low, "band_high": high}
    else:
        measure |= {"baseline": draw(numbers), "target": draw(numbers)}
    start, due = sorted((draw(days), draw(days)))
    optional = {"unit_of_measure": st.none() | st.text(_chars, max_size=10),
                "start": st.just(start.isoformat()), "due": st.just(due.isoformat()),
                "cadence_days": st.integers(1, 90),
                "status": st.sampled_from([m.value for m in MeasureStatus])}
    for name, strategy in optional.items():
        if draw(st.booleans()):
            measure[name] = draw(strategy)
    check_in = st.fixed_dictionaries(
        {"value": numbers},
        optional={"confidence": st.none() | st.integers(0, 10), "comment": st.none() | text,
                  "author": st.none() | (st.sampled_from(emails) if emails else st.none()),
                  "unit": st.none() | st.sampled_from(unit_keys),
                  "created_at": timestamps.map(lambda t: t.isoformat() + "Z")})
    measure["check_ins"] = draw(st.lists(check_in, max_size=3))
    return measure


def _progress(draw, node: dict, owners: dict[str, str], unit_keys, emails) -> None:
    """Some measures, and some `depends_on` entries as objects (a state other than
    committed only across units, as the format allows)."""
    if draw(st.booleans()):
        node["measures"] = [_measure(draw, i, unit_keys, emails)
                            for i in range(draw(st.integers(0, 2)))]
    entries = []
    for target in node.get("depends_on", []):
        if not draw(st.booleans()):
            entries.append(target)
            continue
        states = [a.value for a in AgreementState] if owners[target] != node["unit"] \
            else ["committed"]
        entry = {"node": target, "state": draw(st.sampled_from(states))}
        for name, strategy in {"needed_by": st.none() | st.sampled_from(["2027-Q1", "2028"]),
                               "created_at": timestamps.map(lambda t: t.isoformat() + "Z"),
                               "response": st.none() | text}.items():
            if draw(st.booleans()):
                entry[name] = draw(strategy)
        entries.append(entry)
    if "depends_on" in node:
        node["depends_on"] = entries

"""A recorded day kept exactly: the engine's input snapshot and thresholds, packed small.

A score record holds the workspace as the engine read it that day (zlib-compressed JSON of
the plain-data `Snapshot`, with the `Settings`), so the graph, the findings and the pulses
of that day can be shown again exactly, and compared with any other day. Fields the engine
gains later read as their defaults from older records.

It also keeps who acknowledged each finding acknowledged that day, when and why (format 2):
the snapshot's `acknowledged` set says which findings did not count against that day's
score, these say why, so a past day shows its own acknowledgements, not today's.
Records of format 1 read as having none of those details.
"""

from __future__ import annotations

import dataclasses
import json
import zlib
from collections.abc import Iterable
from datetime import date, datetime

from cascade.coherence import model as m

FORMAT = 2
_NESTED = {"units": m.Unit, "nodes": m.Node, "notes": m.Note, "statements": m.Statement,
           "answers": m.Answer, "measures": m.Measure, "check_ins": m.CheckIn,
           "dependencies": m.Dependency}


@dataclasses.dataclass(frozen=True)
class Acknowledged:
    """One acknowledgement as it stood when the day was recorded (the person by id, so a
    record names nobody: their name is read when shown, 'a former member' once gone)."""

    fingerprint: str
    code: str
    comment: str
    person_id: int | None
    created_at: datetime


def pack(snapshot: m.Snapshot, settings: m.Settings,
         acknowledgements: Iterable[Acknowledged] = ()) -> bytes:
    """The snapshot, thresholds and the details of the snapshot's acknowledgements (others
    are left out) as compressed JSON (about a tenth of the plain text)."""
    kept = sorted((a for a in acknowledgements if a.fingerprint in snapshot.acknowledged),
                  key=lambda a: a.fingerprint)
    body = {"format": FORMAT, "snapshot": _plain(snapshot), "settings": _plain(settings),
            "acknowledgements": _plain(kept)}
    return zlib.compress(json.dumps(body, separators=(",", ":"), ensure_ascii=False)
                         .encode(), 6)


def unpack(data: bytes) -> tuple[m.Snapshot, m.Settings]:
    """`pack` undone: equal to what was packed (without the acknowledgements' details)."""
    snapshot, settings, _ = unpack_day(data)
    return snapshot, settings


def unpack_day(data: bytes) -> tuple[m.Snapshot, m.Settings, tuple[Acknowledged, ...]]:
    """`pack` undone, with the acknowledgements' details (none from a format 1 record)."""
    body = json.loads(zlib.decompress(data))
    settings = _build(m.Settings, body.get("settings", {}))
    acks = tuple(_build(Acknowledged, a) for a in body.get("acknowledgements", ()))
    return _build(m.Snapshot, body["snapshot"]), settings, acks


def _plain(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, datetime):
        return {"@datetime": value.isoformat()}
    if isinstance(value, date):  # a measure's start and due
        return {"@date": value.isoformat()}
    return value


def _build(cls, data: dict):
    known = {f.name: f for f in dataclasses.fields(cls)}
    values = {name: _value(name, raw) for name, raw in data.items() if name in known}
    if cls is m.Snapshot and "acknowledged" in values:
        values["acknowledged"] = frozenset(values["acknowledged"])
    return cls(**values)


def _value(name: str, raw):
    if isinstance(raw, dict) and "@datetime" in raw:
        return datetime.fromisoformat(raw["@datetime"])
    if isinstance(raw, dict) and "@date" in raw:
        return date.fromisoformat(raw["@date"])
    if isinstance(raw, list):
        nested = _NESTED.get(name)
        return tuple(_build(nested, item) if nested else _value(name, item) for item in raw)
    return raw

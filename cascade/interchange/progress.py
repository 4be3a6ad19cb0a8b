"""The `cascade/v1` additions for progress and agreements: `nodes[].measures` with their
check-ins, and `nodes[].depends_on` entries written as objects.

Validation here walks one node's entries with the document's checker (`validate._Checker`,
so every problem carries its JSON path); loading writes them in bulk; dumping reads them
back in a fixed number of queries. A plain key in `depends_on` stays a `committed` link.
"""

from __future__ import annotations

import math

import sqlalchemy as sa

from cascade.db import db
from cascade.interchange.times import parse_date, parse_datetime
from cascade.keys import key_problem
from cascade.models import CheckIn, Link, Measure, Person
from cascade.vocabulary import AGREEMENT_STATES, DIRECTIONS, MEASURE_STATUSES

LARGEST = 10 ** 15  # any value a measure could sensibly report, kept exact as a double
MAX_CADENCE = 3660


def number(check, obj: dict, name: str, path: str, *, required: bool) -> float | int | None:
    """A JSON number (not true/false, not NaN or infinite, at most `LARGEST` either way)."""
    if name not in obj or obj[name] is None:
        if required:
            check.add(f"{path}.{name}", "is required")
        return None
    value = obj[name]
    if type(value) not in (int, float) or not math.isfinite(value) or abs(value) > LARGEST:
        check.add(f"{path}.{name}", f"must be a number between -{LARGEST:.0e} and {LARGEST:.0e}")
        return None
    return value


def _date(check, obj: dict, name: str, path: str):
    value = check.text(obj, name, path, required=False, nullable=True)
    if value is not None and parse_date(value) is None:
        check.add(f"{path}.{name}", "must be a date as YYYY-MM-DD")
        return None
    return parse_date(value) if value is not None else None


def _moment(check, obj: dict, name: str, path: str) -> None:
    value = check.text(obj, name, path, required=False)
    if value is not None and parse_datetime(value) is None:
        check.add(f"{path}.{name}", "must be an ISO 8601 date-time with a time zone")


def check_measures(check, node: dict, path: str, units, emails) -> None:
    """`nodes[i].measures`: keys unique within the node, numbers that fit the direction,
    a start no later than the due date, check-ins by known people and units."""
    seen: dict = {}
    for mpath, measure in check.records(node, "measures"):
        mpath = path + mpath[1:]
        key = check.field(measure, "key", mpath, str, problem=key_problem)
        check.unique(seen, key, f"{mpath}.key", "measure key")
        check.text(measure, "name", mpath, max_len=200)
        check.text(measure, "unit_of_measure", mpath, required=False, nullable=True,
                   max_len=40)
        direction = check.choice(measure, "direction", mpath, DIRECTIONS, required=False)
        numbers = {n: number(check, measure, n, mpath, required=False)
                   for n in ("baseline", "target", "band_low", "band_high")}
        if direction == "maintain":
            for name in ("band_low", "band_high"):
                if measure.get(name) is None:
                    check.add(f"{mpath}.{name}", "is required for a measure to maintain")
            low, high = numbers["band_low"], numbers["band_high"]
            if low is not None and high is not None and low > high:
                check.add(f"{mpath}.band_high", "must not be below band_low")
        else:
            for name in ("baseline", "target"):
                if measure.get(name) is None:
                    check.add(f"{mpath}.{name}", "is required for a measure to increase "
                                                 "or decrease")
        start, due = _date(check, measure, "start", mpath), _date(check, measure, "due", mpath)
        if start is not None and due is not None and start > due:
            check.add(f"{mpath}.due", "must not be before start")
        check.number(measure, "cadence_days", mpath, 1, MAX_CADENCE, required=False)
        check.choice(measure, "status", mpath, MEASURE_STATUSES, required=False)
        for cpath, check_in in check.records(measure, "check_ins"):
            _check_check_in(check, check_in, mpath + cpath[1:], units, emails)


def _check_check_in(check, check_in: dict, path: str, units, emails) -> None:
    number(check, check_in, "value", path, required=True)
    check.number(check_in, "confidence", path, 0, 10, required=False, nullable=True)
    check.text(check_in, "comment", path, required=False, nullable=True)
    check.text(check_in, "author_name", path, required=False, nullable=True, max_len=200)
    author = check.text(check_in, "author", path, required=False, nullable=True)
    if author is not None and author.lower() not in emails:
        check.add(f"{path}.author", f"unknown person {author!r}")
    unit = check.text(check_in, "unit", path, required=False, nullable=True)
    if unit is not None and unit not in units:
        check.add(f"{path}.unit", f"unknown unit {unit!r}")
    _moment(check, check_in, "created_at", path)


def check_dependency(check, entry: dict, path: str) -> str | None:
    """One `depends_on` object; returns the key it names (checked by the caller)."""
    target = check.text(entry, "node", path)
    check.choice(entry, "state", path, AGREEMENT_STATES, required=False)
    check.text(entry, "needed_by", path, required=False, nullable=True, max_len=40)
    check.text(entry, "response", path, required=False, nullable=True)
    _moment(check, entry, "created_at", path)
    return target


def dependency_target(entry) -> str:
    """The node a `depends_on` entry names, whether a plain key or an object."""
    return entry["node"] if isinstance(entry, dict) else entry


def link_rows(ws_id: int, records: list[dict], ids: dict[str, int], bind) -> list[tuple]:
    """(workspace, source, target, kind, state, needed_by, response, created_at) per link,
    first entry winning for a repeated target; `bind` converts a time for the database."""
    rows: dict[tuple[int, int, str], tuple] = {}
    for n in records:
        for kind in ("depends_on", "contributes_to"):
            for entry in n.get(kind, []):
                source, target = ids[n["key"]], ids[dependency_target(entry)]
                if (source, target, kind) in rows:
                    continue
                extra = entry if isinstance(entry, dict) else {}
                made = extra.get("created_at")
                rows[(source, target, kind)] = (
                    ws_id, source, target, kind, extra.get("state") or "committed",
                    extra.get("needed_by"), extra.get("response"),
                    bind(parse_datetime(made)) if made else bind.now)
    return [rows[k] for k in sorted(rows)]


def load_measures(insert, ws_id: int, records: list[dict], nodes: dict[str, int], units,
                  people: dict[str, int], names: dict[str, str], bind) -> None:
    """Every node's measures, then every check-in, one executemany each. An author who
    holds no role here keeps their name as text, as for notes."""
    found = [(nodes[n["key"]], m) for n in records for m in n.get("measures", [])]
    if not found:
        return
    insert(Measure, ("workspace_id", "node_id", "key", "name", "unit_of_measure", "direction",
                     "baseline", "target", "band_low", "band_high", "start", "due",
                     "cadence_days", "status"),
           [(ws_id, node, m["key"], m["name"], m.get("unit_of_measure") or "",
             m.get("direction") or "increase", m.get("baseline"), m.get("target"),
             m.get("band_low"), m.get("band_high"),
             bind.day(parse_date(m["start"])) if m.get("start") else None,
             bind.day(parse_date(m["due"])) if m.get("due") else None,
             m.get("cadence_days") or 30, m.get("status") or "live") for node, m in found])
    ids = {(node, key): mid for mid, node, key in db.session.execute(
        sa.select(Measure.id, Measure.node_id, Measure.key)
        .where(Measure.workspace_id == ws_id)).all()}
    rows = []
    for node, m in found:
        for c in m.get("check_ins", []):
            author = c.get("author")
            author_id = people.get(author.lower()) if author else None
            author_name = c.get("author_name") or None
            if author and author_id is None:
                author_name = names.get(author.lower(), author)
            made = c.get("created_at")
            rows.append((ws_id, ids[(node, m["key"])], c["value"], c.get("confidence"),
                         c.get("comment") or "", author_id, author_name,
                         units[c["unit"]] if c.get("unit") else None,
                         bind(parse_datetime(made)) if made else bind.now))
    insert(CheckIn, ("workspace_id", "measure_id", "value", "confidence", "comment",
                     "author_id", "author_name", "unit_id", "created_at"), rows)


def _plain(value: float | None) -> float | int | None:
    """A stored number as people wrote it: 12 rather than 12.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) <= LARGEST else value


def _moment_text(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def dump_measures(ws_id: int, nkey: dict[int, str], ukey: dict[int, str]) -> dict[int, list]:
    """Each node's measures with their check-ins, by node id, in two queries."""
    measures: dict[int, list[dict]] = {}
    by_id: dict[int, dict] = {}
    for m in db.session.scalars(sa.select(Measure).where(Measure.workspace_id == ws_id)
                                .order_by(Measure.id)):
        by_id[m.id] = entry = {
            "key": m.key, "name": m.name, "unit_of_measure": m.unit_of_measure,
            "direction": str(m.direction), "baseline": _plain(m.baseline),
            "target": _plain(m.target), "band_low": _plain(m.band_low),
            "band_high": _plain(m.band_high),
            "start": m.start.isoformat() if m.start else None,
            "due": m.due.isoformat() if m.due else None,
            "cadence_days": m.cadence_days, "status": str(m.status), "check_ins": []}
        measures.setdefault(m.node_id, []).append(entry)
    if by_id:
        for c, email in db.session.execute(
                sa.select(CheckIn, Person.email).outerjoin(Person, Person.id == CheckIn.author_id)
                .where(CheckIn.workspace_id == ws_id)
                .order_by(CheckIn.measure_id, CheckIn.created_at, CheckIn.id)).all():
            by_id[c.measure_id]["check_ins"].append({
                "value": _plain(c.value), "confidence": c.confidence, "comment": c.comment,
                "author": email, "unit": ukey.get(c.unit_id),
                "created_at": _moment_text(c.created_at),
                **({"author_name": c.author_name} if c.author_name and not email else {})})
    return measures


def dump_links(ws_id: int, nkey: dict[int, str]) -> dict[tuple[int, str], list]:
    """Each node's links by (source id, kind): a plain key for a committed link with nothing
    more to say (as files always wrote them), an object otherwise."""
    links: dict[tuple[int, str], list] = {}
    for source, target, kind, state, needed_by, response, made in db.session.execute(
            sa.select(Link.source_id, Link.target_id, Link.kind, Link.state, Link.needed_by,
                      Link.response, Link.created_at)
            .where(Link.workspace_id == ws_id).order_by(Link.id)).all():
        entry = nkey[target]
        if str(kind) == "depends_on" and (str(state) != "committed" or needed_by or response):
            entry = {"node": entry, "state": str(state), "needed_by": needed_by,
                     "created_at": _moment_text(made), "response": response}
        links.setdefault((source, str(kind)), []).append(entry)
    return links

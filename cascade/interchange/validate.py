"""Validation of a `cascade/v1` document: every problem, each with its JSON path."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cascade.inputs import UNSTORABLE, UNSTORABLE_MESSAGE
from cascade.interchange import progress
from cascade.interchange.times import parse_date, parse_datetime
from cascade.keys import key_problem, slug_problem
from cascade.vocabulary import (
    AGREEMENT_STATES,
    NODE_STATUSES,
    NOTE_KINDS,
    NOTE_STATUSES,
    PULSE_STATUSES,
    ROLES,
    STANCES,
)

FORMAT = "cascade/v1"
EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
MAX_RECORDS = 250_000  # in any one list: 20,000 nodes with 60,000 notes fit many times over
MAX_PROBLEMS = 100  # listed; a file with more stops being read at the hundred-and-first
_bad = UNSTORABLE.search


class HugeNumber(int):
    """A JSON integer of more digits than any count Cascade keeps: only its length is kept
    (`reading` makes these), so that validation can name it at its path."""

    def __repr__(self) -> str:
        return f"a number of {int(self):,} digits"


class _TooMany(Exception):
    """Enough problems to send the file back: the rest would be unreadable anyway."""


_MISSING = object()


class _Checker:
    """Collects problems as (JSON path, message) while walking the document once."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def add(self, path: str, message: str) -> None:
        if len(self.found) >= MAX_PROBLEMS:
            self.found.append(("$", f"more problems follow; the first {MAX_PROBLEMS} are "
                                    "listed: mend these and import again"))
            raise _TooMany
        self.found.append((path, message))

    def field(self, obj: dict, name: str, path: str, kind, *, required=True, nullable=False,
              choices=None, pattern=None, problem=None, max_len=None, minimum=None, maximum=None):
        here = f"{path}.{name}"
        if name not in obj:
            if required:
                self.add(here, "is required")
            return None
        value = obj[name]
        if value is None:
            if not nullable:
                self.add(here, "must not be null")
            return None
        if kind is int and (isinstance(value, bool | HugeNumber) or not isinstance(value, int)):
            self.add(here, f"must be a whole number{_range(minimum, maximum)} (got {value!r})"
                     if isinstance(value, HugeNumber) else "must be a whole number")
            return None
        if kind is not int and not isinstance(value, kind):
            self.add(here, f"must be {_kind_name(kind)}")
            return None
        if isinstance(value, str) and _bad(value):
            self.add(here, UNSTORABLE_MESSAGE)
            return None
        if isinstance(value, list) and len(value) > MAX_RECORDS:
            self.add(here, f"holds {len(value):,} entries; at most {MAX_RECORDS:,}")
            return None
        if choices is not None and value not in choices:
            self.add(here, f"must be one of {', '.join(choices)} (got {value!r})")
            return None
        if pattern is not None and not pattern.fullmatch(value):
            self.add(here, f"{value!r} is not a valid {name}")
            return None
        if problem is not None and (why := problem(value)):
            self.add(here, f"{value!r} is not a valid {name}: {why}")
            return None
        if max_len is not None and len(value) > max_len:
            self.add(here, f"must be at most {max_len} characters")
            return None
        if isinstance(value, str) and kind is str and required and not value.strip():
            self.add(here, "must not be blank")
            return None
        if minimum is not None and value < minimum or maximum is not None and value > maximum:
            self.add(here, f"must be between {minimum} and {maximum}")
            return None
        return value

    # Fast paths: accept the common valid value at once, and leave anything else to
    # field(), which finds the exact problem. They accept only what field() accepts.

    def text(self, obj: dict, name: str, path: str, *, required=True, nullable=False,
             max_len=None):
        value = obj.get(name, _MISSING)
        if type(value) is str and not _bad(value) \
                and (max_len is None or len(value) <= max_len) \
                and (not required or value.strip()):
            return value
        if (value is None and nullable) or (value is _MISSING and not required):
            return None
        return self.field(obj, name, path, str, required=required, nullable=nullable,
                          max_len=max_len)

    def choice(self, obj: dict, name: str, path: str, choices: tuple[str, ...], *,
               required=True):
        value = obj.get(name, _MISSING)
        if type(value) is str and value in choices:
            return value
        if value is _MISSING and not required:
            return None
        return self.field(obj, name, path, str, required=required, choices=list(choices))

    def number(self, obj: dict, name: str, path: str, minimum: int, maximum: int, *,
               required=True, nullable=False):
        value = obj.get(name, _MISSING)
        if type(value) is int and minimum <= value <= maximum:
            return value
        if (value is None and nullable) or (value is _MISSING and not required):
            return None
        return self.field(obj, name, path, int, required=required, nullable=nullable,
                          minimum=minimum, maximum=maximum)

    def records(self, doc: dict, name: str) -> Iterator[tuple[str, dict]]:
        value = doc.get(name, [])
        if not isinstance(value, list):
            self.add(f"$.{name}", "must be a list")
            return
        if len(value) > MAX_RECORDS:
            self.add(f"$.{name}", f"holds {len(value):,} entries; at most {MAX_RECORDS:,}")
            return
        for index, item in enumerate(value):
            path = f"$.{name}[{index}]"
            if isinstance(item, dict):
                yield path, item
            else:
                self.add(path, "must be an object")

    def unique(self, seen: dict, value, path: str, what: str) -> None:
        if value is None:
            return
        if value in seen:
            self.add(path, f"duplicate {what} {value!r} (first at {seen[value]})")
        else:
            seen[value] = path


def _range(low, high) -> str:
    return f" from {low} to {high}" if low is not None and high is not None else ""


def _kind_name(kind) -> str:
    names = {str: "a string", bool: "true or false", list: "a list", dict: "an object"}
    return names.get(kind, getattr(kind, "__name__", str(kind)))


def problems(doc) -> list[tuple[str, str]]:
    """Every problem in the document, each with its JSON path; empty when it can be loaded.
    At most `MAX_PROBLEMS` are listed, and a list longer than `MAX_RECORDS` is one problem."""
    check = _Checker()
    if not isinstance(doc, dict):
        return [("$", "must be a JSON object")]
    try:
        _check_document(check, doc)
    except _TooMany:
        pass
    return check.found


def _check_document(check: _Checker, doc: dict) -> None:
    if doc.get("format") != FORMAT:
        check.add("$.format", f"must be {FORMAT!r}")
    ws = doc.get("workspace")
    if isinstance(ws, dict):
        check.field(ws, "slug", "$.workspace", str, problem=slug_problem)
        check.field(ws, "name", "$.workspace", str, max_len=200)
    else:
        check.add("$.workspace", "is required and must be an object")
    units = _check_units(check, doc)
    emails = _check_people(check, doc, units)
    nodes = _check_nodes(check, doc, units, emails)
    _check_notes(check, doc, nodes, units, emails)
    _check_pulses(check, doc, nodes, units)


def _check_units(check: _Checker, doc: dict) -> dict[str, str | None]:
    units: dict[str, str | None] = {}
    seen: dict = {}
    paths: dict[str, str] = {}
    for path, unit in check.records(doc, "units"):
        key = check.field(unit, "key", path, str, problem=key_problem)
        check.unique(seen, key, f"{path}.key", "unit key")
        check.field(unit, "name", path, str, max_len=200)
        parent = check.field(unit, "parent", path, str, required=False, nullable=True)
        check.field(unit, "archived", path, bool, required=False)
        if key is not None and key not in units:
            units[key], paths[key] = parent, path
    for key, parent in units.items():
        if parent is not None and parent not in units:
            check.add(f"{paths[key]}.parent", f"unknown unit {parent!r}")
    for key in _cycle_members(units):
        check.add(f"{paths[key]}.parent", f"unit {key!r} is part of a parent cycle")
    return units


def _check_people(check: _Checker, doc: dict, units: dict) -> set[str]:
    seen: dict = {}
    for path, person in check.records(doc, "people"):
        email = check.field(person, "email", path, str, pattern=EMAIL, max_len=254)
        check.unique(seen, email.lower() if email else None, f"{path}.email", "email")
        check.field(person, "name", path, str, max_len=200)
        for mpath, membership in check.records(person, "memberships"):
            mpath = path + mpath[1:]
            unit = check.field(membership, "unit", mpath, str)
            if unit is not None and unit not in units:
                check.add(f"{mpath}.unit", f"unknown unit {unit!r}")
            check.field(membership, "role", mpath, str, choices=ROLES)
    return set(seen)


def _check_nodes(check: _Checker, doc: dict, units: dict,
                 emails: set[str]) -> dict[str, str | None]:
    nodes: dict[str, str | None] = {}
    owners: dict[str, str | None] = {}
    agreements: list[tuple[str, str | None, str, str]] = []
    paths: dict[str, str] = {}
    seen: dict = {}
    links: list[tuple[str, str, str]] = []
    for path, node in check.records(doc, "nodes"):
        key = check.field(node, "key", path, str, problem=key_problem)
        check.unique(seen, key, f"{path}.key", "node key")
        check.text(node, "title", path, max_len=200)
        check.text(node, "statement", path, required=False, nullable=True)
        unit = check.text(node, "unit", path)
        if unit is not None and unit not in units:
            check.add(f"{path}.unit", f"unknown unit {unit!r}")
        parent = check.text(node, "parent", path, required=False, nullable=True)
        check.choice(node, "status", path, NODE_STATUSES, required=False)
        check.number(node, "revision", path, 1, 10**9, required=False)
        check.number(node, "parent_revision_seen", path, 1, 10**9, required=False,
                     nullable=True)
        check.text(node, "horizon", path, required=False, nullable=True, max_len=40)
        agreed = check.text(node, "agreed_at", path, required=False, nullable=True)
        if agreed is not None and parse_datetime(agreed) is None:
            check.add(f"{path}.agreed_at", "must be an ISO 8601 date-time with a time zone")
        for kind in ("depends_on", "contributes_to"):
            targets = check.field(node, kind, path, list, required=False) or []
            for index, target in enumerate(targets):
                tpath = f"{path}.{kind}[{index}]"
                if kind == "depends_on" and isinstance(target, dict):
                    state = target.get("state") or "committed"
                    target = progress.check_dependency(check, target, tpath)
                    if target is None:
                        continue
                    if state in AGREEMENT_STATES and state != "committed":
                        agreements.append((tpath, key, target, state))
                if not isinstance(target, str):
                    check.add(tpath, "must be a node key")
                elif target == key:
                    check.add(tpath, "a node cannot link to itself")
                else:
                    links.append((tpath, target, kind))
        progress.check_measures(check, node, path, units, emails)
        if key is not None and key not in nodes:
            nodes[key], paths[key], owners[key] = parent, path, unit
    for key, parent in nodes.items():
        if parent is not None and parent not in nodes:
            check.add(f"{paths[key]}.parent", f"unknown node {parent!r}")
    for tpath, target, _ in links:
        if target not in nodes:
            check.add(tpath, f"unknown node {target!r}")
    for tpath, key, target, state in agreements:
        if target in owners and owners.get(key) == owners[target]:
            check.add(f"{tpath}.state", f"a link between nodes of one unit is committed from "
                                        f"the start (got {state!r})")
    for key in _cycle_members(nodes):
        check.add(f"{paths[key]}.parent", f"node {key!r} is part of a parent cycle")
    return nodes


def _plain_note(note: dict, nodes, units, emails, times: set) -> bool:
    """True when a note is valid the common way: the checks of `_check_notes` for values of
    the usual shape, inlined. Anything else is left to the detailed checks, which find the
    exact problem; this accepts only what they accept. `times` remembers valid created_at."""
    get = note.get
    node, kind, stance, body = get("node"), get("kind"), get("stance"), get("body")
    if not (type(node) is str and node in nodes and type(kind) is str and kind in NOTE_KINDS
            and type(stance) is str and stance in STANCES
            and type(body) is str and not _bad(body) and body.strip()):
        return False
    status = get("status", _MISSING)
    if status is not _MISSING and not (type(status) is str and status in NOTE_STATUSES):
        return False
    for name in ("response", "hypothesis", "measure", "learned"):
        value = get(name)
        if value is not None and not (type(value) is str and not _bad(value)):
            return False
    if get("author_name") is not None:
        return False  # rare (imported authors who were no members): checked in detail
    author, unit = get("author"), get("unit")
    if author is not None and not (type(author) is str and not _bad(author)
                                   and author.lower() in emails):
        return False
    if unit is not None and not (type(unit) is str and unit in units):
        return False
    created = get("created_at", _MISSING)
    if created is _MISSING:
        return True
    if type(created) is not str:
        return False
    if created in times:
        return True
    if not _bad(created) and created.strip() and parse_datetime(created) is not None:
        times.add(created)
        return True
    return False


def _check_notes(check: _Checker, doc, nodes, units, emails) -> None:
    times: set[str] = set()
    for path, note in check.records(doc, "notes"):
        if _plain_note(note, nodes, units, emails, times):
            continue
        node = check.text(note, "node", path)
        if node is not None and node not in nodes:
            check.add(f"{path}.node", f"unknown node {node!r}")
        check.choice(note, "kind", path, NOTE_KINDS)
        check.choice(note, "stance", path, STANCES)
        check.choice(note, "status", path, NOTE_STATUSES, required=False)
        check.text(note, "body", path)
        for name in ("response", "hypothesis", "measure", "learned"):
            check.text(note, name, path, required=False, nullable=True)
        check.text(note, "author_name", path, required=False, nullable=True, max_len=200)
        author = check.text(note, "author", path, required=False, nullable=True)
        if author is not None and author.lower() not in emails:
            check.add(f"{path}.author", f"unknown person {author!r}")
        unit = check.text(note, "unit", path, required=False, nullable=True)
        if unit is not None and unit not in units:
            check.add(f"{path}.unit", f"unknown unit {unit!r}")
        created = check.text(note, "created_at", path, required=False)
        if created is not None and parse_datetime(created) is None:
            check.add(f"{path}.created_at", "must be an ISO 8601 date-time with a time zone")


def _check_pulses(check: _Checker, doc, nodes, units) -> None:
    seen: dict = {}
    for path, pulse in check.records(doc, "pulses"):
        key = check.field(pulse, "key", path, str, problem=key_problem)
        check.unique(seen, key, f"{path}.key", "pulse key")
        check.field(pulse, "title", path, str, required=False, nullable=True, max_len=200)
        node = check.field(pulse, "node", path, str, required=False, nullable=True)
        if node is not None and node not in nodes:
            check.add(f"{path}.node", f"unknown node {node!r}")
        check.field(pulse, "status", path, str, required=False,
                    choices=PULSE_STATUSES)
        for name in ("opens_on", "closes_on"):
            value = check.field(pulse, name, path, str, required=False, nullable=True)
            if value is not None and parse_date(value) is None:
                check.add(f"{path}.{name}", "must be a date as YYYY-MM-DD")
        for index, unit in enumerate(check.field(pulse, "units", path, list,
                                                 required=False) or []):
            if not isinstance(unit, str):
                check.add(f"{path}.units[{index}]", "must be a unit key")
            elif unit not in units:
                check.add(f"{path}.units[{index}]", f"unknown unit {unit!r}")
        for spath, statement in check.records(pulse, "statements"):
            spath = path + spath[1:]
            check.field(statement, "text", spath, str, max_len=300)
            snode = check.field(statement, "node", spath, str, required=False, nullable=True)
            if snode is not None and snode not in nodes:
                check.add(f"{spath}.node", f"unknown node {snode!r}")
            for apath, answer in check.records(statement, "answers"):
                apath = spath + apath[1:]
                unit = check.field(answer, "unit", apath, str)
                if unit is not None and unit not in units:
                    check.add(f"{apath}.unit", f"unknown unit {unit!r}")
                check.field(answer, "value", apath, int, minimum=1, maximum=5)
                check.field(answer, "role", apath, str, required=False, nullable=True,
                            choices=ROLES)
                check.field(answer, "comment", apath, str, required=False, nullable=True)


def _cycle_members(parents: dict[str, str | None]) -> list[str]:
    """Keys whose parent chain loops back on itself, in a single linear pass."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = known to end at a root
    looping: list[str] = []
    for start in parents:
        path, key = [], start
        while key is not None and key in parents and state.get(key) is None:
            state[key] = 1
            path.append(key)
            key = parents[key]
        if key is not None and state.get(key) == 1:
            looping.extend(path[path.index(key):])
        for visited in path:
            state[visited] = 2
    return looping

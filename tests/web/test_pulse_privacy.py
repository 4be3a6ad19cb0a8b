"""Pulse privacy: no view or export of a unit's results ever moves by one person's answer.

Everything a coach, a leader or a file could compare — the results page, the data behind
it, the panorama, the cascade/v1 export and the engine's findings — is read after each
answer; it may change only once at least the threshold (3) of the unit's answers have been
given or changed since it last changed, or when the pulse closes.
"""

from __future__ import annotations

import random
import re

from cascade import interchange
from cascade.clock import today
from cascade.db import db
from cascade.findings.analysis import analysis_of
from cascade.pulses.results import load_results
from tests.factories import make_person
from tests.web.test_pulses import _answer, _open_pulse, _vision

THRESHOLD = 3


def _people(org, unit_key, count, prefix):
    people = [make_person(f"{prefix}{i}@acme.test", f"{prefix.upper()} {i}",
                          [(org.units[unit_key], "member")]) for i in range(count)]
    db.session.commit()
    return people


def _seen(client, login, org, pulse) -> tuple:
    """What anyone could compare between two visits, minus the count of waiting answers."""
    db.session.expire_all()
    results = load_results(pulse, THRESHOLD)
    data = [(item.overall.counts, tuple((u.key, d.counts if d else None) for u, d in item.rows),
             item.split, tuple(item.comments), item.hidden_answers)
            for _, items in results.groups for item in items]
    login(org.people["coach"])
    page = client.get(f"/w/acme/pulses/{pulse.key}").get_data(as_text=True)
    tables = re.findall(r'<table class="results.*?</table>|<ul class="comments">.*?</ul>', page,
                        re.S)
    exported = [s["answers"] for p in interchange.dump(org.workspace)["pulses"]
                for s in p["statements"]]
    findings = sorted((f.code, f.message, f.units) for f in
                      analysis_of(org.workspace, today()).findings
                      if f.code in ("DIVERGENT_VIEWS", "LOW_UNDERSTANDING"))
    return data, tables, exported, findings


def test_results_move_only_in_batches_of_the_threshold(client, login, org):
    vision, _ = _vision(org)
    pulse = _open_pulse(org, vision, [org.units["checkout"]])
    team = _people(org, "checkout", 7, "t")
    states = [_seen(client, login, org, pulse)]
    for person, value in zip(team, [1, 5, 2, 4, 4, 1, 5], strict=True):
        assert _answer(client, login, person, pulse, [value], f"c{value}").status_code == 302
        states.append(_seen(client, login, org, pulse))
    # After 1, 2 answers: nothing; 3: the first three; 4, 5: still those; 6: all six; 7: same.
    changes = [i for i in range(1, len(states)) if states[i] != states[i - 1]]
    assert changes == [3, 6]
    assert states[3][0][0][0] == (1, 1, 0, 0, 1) and states[6][0][0][0] == (2, 1, 0, 2, 1)
    assert sorted(a["value"] for a in states[6][2][0]) == [1, 1, 2, 4, 4, 5]

    # The seventh answer waits; one person changes their mind (twice: still one person),
    # another gives the same answer again (no change): nothing moves until a third.
    _answer(client, login, team[0], pulse, [3], "c1")
    assert _seen(client, login, org, pulse) == states[-1]
    _answer(client, login, team[0], pulse, [4], "c1")
    assert _seen(client, login, org, pulse) == states[-1]
    _answer(client, login, team[1], pulse, [5], "c5")
    assert _seen(client, login, org, pulse) == states[-1]
    _answer(client, login, team[2], pulse, [3], "c2")
    moved = _seen(client, login, org, pulse)
    assert moved != states[-1] and moved[0][0][0] == (1, 0, 1, 3, 2)  # all seven
    _answer(client, login, team[3], pulse, [1], "c4")
    assert _seen(client, login, org, pulse) == moved

    login(org.people["coach"])
    assert client.post(f"/w/acme/pulses/{pulse.key}/close").status_code == 302
    final = _seen(client, login, org, pulse)
    assert final[0][0][0] == (2, 0, 1, 2, 2)
    assert sorted(a["value"] for a in final[2][0]) == [1, 1, 3, 4, 4, 5, 5]


def test_a_small_unit_is_never_visible_anywhere(client, login, org):
    vision, _ = _vision(org)
    pulse = _open_pulse(org, vision, [org.units["checkout"], org.units["search"]])
    checkout = _people(org, "checkout", 3, "c")
    search = _people(org, "search", 2, "s")
    for person, value in zip(checkout, [4, 4, 5], strict=True):
        _answer(client, login, person, pulse, [value])
    before = _seen(client, login, org, pulse)
    for person in search:  # two 1s would make the pooled views divergent
        _answer(client, login, person, pulse, [1])
    login(org.people["coach"])
    client.post(f"/w/acme/pulses/{pulse.key}/close")
    after = _seen(client, login, org, pulse)
    assert after[0][0][0] == before[0][0][0] == (0, 0, 0, 2, 1)
    assert {a["unit"] for a in after[2][0]} == {"checkout"}
    assert after[3] == before[3] == []


def test_no_sequence_of_answers_shows_fewer_than_the_threshold_at_once(client, login, org):
    """A seeded walk of answers and changes of mind by people of two units: every time
    anything visible changes, at least the threshold of one unit's people have answered or
    changed their answer since the last change."""
    vision, _ = _vision(org)
    pulse = _open_pulse(org, vision, [org.units["checkout"], org.units["search"]])
    people = [(p, "checkout") for p in _people(org, "checkout", 5, "c")] + \
             [(p, "search") for p in _people(org, "search", 4, "s")]
    rng = random.Random(18)
    given: dict[int, int] = {}
    moved: dict[str, set[int]] = {"checkout": set(), "search": set()}
    last = _seen(client, login, org, pulse)
    for _ in range(24):
        person, unit = rng.choice(people)
        value = rng.randint(1, 5)
        _answer(client, login, person, pulse, [value])
        if given.get(person.id) != value:
            moved[unit].add(person.id)
        given[person.id] = value
        now = _seen(client, login, org, pulse)
        if now != last:
            assert max(len(m) for m in moved.values()) >= THRESHOLD
            for who in moved.values():
                if len(who) >= THRESHOLD:
                    who.clear()
        last = now

"""Properties of the cascade/v1 import and export, on generated documents and a real database."""

from __future__ import annotations

import copy

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade import interchange
from cascade.db import db
from cascade.models import Person, Workspace
from tests.documents import documents
from tests.profiles import examples

PROPERTY = settings(max_examples=examples(25), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _reset() -> None:
    """Each generated example starts from an empty database, as the `app` fixture does."""
    db.session.rollback()
    db.session.execute(sa.delete(Workspace))
    db.session.execute(sa.delete(Person))
    db.session.commit()


def _import(doc: dict, replace: bool = False) -> dict:
    ws = interchange.load(doc, replace=replace)
    db.session.commit()
    return interchange.dump(ws)


@PROPERTY
@given(doc=documents())
def test_a_valid_document_imports_and_round_trips(app, doc):
    _reset()
    assert interchange.problems(doc) == []
    exported = _import(copy.deepcopy(doc))
    assert [n["key"] for n in exported["nodes"]] == [n["key"] for n in doc["nodes"]]
    assert [n["parent"] for n in exported["nodes"]] == [n.get("parent") for n in doc["nodes"]]
    assert len(exported["notes"]) == len(doc["notes"])
    assert interchange.problems(exported) == []
    again = _import(copy.deepcopy(exported), replace=True)
    assert again == exported


def _unknown_parent(draw, doc):
    i = draw(st.integers(0, len(doc["nodes"]) - 1))
    doc["nodes"][i]["parent"] = "no-such-node"
    return f"$.nodes[{i}].parent"


def _unknown_unit_parent(draw, doc):
    i = draw(st.integers(0, len(doc["units"]) - 1))
    doc["units"][i]["parent"] = "no-such-unit"
    return f"$.units[{i}].parent"


def _duplicate_key(draw, doc):
    i = draw(st.integers(0, len(doc["nodes"]) - 1))
    doc["nodes"].append(dict(doc["nodes"][i], parent=None))
    return f"$.nodes[{len(doc['nodes']) - 1}].key"


def _parent_cycle(draw, doc):
    """Point a node's parent at itself or at one of its own descendants."""
    j = draw(st.integers(0, len(doc["nodes"]) - 1))
    chain = [j]  # j and its ancestors: parents always come earlier in a generated file
    while doc["nodes"][chain[-1]].get("parent") is not None:
        chain.append(int(doc["nodes"][chain[-1]]["parent"][1:]))
    i = draw(st.sampled_from(chain))
    doc["nodes"][i]["parent"] = doc["nodes"][j]["key"]
    return f"$.nodes[{i}].parent"


def _unknown_unit(draw, doc):
    i = draw(st.integers(0, len(doc["nodes"]) - 1))
    doc["nodes"][i]["unit"] = "no-such-unit"
    return f"$.nodes[{i}].unit"


def _bad_enum(draw, doc):
    i = draw(st.integers(0, len(doc["nodes"]) - 1))
    doc["nodes"][i]["status"] = draw(st.sampled_from(["finished", "Agreed", ""]))
    return f"$.nodes[{i}].status"


def _wrong_type(draw, doc):
    i = draw(st.integers(0, len(doc["nodes"]) - 1))
    name, value = draw(st.sampled_from([("revision", "2"), ("revision", 1.5), ("title", 7),
                                        ("depends_on", "n0"), ("revision", True)]))
    doc["nodes"][i][name] = value
    return f"$.nodes[{i}].{name}"


def _nul_character(draw, doc):
    i = draw(st.integers(0, len(doc["nodes"]) - 1))
    # PostgreSQL cannot store NUL, UTF-8 no lone surrogate, XML no other control: refuse
    doc["nodes"][i]["title"] += draw(st.sampled_from(["\x00", "\x01", "\ud800", "\uffff"]))
    return f"$.nodes[{i}].title"


MUTATIONS = [_unknown_parent, _unknown_unit_parent, _duplicate_key, _parent_cycle,
             _unknown_unit, _bad_enum, _wrong_type, _nul_character]


@PROPERTY
@given(data=st.data(), doc=documents(min_nodes=1), mutate=st.sampled_from(MUTATIONS))
def test_a_broken_document_is_refused_at_the_right_path_and_changes_nothing(
        app, data, doc, mutate):
    _reset()
    before = _import(copy.deepcopy(doc))
    broken = copy.deepcopy(doc)
    path = mutate(data.draw, broken)
    with pytest.raises(interchange.InvalidFile) as refused:
        interchange.load(broken, replace=True)
    assert path in [where for where, _ in refused.value.problems], refused.value.problems
    db.session.rollback()
    ws = db.session.scalar(sa.select(Workspace).where(Workspace.slug == doc["workspace"]["slug"]))
    assert interchange.dump(ws) == before

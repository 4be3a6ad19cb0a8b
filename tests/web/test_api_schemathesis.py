"""Schemathesis drives every operation of the served OpenAPI document with generated
requests, on SQLite and PostgreSQL: no answer may be a 5xx, and every answer must match the
document (status codes, content types, headers and bodies). Bounded: CASCADE_API_EXAMPLES
examples per operation (10 locally, 60 when CI=true)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks

from cascade import keys
from cascade.db import db
from cascade.models import Link
from cascade.vocabulary import TOKEN_SCOPES
from tests.factories import (
    make_answers,
    make_measure,
    make_node,
    make_note,
    make_person,
    make_pulse,
    make_token,
)

EXAMPLES = int(os.environ.get("CASCADE_API_EXAMPLES") or (60 if os.environ.get("CI") else 10))
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance,
          checks.response_headers_conformance]
# Not negative_data_rejection: it counts a query string as invalid when the generated extra
# parameter cannot be sent (an empty name), and the token as missing when we add it, so it
# fails on requests that were valid as sent. Invalid input is still sent (the negative
# mode), and must still never give a 5xx nor an answer the document does not describe.


@pytest.fixture
def api_world(org):
    """Something of everything, and a token that may do all: Kim leads, coaches and
    administers the root unit."""
    ws, units, people = org.workspace, org.units, org.people
    vision = make_node(ws, units["acme"], "vision", "Vision")
    goal = make_node(ws, units["checkout"], "goal", "Goal", parent=vision)
    db.session.add(Link(workspace_id=ws.id, source=goal, target=vision, kind="depends_on"))
    note = make_note(goal, author=people["member"], unit=units["checkout"])
    pulse = make_pulse(ws, [units["checkout"]], node=vision, status="closed")
    make_answers(pulse.statements[0], units["checkout"], [1, 3, 5])
    measure = make_measure(goal)
    kim = make_person("kim@acme.test", "Kim", [(units["acme"], r) for r in
                                               ("leader", "coach", "admin")])
    _, secret = make_token(ws, kim, TOKEN_SCOPES)
    db.session.commit()
    return {"secret": secret, "keys": ["vision", "goal", "p1"], "unit": "checkout",
            "note": note.id, "measure": measure.id}


def _aim(case, world) -> None:
    """Point most cases at this workspace and at things in it, so that they reach the views
    rather than stopping at 404; the rest stay as generated. Only values that are valid
    already are replaced (by other valid ones), so a negative case stays negative."""
    params = case.path_parameters or {}

    def valid(name: str, pattern) -> bool:
        return isinstance(params.get(name), str) and pattern.fullmatch(params[name]) is not None

    if valid("workspace", keys.SLUG) and hash(str(params)) % 4:
        params["workspace"] = "acme"
    if valid("key", keys.KEY) and hash(params["key"]) % 2:
        params["key"] = world["keys"][hash(params["key"]) % 3]
    if valid("unit", keys.KEY) and hash(params["unit"]) % 2:
        params["unit"] = world["unit"]
    for name, value in (("note_id", world["note"]), ("measure_id", world["measure"])):
        given = params.get(name)
        if isinstance(given, int) and not isinstance(given, bool) and \
                0 <= given <= 2**31 - 1 and given % 2:
            params[name] = value


@pytest.mark.parametrize("mode", list(GenerationMode))
def test_every_operation_answers_as_documented(app, api_world, mode):
    app.config["RATELIMIT_ENABLED"] = False
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {api_world['secret']}",
               "Accept-Encoding": "identity"}  # the WSGI transport does not unpack gzip
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            _aim(case, api_world)
            with app.app_context():
                case.call_and_validate(headers=headers, checks=CHECKS)
        try:
            run()
        except Unsatisfiable:
            assert mode == GenerationMode.NEGATIVE  # nothing to get wrong: no parameters
        except Exception as error:  # noqa: BLE001 - gather every operation's failure
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)

"""One declaration per endpoint, from which both the checks and the OpenAPI 3.1 document come.

`operation(...)` registers a view on the API blueprint with what it needs: the token scope,
the policy action (checked with `Actor.can`, the rule the web pages use), the loader of the
object its URL names (`cascade/views/load.py`), and pydantic models for its query string, body
and answer. The wrapper authenticates, checks, validates and serialises; `document()` walks
the same declarations to write the OpenAPI document, so the contract cannot drift from the
code. Pydantic's JSON Schema is draft 2020-12, which is the dialect of OpenAPI 3.1.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from flask import Blueprint, Flask, g, jsonify, request
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from cascade import keys
from cascade.api.auth import authenticate
from cascade.api.problems import PROBLEM_TYPE, ApiProblem, validation_problem
from cascade.db import db
from cascade.refusals import Conflict, Refusal

VERSION = "1.0.0"
MAX_ID = 2**31 - 1


@dataclass
class Operation:
    method: str
    summary: str
    scope: str | None  # None: a public document, no token needed
    action: str | None
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    conditional: bool = False  # PATCH: If-Match on the resource's version is required
    tags: tuple[str, ...] = ()
    description: str = ""
    extra_responses: dict[int, str] = field(default_factory=dict)
    parse_body: bool = True  # False: the view reads the raw body (a workspace file)


def etag(version: int) -> str:
    return f'"{version}"'


def _matches(header: str, version: int) -> bool:
    wanted = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in wanted or etag(version) in wanted


def _check_precondition(thing) -> None:
    header = request.headers.get("If-Match")
    if not header:
        raise ApiProblem(428, "Send If-Match with the version you read (its ETag), so that "
                              "a change made meanwhile is not overwritten.")
    if not _matches(header, thing.version):
        raise ApiProblem(412, "It changed since you read it: read it again, then retry.",
                         version=thing.version)


def _read(model: type[BaseModel] | None, where: str):
    if model is None:
        return None
    if where == "query":
        data = request.args.to_dict(flat=True)
    else:
        try:
            data = request.get_json(silent=True) if request.is_json else None
        except RecursionError:
            data = None  # nested deeper than Python's parser goes
        if not isinstance(data, dict):
            raise ApiProblem(400, "Send a JSON object with Content-Type: application/json.")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise validation_problem(error, where) from None


def _answer(result, op: Operation):
    """A model (or list page) as JSON with the declared status, and its ETag when versioned."""
    if not isinstance(result, BaseModel):
        return result
    response = jsonify(result.model_dump(mode="json"))
    response.status_code = op.status
    version = getattr(result, "version", None)
    if isinstance(version, int):
        response.headers["ETag"] = etag(version)
    if isinstance(following := getattr(result, "next", None), str):
        response.headers["Link"] = f'<{following}>; rel="next"'
    return response


def refused(refusal: Refusal) -> ApiProblem:
    """A domain operation's "no", at the path of the field it is about (422)."""
    return ApiProblem(422, refusal.message, errors=[
        {"path": f"$.{refusal.field}", "in": "body", "message": refusal.message}])


def allow(action: str, thing=None) -> None:
    """Inside a view, for a rule that depends on what was sent: 403 unless the policy allows
    `action` on `thing` (the web's `access.allow`)."""
    if not g.actor.can(action, thing):
        raise ApiProblem(403, "Your roles in this workspace do not allow this.")


def operation(bp: Blueprint, rule: str, method: str, *, summary: str, scope: str | None,
              action: str | None, load: Callable | None = None, **options):
    """Register an API view. The view receives the loaded object (with `load`), then the
    validated `query` and `body` models as keywords when declared."""
    op = Operation(method=method, summary=summary, scope=scope, action=action, **options)

    def decorate(view):
        @wraps(view)
        def wrapped(**values):
            args = []
            try:
                if scope is not None:
                    authenticate(scope)
                if any(isinstance(v, int) and v > MAX_ID for v in values.values()):
                    raise ApiProblem(404, "Nothing with that id in this workspace.")
                if load is not None:
                    thing = load(**values)
                    if thing is None:
                        raise ApiProblem(404, "Nothing with that key or id in this workspace.")
                    args.append(thing)
                    values = {}
                if action is not None and not g.actor.can(action, args[0] if args else None):
                    raise ApiProblem(403, "Your roles in this workspace do not allow this.")
                if op.conditional:
                    _check_precondition(args[0])
                kwargs = {name: _read(getattr(op, name), name) for name in ("query", "body")
                          if getattr(op, name) is not None
                          and (name == "query" or op.parse_body)}
                return _answer(view(*args, **values, **kwargs), op)
            except ApiProblem as raised:
                db.session.rollback()
                return raised.response()
            except Refusal as refusal:
                db.session.rollback()
                return refused(refusal).response()
            except Conflict:
                db.session.rollback()
                current = args[0] if args else None
                return ApiProblem(412, "It changed since you read it: read it again, then "
                                       "retry.", version=getattr(current, "version", None)
                                  ).response()
        wrapped.access = action or "public"
        wrapped.api_operation = op
        bp.add_url_rule(rule, view.__name__, wrapped, methods=[method])
        return wrapped
    return decorate


# ---- the OpenAPI document -------------------------------------------------------------

PROBLEM_RESPONSES = {
    400: "The query string or body is not what this operation reads.",
    401: "No token, or one that is unknown, revoked or expired.",
    403: "The token lacks the scope, or its owner's roles do not allow this.",
    404: "No such workspace for this token, or nothing with that key in it.",
    409: "Someone else changed it at the same moment; nothing was saved.",
    429: "Too many requests with this token; see Retry-After.",
}
_PATH_VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _path_parameter(converter: str | None, name: str) -> dict:
    if converter == "int":
        schema = {"type": "integer", "minimum": 0, "maximum": MAX_ID}
    elif name == "workspace":
        schema = {"type": "string", "pattern": f"^{keys.SLUG.pattern}$"}
    elif name == "fingerprint":
        schema = {"type": "string", "pattern": "^[0-9a-f]{1,64}$"}
    else:
        schema = {"type": "string", "pattern": f"^{keys.KEY.pattern}$"}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _problem_ref(description: str) -> dict:
    return {"description": description,
            "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _query_parameters(model: type[BaseModel], schemas: dict) -> list[dict]:
    schema = schemas[model.__name__]
    required = set(schema.get("required", ()))
    return [{"name": name, "in": "query", "required": name in required,
             "schema": _not_null(prop),
             **({"description": prop["description"]} if "description" in prop else {})}
            for name, prop in schema.get("properties", {}).items()]


def _not_null(prop: dict) -> dict:
    """A query parameter is absent rather than null: drop pydantic's `null` branch."""
    prop = {k: v for k, v in prop.items() if k not in ("title", "default", "description")}
    branches = [b for b in prop.pop("anyOf", ()) if b != {"type": "null"}]
    if len(branches) == 1:
        prop |= branches[0]
    elif branches:
        prop["anyOf"] = branches
    return prop


def _operation_object(op: Operation, endpoint: str, path_params: list[dict],
                      schemas: dict) -> dict:
    ok: dict = {"description": op.summary}
    if op.response is not None:
        ok["content"] = {"application/json": {"schema": {
            "$ref": f"#/components/schemas/{op.response.__name__}"}}}
    responses = {str(op.status): ok}
    if op.scope is not None:
        codes = dict(PROBLEM_RESPONSES)
        if op.conditional:
            codes[412] = "If-Match names another version; the body gives the current one."
            codes[428] = "If-Match is missing."
        if op.body is not None or op.method != "GET":
            codes[422] = "Not accepted: `errors` lists each problem at its JSON path."
        codes |= op.extra_responses
        responses |= {str(code): _problem_ref(text) for code, text in sorted(codes.items())}
    spec = {"operationId": endpoint.removeprefix("api."), "summary": op.summary,
            "tags": list(op.tags), "responses": responses}
    if op.description:
        spec["description"] = op.description
    parameters = list(path_params)
    if op.query is not None:
        parameters += _query_parameters(op.query, schemas)
    if op.conditional:
        parameters.append({"name": "If-Match", "in": "header", "required": True,
                           "description": "The ETag of the version you read.",
                           "schema": {"type": "string"}})
    if parameters:
        spec["parameters"] = parameters
    if op.body is not None:
        spec["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{op.body.__name__}"}}}}
    if op.scope is not None:
        spec["security"] = [{"bearer": [op.scope]}]
    else:
        spec["security"] = []
    return spec


def document(app: Flask) -> dict:
    """The OpenAPI 3.1 document of every API route the app serves, in a stable order."""
    from cascade.api.schemas import Problem

    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        op = getattr(app.view_functions.get(rule.endpoint), "api_operation", None)
        if op is not None:
            found.append((rule, op))
    models = {Problem} | {m for _, op in found for m in (op.query, op.body, op.response) if m}
    _, defs = models_json_schema([(m, "validation") for m in sorted(models, key=_name)],
                                 ref_template="#/components/schemas/{model}")
    schemas = defs.get("$defs", {})
    paths: dict = {}
    for rule, op in found:
        variables = _PATH_VARIABLE.findall(rule.rule)
        path = _PATH_VARIABLE.sub(lambda m: "{" + m.group(2) + "}", rule.rule)
        params = [_path_parameter(conv, name) for conv, name in variables]
        paths.setdefault(path, {})[op.method.lower()] = _operation_object(
            op, rule.endpoint, params, schemas)
    for _, op in found:
        if op.query is not None:
            schemas.pop(op.query.__name__, None)  # written out as parameters instead
    return {
        "openapi": "3.1.0",
        "info": {"title": "Cascade API", "version": VERSION,
                 "description": "Read and write a workspace's strategy, notes and findings "
                                "with a personal token. See docs/api.md for the rules."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {
            "type": "http", "scheme": "bearer",
            "description": "A personal token from the workspace's API tokens page."}}},
    }


def _name(model: type[BaseModel]) -> str:
    return model.__name__

"""Errors as `application/problem+json` (RFC 9457): a title, the status, a detail for people,
and for validation problems an `errors` list with JSON paths in the import validator's style
(`$.title`, `$.scopes[1]`), so a client learns every mistake at once."""

from __future__ import annotations

from flask import jsonify, request
from pydantic import ValidationError

PROBLEM_TYPE = "application/problem+json"

TITLES = {400: "Bad request", 401: "Not signed in", 403: "Not allowed", 404: "Not found",
          405: "Method not allowed", 409: "Changed meanwhile", 412: "Precondition failed",
          413: "Too large", 415: "Unsupported media type", 422: "Not accepted",
          428: "Precondition required", 429: "Too many requests", 500: "Server error",
          503: "Database unavailable"}


class ApiProblem(Exception):
    """Raised inside an API view to answer with a problem document."""

    def __init__(self, status: int, detail: str = "", *, errors: list[dict] | None = None,
                 headers: dict | None = None, **extra):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors
        self.headers, self.extra = headers or {}, extra

    def response(self):
        return problem(self.status, self.detail, errors=self.errors, headers=self.headers,
                       **self.extra)


def problem(status: int, detail: str = "", *, title: str | None = None,
            errors: list[dict] | None = None, headers: dict | None = None, **extra):
    """A problem+json response; `type` stays `about:blank`, so `title` is the status's own."""
    body = {"type": "about:blank", "title": title or TITLES.get(status, "Error"),
            "status": status, "detail": detail, "instance": request.path}
    if errors is not None:
        body["errors"] = errors
    body |= extra
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_TYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def json_path(location: tuple) -> str:
    """`("nodes", 3, "title")` as `$.nodes[3].title`, the path style of import problems.

    >>> json_path(("scopes", 1)), json_path(())
    ('$.scopes[1]', '$')
    """
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}"
                         for part in location)


def validation_problem(error: ValidationError, where: str) -> ApiProblem:
    """Every problem pydantic found, each at its JSON path, in the body or the query."""
    errors = [{"path": json_path(tuple(e["loc"])), "in": where,
               "message": e["msg"].removeprefix("Value error, ")} for e in error.errors()]
    status = 422 if where == "body" else 400
    noun = "body" if where == "body" else "query string"
    return ApiProblem(status, f"The request's {noun} has {len(errors)} "
                              f"problem{'s' if len(errors) != 1 else ''}.", errors=errors)

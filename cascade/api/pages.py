"""Cursor pagination for every list: `limit` ≤ 100, an opaque cursor after the last id seen,
`updated_since` for incremental sync, and a `next` link (also sent as a Link header).

A page is one query ordered by id with `id > cursor` and `LIMIT limit + 1`: the extra row
says whether there is a next page, and the cost stays the same on page 1 or page 400."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import request, url_for
from pydantic import Field, field_validator

from cascade.api.problems import ApiProblem
from cascade.api.schemas import Query


class ListQuery(Query):
    limit: int = Field(50, ge=1, le=100, description="Items per page, 1 to 100.")
    cursor: str | None = Field(None, max_length=40, pattern="^[A-Za-z0-9_-]*$",
                               description="From the `next` link of the previous page.")
    updated_since: datetime | None = Field(
        None, description="Only items changed (or, if never edited, created) at or after "
                          "this time; without a zone it is read as UTC.")

    @field_validator("updated_since")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def after(self) -> int:
        """The id the cursor names (0 before the first page)."""
        if not self.cursor:
            return 0
        try:
            text = base64.urlsafe_b64decode(self.cursor + "=" * (-len(self.cursor) % 4))
            value = int(text.decode("ascii"))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            value = -1
        if value < 0 or value > 2**63:
            raise ApiProblem(400, "This cursor was not made by this API; start from the "
                                  "first page.",
                             errors=[{"path": "$.cursor", "in": "query",
                                      "message": "not a cursor of this list"}])
        return value


def cursor_for(last_id: int) -> str:
    return base64.urlsafe_b64encode(str(last_id).encode()).decode().rstrip("=")


def page(statement: sa.Select, id_column, query: ListQuery, changed_column=None):
    """Run one page of `statement` (whose first column is the listed entity); returns the
    rows and the URL of the next page or None."""
    statement = statement.where(id_column > query.after())
    if query.updated_since is not None and changed_column is not None:
        statement = statement.where(changed_column >= query.updated_since)
    from cascade.db import db

    rows = db.session.execute(statement.order_by(id_column).limit(query.limit + 1)).all()
    if len(rows) <= query.limit:
        return rows, None
    rows = rows[:query.limit]
    last_id = rows[-1][0].id
    args = {k: v for k, v in request.args.items() if k != "cursor"}
    return rows, url_for(request.endpoint, **(request.view_args or {}), **args,
                         cursor=cursor_for(last_id), _external=True)


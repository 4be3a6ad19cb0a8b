"""The API's request and response shapes, as pydantic models: the endpoints validate with
them and `spec.document()` writes the OpenAPI document from them. Names are the schema
names clients see; `…Create` and `…Patch` are bodies, the plain noun is what is returned."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from cascade import keys
from cascade.inputs import UNSTORABLE_MESSAGE, unstorable
from cascade.vocabulary import TokenScope


def _storable(text: str) -> str:
    if unstorable(text):
        raise ValueError(f"The text {UNSTORABLE_MESSAGE}.")
    return text


def text(max_length: int, min_length: int = 0):
    """A string Cascade can store everywhere (`cascade.inputs`), within these lengths."""
    return Annotated[str, StringConstraints(max_length=max_length, min_length=min_length),
                     AfterValidator(_storable)]


Key = Annotated[str, StringConstraints(pattern=f"^{keys.KEY.pattern}$")]


class Body(BaseModel):
    """A request body: unknown fields are refused, so a misspelt one is not silently lost."""

    model_config = ConfigDict(extra="forbid")


class Query(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProblemDetail(Out):
    path: str = Field(description="Where, as a JSON path: `$.title`, `$.scopes[1]`.")
    message: str
    in_: str = Field(alias="in", description="`body` or `query`.")


class Problem(BaseModel):
    """RFC 9457 problem details; `errors` lists validation problems one by one."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    errors: list[ProblemDetail] | None = None
    version: int | None = Field(None, description="With 412: the current version.")


class Workspace(Out):
    slug: str
    name: str
    created_at: datetime
    version: int
    pulse_min_answers: int = Field(description="Answers a unit needs before its pulse "
                                               "results are shown.")
    feedback_days: int


class Token(Out):
    """The token that made the request: what it may be used for, and until when."""

    name: str
    prefix: str
    scopes: list[TokenScope]
    created_at: datetime
    expires_at: datetime | None
    owner: str = Field(description="The owner's name; the token acts with their roles.")
    roles: list[str]

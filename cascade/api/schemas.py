"""The API's request and response shapes, as pydantic models: the endpoints validate with
them and `spec.document()` writes the OpenAPI document from them. Names are the schema
names clients see; `…Create` and `…Patch` are bodies, the plain noun is what is returned."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from cascade import keys
from cascade.inputs import UNSTORABLE_MESSAGE, unstorable
from cascade.interchange.progress import LARGEST
from cascade.vocabulary import (
    Direction,
    LinkKind,
    NodeStatus,
    NoteKind,
    NoteStatus,
    Stance,
    TokenScope,
)


def _storable(text: str) -> str:
    if unstorable(text):
        raise ValueError(f"The text {UNSTORABLE_MESSAGE}.")
    return text


def text(max_length: int, min_length: int = 0):
    """A string Cascade can store everywhere (`cascade.inputs`), within these lengths."""
    return Annotated[str, StringConstraints(max_length=max_length, min_length=min_length,
                                            strip_whitespace=min_length > 0),
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


def page_of(item: type[BaseModel]) -> type[BaseModel]:
    """`{"items": [...], "next": url | null}`: the envelope of every list."""
    from pydantic import create_model

    return create_model(f"{item.__name__}Page", __base__=Out, items=(list[item], ...),
                        next=(str | None, Field(None, description="The next page, or null.")))


class Unit(Out):
    key: str
    name: str
    parent: str | None = Field(description="The parent unit's key.")
    archived: bool
    created_at: datetime
    version: int


class Role(Out):
    unit: str
    role: str


class Person(Out):
    id: int
    name: str
    email: str | None = Field(None, description="Only for admins' tokens with the admin scope.")
    roles: list[Role]


class Membership(Out):
    id: int
    person: int = Field(description="The person's id.")
    person_name: str
    unit: str
    role: str
    created_at: datetime


class LinkOut(Out):
    kind: str
    target: str = Field(description="The key of the node linked to.")


class Revision(Out):
    revision: int
    title: str
    statement: str
    author: str | None
    created_at: datetime


class Node(Out):
    key: str
    title: str
    statement: str
    unit: str
    parent: str | None
    status: str
    horizon: str | None
    revision: int
    parent_revision_seen: int | None
    agreed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    links: list[LinkOut]
    revisions: list[Revision] | None = Field(
        None, description="Every revision, oldest first (on a single node only).")


class ReplyOut(Out):
    id: int
    author: str | None
    body: str
    created_at: datetime


class Note(Out):
    id: int
    node: str
    kind: str
    stance: str
    body: str
    hypothesis: str | None
    measure: str | None
    learned: str | None
    status: str
    author: str = Field(description="As pages show it: the name, or who wrote it.")
    unit: str | None
    response: str | None
    responded_by: str | None
    responded_at: datetime | None
    incorporated_revision: int | None
    created_at: datetime
    updated_at: datetime
    version: int
    replies: list[ReplyOut]


class Counts(Out):
    """Answers per value 1 to 5, with the median: the range, never only a mean."""

    counts: list[int] = Field(min_length=5, max_length=5)
    n: int
    median: float | None


class UnitResult(Out):
    unit: str
    shown: bool = Field(description="False below the workspace's minimum answers.")
    distribution: Counts | None


class StatementOut(Out):
    id: int
    text: str
    node: str | None


class StatementResultOut(Out):
    statement: int
    units: list[UnitResult]
    overall: Counts = Field(description="Pooled from the units shown only.")
    hidden_answers: int
    comments: list[str]


class Pulse(Out):
    key: str
    title: str
    node: str | None
    status: str
    state: str = Field(description="As the pulse page says: draft, scheduled, open or closed.")
    opens_on: str | None
    closes_on: str | None
    units: list[str]
    statements: list[StatementOut]
    min_answers: int | None = None
    results: list[StatementResultOut] | None = Field(
        None, description="On a single pulse only: what its results page shows.")


class FindingOut(Out):
    fingerprint: str
    code: str
    severity: str
    nodes: list[str]
    units: list[str]
    message: str
    suggestion: str
    acknowledged: bool


class Findings(Out):
    workspace: str
    as_of: str
    score: int
    scope_score: float = Field(description="The score of the filtered subtree, to one decimal.")
    findings: list[FindingOut]


class ScorePoint(Out):
    as_of: str
    score: int
    counts: dict[str, int]
    taken_at: datetime


class ScoreHistory(Out):
    items: list[ScorePoint]


class AuditOut(Out):
    id: int
    created_at: datetime
    person: str | None
    action: str
    target_type: str
    target: str
    before: dict | None
    after: dict | None


# ---- bodies ---------------------------------------------------------------------------

class NodeCreate(Body):
    title: text(200, 1)
    unit: Key = Field(description="The unit that owns it (its key); you must lead it.")
    statement: text(20_000) = ""
    parent: Key | None = Field(None, description="The parent node's key.")
    horizon: text(40) | None = None
    key: Key | None = Field(None, description="A key of your own; made from the title if "
                                              "not given. It never changes.")


class NodePatch(Body):
    title: text(200, 1) | None = None
    statement: text(20_000) | None = None
    horizon: text(40) | None = None
    confirm_parent: bool = Field(False, description="The translation still holds against "
                                                    "its parent as it stands now.")


class StatusChange(Body):
    status: NodeStatus
    confirm: bool = Field(False, description="Retire even though live nodes build on it.")


class TranslationCreate(Body):
    title: text(200, 1)
    unit: Key = Field(description="One of your units below the parent's unit.")


class LinkCreate(Body):
    kind: LinkKind
    target: Key


class NoteCreate(Body):
    kind: NoteKind
    stance: Stance
    body: text(10_000, 1)
    hypothesis: text(5_000) = ""
    measure: text(5_000) = ""
    unit: Key | None = Field(None, description="The unit you speak for (one of yours); may "
                                               "be left out when you belong to one only.")


class NotePatch(Body):
    body: text(10_000, 1)
    hypothesis: text(5_000) = ""
    measure: text(5_000) = ""


class NoteAnswer(Body):
    status: NoteStatus
    response: text(5_000) = ""
    revision: int | None = Field(None, ge=1, le=2**31 - 1,
                                 description="The node revision that took the note in.")


class ReplyCreate(Body):
    body: text(5_000, 1)


class AcknowledgementCreate(Body):
    comment: text(2_000, 1)


class Acknowledgement(Out):
    fingerprint: str
    code: str
    comment: str
    by: str | None
    created_at: datetime


class WorkspaceFile(BaseModel):
    """A `cascade/v1` document (see the product brief); the import validates it whole and
    answers every problem with its JSON path."""

    model_config = ConfigDict(extra="allow")
    format: str = "cascade/v1"


class Imported(Out):
    workspace: str
    name: str
    invited: list[str] = Field(description="People in the file who hold no role here yet: "
                                           "they were invited, not enrolled.")


# ---- measures and check-ins -------------------------------------------------------------

Number = Annotated[float, Field(allow_inf_nan=False, ge=-LARGEST, le=LARGEST)]


class CheckInOut(Out):
    id: int
    value: float
    confidence: int | None
    comment: str
    author: str | None
    unit: str | None
    created_at: datetime


class MeasureOut(Out):
    id: int
    key: str
    node: str
    name: str
    unit_of_measure: str
    direction: str
    baseline: float | None
    target: float | None
    band_low: float | None
    band_high: float | None
    start: str | None = Field(description="Empty: from the node's horizon.")
    due: str | None
    cadence_days: int
    status: str
    created_at: datetime
    version: int
    check_ins: list[CheckInOut] | None = Field(
        None, description="Oldest first (on a single measure only).")


class MeasureCreate(Body):
    name: text(200, 1)
    unit_of_measure: text(40) = ""
    direction: Direction = Direction.INCREASE
    baseline: Number | None = None
    target: Number | None = None
    band_low: Number | None = None
    band_high: Number | None = None
    start: date | None = None
    due: date | None = None
    cadence_days: int = Field(30, ge=1, le=3660)


class CheckInCreate(Body):
    value: Number
    confidence: int | None = Field(None, ge=0, le=10)
    comment: text(5_000) = ""

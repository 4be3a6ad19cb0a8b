"""The closed vocabularies of the product brief, stored by value and checked by the database."""

from enum import StrEnum


class Role(StrEnum):
    LEADER = "leader"
    MEMBER = "member"
    COACH = "coach"
    ADMIN = "admin"


class NodeStatus(StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    AGREED = "agreed"
    RETIRED = "retired"


class LinkKind(StrEnum):
    DEPENDS_ON = "depends_on"
    CONTRIBUTES_TO = "contributes_to"


class NoteKind(StrEnum):
    VALIDATION = "validation"
    FEASIBILITY = "feasibility"
    EXPERIMENT = "experiment"
    EMERGENCE = "emergence"
    EXECUTION = "execution"
    COHERENCE = "coherence"


class Stance(StrEnum):
    SUPPORT = "support"
    QUESTION = "question"
    CONCERN = "concern"
    BLOCKER = "blocker"


class NoteStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    INCORPORATED = "incorporated"
    DECLINED = "declined"


class PulseStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"

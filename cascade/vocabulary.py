"""The closed vocabularies of the product brief, stored by value and checked by the database.

Standard library only: the pure coherence engine reads them too, so a status or stance is
spelled once for models, forms, the importer and the rules.
"""

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


class Direction(StrEnum):
    """Which way a measure should move: up to its target, down to it, or stay in a band."""

    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"


class MeasureStatus(StrEnum):
    LIVE = "live"
    RETIRED = "retired"


class AgreementState(StrEnum):
    """Where a `depends_on` request stands with the unit asked to deliver."""

    REQUESTED = "requested"
    COMMITTED = "committed"
    COUNTERED = "countered"
    DECLINED = "declined"


class Severity(StrEnum):
    """How much a finding weighs; the engine lists findings in this order."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class TokenScope(StrEnum):
    """What an API token may be used for; the owner's roles still decide what it may do."""

    READ = "read"
    WRITE_NOTES = "write:notes"
    WRITE_STRATEGY = "write:strategy"
    WRITE_CHECKINS = "write:checkins"
    ADMIN = "admin"


def values(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """The stored values of a vocabulary, in the brief's order.

    >>> values(NodeStatus)
    ('draft', 'proposed', 'agreed', 'retired')
    """
    return tuple(member.value for member in vocabulary)


ROLES = values(Role)
NODE_STATUSES = values(NodeStatus)
LINK_KINDS = values(LinkKind)
NOTE_KINDS = values(NoteKind)
STANCES = values(Stance)
NOTE_STATUSES = values(NoteStatus)
PULSE_STATUSES = values(PulseStatus)
SEVERITIES = values(Severity)
TOKEN_SCOPES = values(TokenScope)
DIRECTIONS = values(Direction)
MEASURE_STATUSES = values(MeasureStatus)
AGREEMENT_STATES = values(AgreementState)
# A request still waiting for the other unit's word (or for the requester's, after a counter)
AWAITING = (AgreementState.REQUESTED, AgreementState.COUNTERED)

# A note still waiting for its owners' final word: open, or acknowledged but not yet
# incorporated or declined.
UNRESOLVED = (NoteStatus.OPEN, NoteStatus.ACKNOWLEDGED)


class EventKind(StrEnum):
    """What happened, as the outbox records it and people choose to hear about it."""

    NODE_CREATED = "node.created"
    NODE_REVISED = "node.revised"
    NODE_STATUS = "node.status"
    TRANSLATION_STALE = "translation.stale"
    NOTE_CREATED = "note.created"
    NOTE_ANSWERED = "note.answered"
    NOTE_REPLY = "note.reply"
    PULSE_OPENED = "pulse.opened"
    PULSE_CLOSED = "pulse.closed"
    FINDING_OPENED = "finding.opened"
    FINDING_RESOLVED = "finding.resolved"
    FINDING_ACKNOWLEDGED = "finding.acknowledged"
    SCORE_SNAPSHOT = "score.snapshot"
    DEPENDENCY_REQUESTED = "dependency.requested"
    DEPENDENCY_ANSWERED = "dependency.answered"
    CHECKIN_DUE = "checkin.due"  # a measure's next check-in is due (`notifications.checkins`)
    WEBHOOK_PAUSED = "webhook.paused"  # told to admins
    WEBHOOK_TEST = "webhook.test"  # sent to one endpoint only, on an admin's request


class Channel(StrEnum):
    """How a person hears of one kind of event."""

    INBOX = "inbox"  # shown in the web inbox only
    EMAIL = "email"  # e-mailed within minutes, batched
    DAILY = "daily"  # in the daily digest
    WEEKLY = "weekly"  # in the weekly digest
    OFF = "off"


EVENT_KINDS = values(EventKind)
CHANNELS = values(Channel)


class SessionTemplate(StrEnum):
    """What a facilitated session is for; each suggests what to show (`sessions.steps`)."""

    COHERENCE_REVIEW = "coherence_review"
    CATCHBALL = "catchball"
    PULSE_DEBRIEF = "pulse_debrief"


class SessionStatus(StrEnum):
    OPEN = "open"
    ENDED = "ended"

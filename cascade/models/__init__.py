"""Every mapped class, importable from one place."""

from cascade.models.analysis import StoredAnalysis, StoredNodeFindings
from cascade.models.audit import AuditEntry
from cascade.models.events import (
    Event,
    KnownFinding,
    Notification,
    NotificationPreference,
    OutgoingMail,
)
from cascade.models.feedback import Note, NoteEdit, Reply
from cascade.models.findings import Acknowledgement, ScoreRecord
from cascade.models.jobs import JobFailure
from cascade.models.measures import CheckIn, Measure
from cascade.models.pulses import Pulse, PulseAnswer, PulseStatement, pulse_unit
from cascade.models.review import Decline, InboxMark, TranslationReview
from cascade.models.sessions import FacilitatedSession, SessionDecision
from cascade.models.strategy import Link, Node, NodeRevision
from cascade.models.tokens import ApiToken
from cascade.models.webhooks import Webhook, WebhookDelivery
from cascade.models.workspace import (
    Invitation,
    Membership,
    PasswordReset,
    Person,
    Unit,
    Workspace,
)
from cascade.vocabulary import (
    LinkKind,
    NodeStatus,
    NoteKind,
    NoteStatus,
    PulseStatus,
    Role,
    SessionStatus,
    SessionTemplate,
    Stance,
    TokenScope,
)

__all__ = [
    "Acknowledgement", "ApiToken", "AuditEntry", "CheckIn", "Decline", "Event",
    "FacilitatedSession", "InboxMark",
    "Invitation", "JobFailure", "KnownFinding", "Link", "LinkKind", "Measure", "Membership", "Node",
    "TranslationReview",
    "NodeRevision", "NodeStatus", "Note", "NoteEdit", "NoteKind", "NoteStatus",
    "Notification", "NotificationPreference", "OutgoingMail", "PasswordReset",
    "Person",
    "Pulse", "PulseAnswer", "PulseStatement", "PulseStatus", "Reply", "Role", "ScoreRecord",
    "SessionDecision", "SessionStatus", "SessionTemplate", "Stance", "StoredAnalysis",
    "StoredNodeFindings", "TokenScope", "Unit", "Webhook", "WebhookDelivery", "Workspace",
    "pulse_unit",
]

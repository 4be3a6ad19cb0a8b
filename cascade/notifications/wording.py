"""What an event says in a mail, a digest or a chat message: one headline and one link
back, from the names the event kept. Never a note's body or a pulse's answers."""

from __future__ import annotations

from dataclasses import dataclass

from cascade.coherence.names import name
from cascade.models import Event
from cascade.notifications.links import external
from cascade.vocabulary import EventKind


@dataclass(frozen=True)
class Told:
    headline: str
    link: str
    unit: str  # the unit it is about, for grouping ("" when none)
    node: str  # the node's title, for grouping ("" when none)
    who: str


def _q(text) -> str:
    return f"“{text}”"


def headline(event: Event) -> str:
    s = event.subject or {}
    who = s.get("actor") or "Someone"
    title = _q(s.get("title", ""))
    match event.kind:
        case EventKind.NODE_CREATED:
            return f"{who} created {title} in {s.get('unit', 'a unit')}"
        case EventKind.NODE_REVISED:
            return f"{who} revised {title} (revision {s.get('revision')})"
        case EventKind.NODE_STATUS:
            return f"{title} is now {s.get('status')} (was {s.get('before')})"
        case EventKind.TRANSLATION_STALE:
            return (f"{_q(s.get('parent_title', ''))} changed: the translation {title} "
                    f"needs a look")
        case EventKind.NOTE_CREATED:
            return f"{who} left a {s.get('stance', 'note')} ({s.get('kind', 'note')}) on {title}"
        case EventKind.NOTE_ANSWERED:
            return f"{who} answered a {s.get('stance', 'note')} on {title}: {s.get('status')}"
        case EventKind.NOTE_REPLY:
            return f"{who} replied under a note on {title}"
        case EventKind.PULSE_OPENED:
            return f"A pulse is open: {_q(s.get('pulse_title', ''))} until {s.get('closes_on')}"
        case EventKind.PULSE_CLOSED:
            return f"The pulse {_q(s.get('pulse_title', ''))} closed"
        case EventKind.FINDING_OPENED:
            return f"New finding, {_rule(s)}: {s.get('message', '')}".strip()
        case EventKind.FINDING_RESOLVED:
            return f"Resolved: {_rule(s)} on {', '.join(s.get('nodes', []))}"
        case EventKind.FINDING_ACKNOWLEDGED:
            return f"{who} acknowledged a finding, {_rule(s)}"
        case EventKind.SCORE_SNAPSHOT:
            return f"Coherence score {s.get('score')} as of {s.get('as_of')}"
        case EventKind.DEPENDENCY_REQUESTED:
            return (f"{s.get('source_unit')} depends on {title}: "
                    f"{_q(s.get('source_title', ''))} needs it")
        case EventKind.DEPENDENCY_ANSWERED:
            verb = {"commit": "committed to", "counter": "countered", "decline": "declined",
                    "accept": "accepted the counter on", "withdraw": "withdrew"}
            return (f"{who} {verb.get(s.get('step'), 'answered')} the dependency of {title} "
                    f"on {_q(s.get('other_title', ''))}")
        case EventKind.CHECKIN_DUE:
            return (f"A check-in is due for {_q(s.get('measure_name', ''))} on {title} "
                    f"(since {s.get('due_on')})")
        case EventKind.WEBHOOK_PAUSED:
            return f"A webhook was paused after failing: {s.get('url')}"
        case EventKind.WEBHOOK_TEST:
            return f"A test of this webhook, sent by {who}"
    return event.kind


def link(event: Event, workspace_slug: str) -> str:
    s = event.subject or {}
    if event.kind in (EventKind.NOTE_ANSWERED, EventKind.NOTE_REPLY) and s.get("note"):
        return external("notes.show", workspace=workspace_slug, note_id=s["note"])
    if event.kind.startswith("pulse.") and s.get("pulse"):
        return external("pulses.show", workspace=workspace_slug, key=s["pulse"])
    if event.kind.startswith(("finding.", "score.")):
        return external("findings.index", workspace=workspace_slug)
    if event.kind.startswith("webhook.") and s.get("webhook"):
        return external("webhooks.show", workspace=workspace_slug, webhook=s["webhook"])
    if s.get("node"):
        return external("nodes.show", workspace=workspace_slug, key=s["node"])
    return external("workspaces.show", workspace=workspace_slug)


def told(event: Event, workspace_slug: str) -> Told:
    s = event.subject or {}
    return Told(headline(event), link(event, workspace_slug), s.get("unit", ""),
                s.get("title", "") if s.get("node") else "", s.get("actor") or "")


def _rule(subject: dict) -> str:
    """A rule's human name with its code secondary, as the pages show it."""
    code = subject.get("code") or ""
    return f"{name(code)} ({code})" if code else "a rule"

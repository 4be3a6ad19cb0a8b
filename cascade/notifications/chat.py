"""What a webhook delivery carries, per endpoint format: Cascade's own JSON, or a Slack or
Microsoft Teams incoming-webhook message. All three say the same few things — what
happened, in which unit, who did it, and a link back — and never a note's body or a
pulse's answers."""

from __future__ import annotations

from cascade.models import Event, Workspace
from cascade.notifications.wording import told

# Fields of an event's subject a webhook may carry (names, keys, statuses; never text).
SHAREABLE = ("node", "title", "unit", "unit_key", "pulse", "pulse_title", "note", "kind",
             "stance", "status", "before", "revision", "parent", "parent_title", "code",
             "fingerprint", "nodes", "units", "score", "as_of", "closes_on", "webhook", "step",
             "source", "source_title", "other", "other_title")


def body(fmt: str, event: Event, ws: Workspace, delivery_id: int) -> dict:
    item = told(event, ws.slug)
    if fmt == "slack":
        return slack(item.headline, item.unit, item.who, item.link)
    if fmt == "teams":
        return teams(item.headline, item.unit, item.who, item.link)
    subject = event.subject or {}
    return {"id": event.id, "delivery": delivery_id, "kind": event.kind,
            "created_at": event.created_at.isoformat(), "workspace": ws.slug,
            "headline": item.headline, "unit": item.unit, "who": item.who, "link": item.link,
            "data": {k: subject[k] for k in SHAREABLE if k in subject}}


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack(headline: str, unit: str, who: str, link: str) -> dict:
    """A Slack incoming-webhook message: a fallback text and one section block."""
    context = " · ".join(part for part in (unit, who) if part)
    text = f"<{link}|{_slack_escape(headline)}>"
    return {"text": f"{_slack_escape(headline)} {link}",
            "blocks": [{"type": "section", "text": {
                "type": "mrkdwn",
                "text": text + (f"\n{_slack_escape(context)}" if context else "")}}]}


def teams(headline: str, unit: str, who: str, link: str) -> dict:
    """A Microsoft Teams incoming-webhook message (a MessageCard with a link back)."""
    facts = [{"name": name, "value": value} for name, value in (("Unit", unit), ("Who", who))
             if value]
    return {"@type": "MessageCard", "@context": "https://schema.org/extensions",
            "summary": headline, "themeColor": "1F4E79", "title": headline,
            "sections": [{"facts": facts}],
            "potentialAction": [{"@type": "OpenUri", "name": "Open in Cascade",
                                 "targets": [{"os": "default", "uri": link}]}]}

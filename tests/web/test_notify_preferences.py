"""Issue 17, point 2: each person chooses a channel per kind of event, admins set the
workspace's defaults and reminder rhythm, and an unsubscribe link turns off one setting
without signing in."""

from __future__ import annotations

import re

import sqlalchemy as sa

from cascade.db import db
from cascade.models import AuditEntry, NotificationPreference, Workspace
from cascade.notifications import preferences, unsubscribe
from cascade.vocabulary import Channel


def _checked(page: str, name: str) -> str | None:
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def _effective(org, who="member"):
    db.session.expire_all()
    return preferences.effective(org.people[who].id, org.workspace)


def test_a_member_chooses_how_they_hear_of_each_kind(client, login, org):
    login(org.people["member"])
    page = client.get("/w/acme/notifications").get_data(as_text=True)
    assert "Your note is answered" in page and "Weekly digest" in page
    assert _checked(page, "k_note_answered") == "email"
    assert _checked(page, "k_finding_opened") == "weekly"
    saved = client.post("/w/acme/notifications", data={
        "k_note_answered": "weekly", "k_pulse_opened": "off", "k_note_created": "email"})
    assert saved.status_code == 302
    mine = _effective(org)
    assert (mine["note.answered"], mine["pulse.opened"]) == (Channel.WEEKLY, Channel.OFF)
    assert mine["node.revised"] == Channel.DAILY  # untouched: the default still applies
    assert not preferences.wants_reminders(org.people["member"].id, org.workspace)
    entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "notifications.preferences"))
    assert entry.after["note.answered"] == "weekly"
    assert _effective(org, "coach")["note.answered"] == Channel.EMAIL  # only Sam's own


def test_an_unknown_channel_is_refused_and_nothing_is_saved(client, login, org):
    login(org.people["member"])
    refused = client.post("/w/acme/notifications", data={"k_note_answered": "pigeon",
                                                         "reminders": "y"})
    assert refused.status_code == 400 and "Not a valid choice" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(NotificationPreference.id))) == 0


def test_admin_defaults_apply_to_whoever_did_not_choose(client, login, org):
    login(org.people["member"])
    client.post("/w/acme/notifications", data={"k_note_created": "weekly", "reminders": "y"})
    login(org.people["admin"])
    page = client.get("/w/acme/notifications/defaults")
    assert page.status_code == 200 and "Reminders" in page.get_data(as_text=True)
    version = db.session.get(Workspace, org.workspace.id).version
    saved = client.post("/w/acme/notifications/defaults", data={
        "k_note_created": "daily", "k_node_revised": "off", "rhythm": "daily", "weekday": "3",
        "version": version})
    assert saved.status_code == 302
    assert _effective(org, "tribe_leader")["note.created"] == Channel.DAILY
    assert _effective(org, "tribe_leader")["node.revised"] == Channel.OFF
    assert _effective(org)["note.created"] == Channel.WEEKLY  # Sam chose for himself
    ws = db.session.get(Workspace, org.workspace.id)
    assert preferences.reminder_rhythm(ws) == {"rhythm": "daily", "weekday": 3}
    stale = client.post("/w/acme/notifications/defaults", data={
        "k_note_created": "email", "rhythm": "off", "weekday": "0", "version": version})
    assert stale.status_code == 409 and "Another admin" in stale.get_data(as_text=True)
    assert _effective(org, "tribe_leader")["note.created"] == Channel.DAILY


def test_an_unsubscribe_link_turns_off_that_one_setting_without_signing_in(client, org, app):
    member = org.people["member"]
    token = unsubscribe.token_for(member.id, org.workspace.id, "note.answered")
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and "Stop this mail?" in page.get_data(as_text=True)
    assert _effective(org)["note.answered"] == Channel.EMAIL  # opening the link changes nothing
    done = client.post(f"/unsubscribe/{token}")
    assert done.status_code == 200 and "no longer get" in done.get_data(as_text=True)
    after = _effective(org)
    assert after["note.answered"] == Channel.OFF
    assert all(after[k] == v for k, v in preferences.workspace_defaults(org.workspace).items()
               if k != "note.answered")
    assert client.post(f"/unsubscribe/{token[:-2]}xx").status_code == 404
    other = unsubscribe.token_for(member.id, org.workspace.id, "note.created")
    assert client.post(f"/unsubscribe/{other[::-1]}").status_code == 404
    app.config["SECRET_KEY"] = "another"
    assert client.get(f"/unsubscribe/{other}").status_code == 404  # signed with our secret


def test_leaving_a_digest_keeps_its_kinds_in_the_inbox(client, org):
    member = org.people["member"]
    daily = unsubscribe.token_for(member.id, org.workspace.id, "digest.daily")
    client.post(f"/unsubscribe/{daily}")
    mine = _effective(org)
    assert Channel.DAILY not in mine.values()
    assert mine["node.revised"] == Channel.INBOX and mine["note.answered"] == Channel.EMAIL
    client.post(f"/unsubscribe/{unsubscribe.token_for(member.id, org.workspace.id, 'reminders')}")
    assert not preferences.wants_reminders(member.id, org.workspace)

"""Unsubscribe links from e-mails: they work without signing in, and turn off exactly the
one setting the signed token names. The page asks before changing anything, since mail
scanners open links; mail programs' one-click unsubscribe (RFC 8058) posts directly."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from cascade.access import public
from cascade.db import db
from cascade.extensions import csrf
from cascade.models import Person, Workspace
from cascade.notifications import operations as ops
from cascade.notifications import preferences, unsubscribe

bp = Blueprint("unsubscribe", __name__)


def _found(token: str):
    link = unsubscribe.read(token)
    person = db.session.get(Person, link.person_id) if link else None
    ws = db.session.get(Workspace, link.workspace_id) if link else None
    if link is None or person is None or ws is None:
        abort(404, "This unsubscribe link is not valid. Sign in to change your settings.")
    return link, person, ws


def _setting_label(setting: str) -> str:
    if setting == preferences.REMINDERS:
        return "reminders"
    if setting == "email.now":
        return "immediate e-mails (they will wait in your inbox)"
    if setting in preferences.DIGESTS:
        return f"the {setting.split('.')[1]} digest"
    return f"e-mail when “{preferences.label(setting).lower()}”"


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt
def confirm(token):
    """The signed token is the authority here, so no CSRF token is needed (nor possible,
    for a mail program's one-click POST)."""
    link, person, ws = _found(token)
    if request.method == "POST":
        ops.unsubscribe(person, ws, link.setting)
        db.session.commit()
        return render_template("unsubscribe/done.html", person=person, ws=ws,
                               setting=_setting_label(link.setting))
    return render_template("unsubscribe/confirm.html", person=person, ws=ws, token=token,
                           setting=_setting_label(link.setting))

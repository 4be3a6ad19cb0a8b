"""How each person hears of things in a workspace, and the defaults an admin sets."""

from __future__ import annotations

from flask import flash, g, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from cascade import clock
from cascade.access import requires, workspace_blueprint
from cascade.db import db
from cascade.forms import EmptyForm
from cascade.forms.notifications import RecentForm, chosen, defaults_form, preferences_form
from cascade.mail import mail_configured
from cascade.notifications import operations as ops
from cascade.notifications import preferences
from cascade.notifications.preview import sample_digest
from cascade.notifications.recent import recent
from cascade.refusals import Conflict, Refusal

bp = workspace_blueprint("notifications", __name__)


@bp.route("/notifications", methods=["GET", "POST"])
@requires("workspace.view")
def preferences_page():
    form = preferences_form(preferences.effective(current_user.id, g.workspace),
                            preferences.wants_reminders(current_user.id, g.workspace))
    if form.validate_on_submit():
        ops.set_preferences(current_user, g.workspace, chosen(form), form.reminders.data)
        db.session.commit()
        flash("Your notification settings are saved.", "success")
        return redirect(url_for("notifications.preferences_page"))
    return render_template("notifications/preferences_page.html", form=form,
                           kinds=preferences.KINDS, channels=preferences.CHANNEL_LABELS,
                           mail=mail_configured(),
                           rhythm=preferences.reminder_rhythm(g.workspace),
                           weekdays=preferences.WEEKDAYS), 400 if form.errors else 200


@bp.route("/notifications/recent")
@requires("workspace.view")
def recent_page():
    """What the person was told here, whatever the channel: the only place "Inbox only"
    notifications show, newest first, a page at a time."""
    form = RecentForm(request.args)
    page = form.chosen().get("page") or 1
    lines, more, unseen = recent(current_user.id, g.workspace.id, g.workspace.slug, page)
    return render_template("notifications/recent.html", lines=lines, more=more, page=page,
                           unseen=unseen, form=EmptyForm())


@bp.route("/notifications/recent/seen", methods=["POST"])
@requires("workspace.view")
def mark_seen():
    if EmptyForm().validate_on_submit():
        count = ops.mark_all_seen(current_user, g.workspace, clock.now())
        db.session.commit()
        flash(f"{count} notification{'s' if count != 1 else ''} marked seen.", "success")
    return redirect(url_for("notifications.recent_page"))


@bp.route("/notifications/defaults", methods=["GET", "POST"])
@requires("workspace.admin")
def defaults():
    form = defaults_form(preferences.workspace_defaults(g.workspace),
                         preferences.reminder_rhythm(g.workspace), g.workspace.version)
    if form.validate_on_submit():
        try:
            ops.set_defaults(g.workspace, form.version.data, chosen(form),
                             rhythm=form.rhythm.data, weekday=int(form.weekday.data),
                             by=current_user)
            db.session.commit()
        except Conflict:
            db.session.rollback()
            flash("Another admin changed these settings meanwhile; here they are now.", "error")
            form = defaults_form(preferences.workspace_defaults(g.workspace),
                                 preferences.reminder_rhythm(g.workspace), g.workspace.version,
                                 formdata=None)
            return render_template("notifications/defaults.html", form=form,
                                   kinds=preferences.KINDS, channels=preferences.CHANNEL_LABELS,
                                   mail=mail_configured()), 409
        except Refusal as refusal:
            refusal.show_on(form)
        else:
            flash("The workspace's notification defaults are saved.", "success")
            return redirect(url_for("notifications.defaults"))
    return render_template("notifications/defaults.html", form=form, kinds=preferences.KINDS,
                           channels=preferences.CHANNEL_LABELS,
                           mail=mail_configured()), 400 if form.errors else 200


@bp.route("/notifications/digest")
@requires("workspace.admin")
def digest_preview():
    """The daily digest as the admin would get it, text and HTML, without sending it."""
    text, html, count = sample_digest(g.workspace, current_user, g.actor, clock.now())
    return render_template("notifications/digest_preview.html", text=text, html=html,
                           count=count, mail=mail_configured())


# The mail's own HTML, shown in a frame of the preview: its inline styles are allowed, and
# nothing else (no scripts, no requests, sandboxed), framed only by this site's own page.
MAIL_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            "frame-ancestors 'self'; sandbox")


@bp.route("/notifications/digest.html")
@requires("workspace.admin")
def digest_html():
    _, html, _ = sample_digest(g.workspace, current_user, g.actor, clock.now())
    response = make_response(html)
    response.headers["Content-Security-Policy"] = MAIL_CSP
    return response

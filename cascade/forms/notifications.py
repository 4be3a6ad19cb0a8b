"""Notification preferences: one radio group per kind of event (a person's, or the
workspace's defaults), with the reminder settings beside them."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    URLField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from cascade import trees
from cascade.forms import FilterForm, WholeNumberField
from cascade.forms.nodes import UnitFilterField
from cascade.notifications.preferences import CHANNEL_LABELS, KINDS, WEEKDAYS

CHANNEL_CHOICES = [SelectChoice(str(channel), text) for channel, text in CHANNEL_LABELS.items()]


def field_name(kind: str) -> str:
    return "k_" + kind.replace(".", "_")


def _channel_fields(current: dict) -> dict:
    return {field_name(kind): RadioField(text, choices=CHANNEL_CHOICES,
                                         default=str(current[kind]))
            for kind, (text, _) in KINDS.items()}


def chosen(form) -> dict[str, str]:
    """{kind: channel} from a validated form."""
    return {kind: getattr(form, field_name(kind)).data for kind in KINDS}


def preferences_form(current: dict, reminders: bool) -> FlaskForm:
    """A person's channels, starting from what applies to them now."""
    fields = _channel_fields(current) | {
        "reminders": BooleanField("E-mail me this workspace's reminders", default=reminders)}
    return type("PreferencesForm", (FlaskForm,), fields)()


def defaults_form(current: dict, rhythm: dict, version: int, **kwargs) -> FlaskForm:
    """The workspace's default channels and its reminder rhythm."""
    fields = _channel_fields(current) | {
        "rhythm": SelectField("Reminders", default=rhythm["rhythm"], choices=[
            SelectChoice("off", "Off"), SelectChoice("daily", "Every day"),
            SelectChoice("weekly", "Every week")]),
        "weekday": SelectField("On (weekly reminders)", default=str(rhythm["weekday"]),
                               choices=[SelectChoice(str(i), day)
                                        for i, day in enumerate(WEEKDAYS)]),
        "version": IntegerField(widget=HiddenInput(), default=version,
                                validators=[InputRequired()]),
    }
    return type("DefaultsForm", (FlaskForm,), fields)(**kwargs)


class UnsubscribeForm(FlaskForm):
    token = HiddenField(validators=[InputRequired()])


class WebhookForm(FlaskForm):
    url = URLField("Receiving URL", validators=[InputRequired(), Length(max=2000)])
    format = SelectField("Format", default="cascade", choices=[
        SelectChoice("cascade", "Cascade JSON (signed)"), SelectChoice("slack", "Slack"),
        SelectChoice("teams", "Microsoft Teams")])
    kinds = SelectMultipleField("Events (none ticked: every kind)", choices=[
        SelectChoice(kind, text) for kind, (text, _) in KINDS.items()],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    unit = UnitFilterField("Only about this unit and the units below it", choices=[],
                           default="")

    def offer(self, unit_rows) -> None:
        """The workspace's active units by key, as the unit tree lists them (a select in a
        small workspace, a typed field with suggestions in a large one)."""
        active = [r for r in unit_rows if not r[4]]
        self.unit.choices = [SelectChoice("", "— the whole workspace —")] + [
            SelectChoice(key, "\u2003" * depth + name) for (_, key, name, _, _), depth in
            trees.outline(active, key=lambda r: r[0], parent=lambda r: r[3],
                          order=lambda r: trees.unit_order(r[2]))]


class RecentForm(FilterForm):
    """The page of one's recent notifications (a page number edited by hand falls back to
    the first page)."""

    page = WholeNumberField(validators=[Optional()], low=1, high=100000, default=1)

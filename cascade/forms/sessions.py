"""Forms of facilitated sessions: setting one up, and capturing a decision in the room."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from cascade.vocabulary import NOTE_KINDS, STANCES, SessionTemplate

WORDS_ONLY = ""


class SessionForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    template = SelectField("Template", choices=[], validate_choice=True)
    node = SelectField("Subtree", choices=[], validate_choice=True, default="")
    unit = SelectField("Or a unit", choices=[], validate_choice=True, default="")
    findings = SelectMultipleField("Findings to show", choices=[],
                                   widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput())
    pulse = SelectField("Pulse", choices=[], validate_choice=True, default="")
    statement = TextAreaField("Or ask the room a new question", validators=[
        Optional(), Length(max=300)])
    anonymised = BooleanField("Anonymised: show units, never people", default=True)
    step_minutes = IntegerField("Minutes per step", default=10, validators=[
        InputRequired(), NumberRange(1, 120)])

    def offer(self, templates: dict, roots, units, findings, pulses) -> None:
        """Choices: templates, subtrees and units, the findings in the chosen scope (with
        their messages), and the workspace's pulses."""
        self.template.choices = [SelectChoice(str(k), v[0]) for k, v in templates.items()]
        self.node.choices = [SelectChoice("", "The whole workspace")] + [
            SelectChoice(k, t) for k, t in roots]
        self.unit.choices = [SelectChoice("", "—")] + [SelectChoice(k, n) for k, n in units]
        self.findings.choices = [SelectChoice(f.fingerprint, f"{f.code}: {f.message}")
                                 for f in findings]
        self.pulse.choices = [SelectChoice("", "No pulse")] + [
            SelectChoice(p.key, p.title or p.key) for p in pulses]

    @property
    def chosen_template(self) -> SessionTemplate:
        return SessionTemplate(self.template.data)


class DecisionForm(FlaskForm):
    text = TextAreaField("What did the room decide?", validators=[DataRequired(), Length(max=2000)])
    about = SelectField("Record it as", choices=[], validate_choice=True, default=WORDS_ONLY)
    kind = SelectField("Note kind", choices=[SelectChoice(k, k) for k in NOTE_KINDS],
                       default="coherence")
    stance = SelectField("Stance", choices=[SelectChoice(s, s) for s in STANCES],
                         default="support")
    step = HiddenField()

    def offer(self, findings, nodes) -> None:
        """Words only, an acknowledgement of one of the session's findings, or a note on a
        node of the scope."""
        self.about.choices = [SelectChoice(WORDS_ONLY, "The words only")] + [
            SelectChoice(f"finding:{f.fingerprint}", f"Acknowledge {f.code}: {f.message[:80]}")
            for f in findings] + [
            SelectChoice(f"node:{key}", f"A note on “{title}”") for key, title in nodes]

"""Forms for notes, their answers and replies."""

import re
import secrets

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from cascade.forms import FilterForm, WholeNumberField
from cascade.models import NoteKind, NoteStatus, Stance
from cascade.organisation.units import unit_named


def _choices(enum):
    return [SelectChoice(item.value, item.value.capitalize()) for item in enum]


SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _new_submission_key() -> str:
    return secrets.token_urlsafe(18)


class NoteForm(FlaskForm):
    # one per form shown: a browser that sends the form twice (a retry, a double click)
    # finds the note the first one made instead of making another
    submission = HiddenField(default=_new_submission_key)
    kind = SelectField("Kind", choices=_choices(NoteKind))
    stance = SelectField("Stance", choices=_choices(Stance))
    unit = SelectField("Writing for", coerce=int)
    body = TextAreaField("Note", validators=[DataRequired(), Length(max=10000)])
    hypothesis = TextAreaField("Hypothesis (experiments)", validators=[Length(max=5000)])
    measure = TextAreaField("How we will measure it (experiments)",
                            validators=[Length(max=5000)])
    submit = SubmitField("Leave note")

    @property
    def submission_key(self) -> str | None:
        """The form's key when it is one this form could have made, else None."""
        value = self.submission.data or ""
        return value if SUBMISSION_KEY.fullmatch(value) else None

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.kind.data == NoteKind.EXPERIMENT:
            for field in (self.hypothesis, self.measure):
                if not (field.data or "").strip():
                    field.errors.append("An experiment note needs this.")
                    ok = False
        return ok


class EditNoteForm(FlaskForm):
    body = TextAreaField("Note", validators=[DataRequired(), Length(max=10000)])
    hypothesis = TextAreaField("Hypothesis", validators=[Length(max=5000)])
    measure = TextAreaField("How we will measure it", validators=[Length(max=5000)])
    version = IntegerField(widget=HiddenInput(), validators=[DataRequired()])
    submit = SubmitField("Save note")


class LearnedForm(FlaskForm):
    learned = TextAreaField("What we learned", validators=[DataRequired(), Length(max=10000)])
    submit = SubmitField("Record what we learned")


class AnswerForm(FlaskForm):
    status = SelectField("Answer", choices=[
        SelectChoice(NoteStatus.ACKNOWLEDGED.value, "Acknowledge"),
        SelectChoice(NoteStatus.INCORPORATED.value, "Incorporate"),
        SelectChoice(NoteStatus.DECLINED.value, "Decline")])
    response = TextAreaField("Response", validators=[Length(max=5000)])
    revision = SelectField("Taken in by revision", coerce=int, validators=[Optional()])
    submit = SubmitField("Answer")


class ReplyForm(FlaskForm):
    body = TextAreaField("Reply", validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField("Reply")


class FeedbackFilterForm(FilterForm):
    """The Feedback page's filter and sort. Units are named, not listed: a workspace of
    2,000 teams would put 2,000 options on every page; `offer` adds the one unit a link
    names to "On nodes of" and looks up the author's unit by name or key."""

    kind = SelectField("Kind", id="f-kind", default="", choices=[SelectChoice("", "Any kind")]
                       + [SelectChoice(k.value, k.value) for k in NoteKind])
    stance = SelectField("Stance", id="f-stance", default="",
                         choices=[SelectChoice("", "Any stance")]
                         + [SelectChoice(s.value, s.value) for s in Stance])
    show = SelectField("Show", id="f-show", default="waiting", choices=[
        SelectChoice("waiting", "waiting for an answer"),
        SelectChoice("unresolved", "also acknowledged")])
    on = SelectField("On nodes of", id="f-on", default="",
                     choices=[SelectChoice("", "any unit"), SelectChoice("mine", "your units")])
    unit = SearchField("Author’s unit", id="f-unit", default="",
                       filters=[lambda v: (v or "").strip()[:200]],
                       render_kw={"placeholder": "A unit’s name or key"})
    older = WholeNumberField("Waiting at least (days)", id="f-older", validators=[Optional()],
                             low=0, high=36500)
    sort = SelectField("Sort by", id="f-sort", default="age", choices=[
        SelectChoice("age", "oldest first"), SelectChoice("stance", "stance (blockers first)"),
        SelectChoice("kind", "kind"), SelectChoice("unit", "unit")])
    page = WholeNumberField(validators=[Optional()], low=1, high=100000, default=1)

    def offer(self, workspace) -> None:
        self.workspace = workspace
        named = (self.on.raw_data or [""])[0]
        if named not in ("", "mine") and (unit := unit_named(workspace, named, by_name=False)):
            self.on.choices = self.on.choices + [SelectChoice(unit.key, unit.name)]

    def validate_unit(self, field) -> None:
        if field.data:
            field.unit = unit_named(self.workspace, field.data)
            if field.unit is None:
                raise ValidationError("no unit has this name or key")

    @property
    def filtering(self) -> bool:
        return bool(self.kind.data or self.stance.data or self.unit.data or self.older.data
                    or self.on.data or self.show.data != "waiting")

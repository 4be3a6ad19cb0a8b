"""Forms of the inbox: sending a translation back, "not for us", marking items seen."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from cascade.forms import FilterForm, WholeNumberField
from cascade.strategy.inbox import SECTIONS
from cascade.vocabulary import Stance

# `note:<id>` (an answer to one's note) or `review:<id>` (a translation sent back), spaced
ITEMS = r"^(note|review):\d{1,18}( (note|review):\d{1,18}){0,199}$"


class SendBackForm(FlaskForm):
    reason = TextAreaField("Why it goes back", validators=[DataRequired(), Length(max=2000)])


class DeclineForm(FlaskForm):
    unit = SelectField("For unit", coerce=int)
    stance = SelectField("It reaches the parent’s owners as", default=Stance.QUESTION.value,
                         choices=[SelectChoice(Stance.QUESTION.value, "a question"),
                                  SelectChoice(Stance.CONCERN.value, "a concern")])
    reason = TextAreaField("Why it is not for your unit",
                           validators=[DataRequired(), Length(max=2000)])


class SeenForm(FlaskForm):
    items = HiddenField(validators=[DataRequired(), Regexp(ITEMS)])


class InboxPagesForm(FilterForm):
    """Which page of each inbox section to show: `?stale=2` pages one, keeping the others."""


for _section in SECTIONS:
    setattr(InboxPagesForm, _section,
            WholeNumberField(validators=[Optional()], low=1, high=100000, default=1))

"""Answering a dependency request, and settling a counter."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from cascade.horizons import HINT


class RespondForm(FlaskForm):
    """The providing unit's answer; the button pressed names the step."""

    step = HiddenField(validators=[DataRequired(), AnyOf(["commit", "counter", "decline"])])
    needed_by = StringField("We can deliver by", validators=[Optional(), Length(max=40)],
                            description=HINT)
    reason = TextAreaField("Reason or comment", validators=[Optional(), Length(max=2000)])
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class SettleForm(FlaskForm):
    """The requester's answer to a counter."""

    step = HiddenField(validators=[DataRequired(), AnyOf(["accept", "withdraw"])])
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])

"""Closing a quarter: which horizon, the next one, and a choice per node."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from cascade.forms import FilterForm
from cascade.horizons import HINT, choices


class HorizonChoiceForm(FilterForm):
    horizon = SelectField("Horizon to close", id="close-horizon", default="",
                          choices=[SelectChoice("", "Choose a horizon")])

    def offer(self, horizons) -> None:
        self.horizon.choices = self.horizon.choices + [SelectChoice(h, h)
                                                       for h in choices(horizons)]


class CloseForm(FlaskForm):
    """The per-node choices are read by name (`choice-<id>`: keep, carry or retire)."""

    next_horizon = StringField("Carry into", validators=[DataRequired(), Length(max=40)],
                               description=HINT)
    submit = SubmitField("Close the horizon")

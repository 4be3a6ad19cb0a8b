"""Forms for measures and check-ins."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from cascade.forms import WholeNumberField
from cascade.interchange.progress import LARGEST
from cascade.vocabulary import DIRECTIONS

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)


class NumberField(FloatField):
    """A decimal number typed with ASCII digits (12, -3.5, .25), within ±10¹⁵: never NaN or
    infinity, which Python's float() would accept."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip().replace(",", "")
        if not text:
            self.data = None
            return
        if not _NUMBER.fullmatch(text) or abs(float(text)) > LARGEST:
            self.data = None
            raise ValueError("Give a number, such as 12 or 3.5.")
        self.data = float(text)


class MeasureForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    unit_of_measure = StringField("Unit of measure", validators=[Optional(), Length(max=40)],
                                  description="%, orders/day, minutes…")
    direction = SelectField("Direction", choices=[
        SelectChoice(d, {"increase": "Increase to a target", "decrease": "Decrease to a target",
                         "maintain": "Stay within a band"}[d]) for d in DIRECTIONS])
    baseline = NumberField("Baseline", validators=[Optional()])
    target = NumberField("Target", validators=[Optional()])
    band_low = NumberField("Band: lowest", validators=[Optional()])
    band_high = NumberField("Band: highest", validators=[Optional()])
    start = DateField("Start", validators=[Optional()])
    due = DateField("Due", validators=[Optional()])
    cadence_days = WholeNumberField("Check in every (days)", low=1, high=3660, default=30,
                                    validators=[DataRequired()])
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField("Save measure")

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "name", "unit_of_measure", "direction", "baseline", "target", "band_low",
            "band_high", "start", "due", "cadence_days")} | {
            "name": self.name.data.strip(),
            "unit_of_measure": (self.unit_of_measure.data or "").strip()}


class CheckInForm(FlaskForm):
    value = NumberField("Value", validators=[InputRequired(message="Give the value now.")])
    confidence = WholeNumberField("Confidence (0–10)", low=0, high=10,
                                  validators=[Optional()])
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=5000)])
    back = HiddenField(validators=[Optional(), AnyOf(["inbox", "node"])])  # where to return
    submit = SubmitField("Check in")

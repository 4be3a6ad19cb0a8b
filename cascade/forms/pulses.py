"""Forms for running a pulse and answering one."""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from cascade.filters import when
from cascade.forms import FilterForm
from cascade.pulses.stats import LABELS, SCALE

PRIORITIES = ""  # the "about" choice meaning: every top-level priority


class PulseForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    node = SelectField("About", choices=[], validate_choice=True)
    statements = TextAreaField("Statements", validators=[DataRequired(), Length(max=4000)])
    units = SelectMultipleField("Units asked", coerce=int, widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput(),
                                validators=[DataRequired("Choose at least one unit to ask.")])
    opens_on = DateField("Opens on", validators=[DataRequired()])
    closes_on = DateField("Closes on", validators=[DataRequired()])

    def offer(self, nodes: Sequence, units: Sequence[tuple]) -> None:
        """Fill the choices: every live node, and units as (unit, depth) in outline order."""
        self.node.choices = [SelectChoice(PRIORITIES,
                                          "The top-level priorities (one statement each)")] + [
            SelectChoice(n.key, f"{n.title} ({n.unit.name})") for n in nodes]
        self.units.choices = [SelectChoice(u.id, u.name) for u, _ in units]
        self.unit_depth = {u.id: depth for u, depth in units}

    def unit_rows(self) -> list[tuple]:
        """The unit checkboxes with their depth, for the picker's indented unit tree."""
        return [(option, self.unit_depth.get(int(option.data), 0)) for option in self.units]

    def texts(self) -> list[str]:
        return [line.strip() for line in (self.statements.data or "").splitlines()]


class AnswerForm(FlaskForm):
    """Built per pulse: a 1–5 choice and an optional comment per statement."""

    unit = SelectField("Answering for", coerce=int, validate_choice=False,
                       validators=[Optional()])

    def answers(self, statements) -> dict[int, tuple[int, str | None]]:
        return {s.id: (self[f"s{s.id}"].data, self[f"c{s.id}"].data) for s in statements}


def answer_form(statements, units, mine: dict) -> AnswerForm:
    """An `AnswerForm` with one field pair per statement, prefilled with the person's
    earlier answers so they can change them."""
    message = "Choose a value from 1 to 5."

    class Form(AnswerForm):
        pass

    data: dict = {}
    for s in statements:
        setattr(Form, f"s{s.id}", RadioField(
            s.text, choices=[SelectChoice(v, f"{v} {LABELS[v]}") for v in SCALE], coerce=int,
            validate_choice=False,
            validators=[InputRequired(message), AnyOf(list(SCALE), message=message)]))
        setattr(Form, f"c{s.id}", TextAreaField(
            "Comment (optional)", validators=[Optional(), Length(max=2000)]))
        if s.id in mine:
            data[f"s{s.id}"] = mine[s.id].value
            data[f"c{s.id}"] = mine[s.id].comment
            data["unit"] = mine[s.id].unit_id
    form = Form(data=data)
    form.unit.choices = [SelectChoice(u.id, u.name) for u in units]
    return form


class PanoramaForm(FilterForm):
    """Which priorities pulse and statement the panorama shows; the pulses views read the
    query string (an unknown pulse or statement falls back to the default) and this form
    shows what they chose."""

    pulse = SelectField("Pulse", choices=[])
    statement = SelectField("Statement", default="",
                            choices=[SelectChoice("", "All statements, pooled")])

    @classmethod
    def showing(cls, pulses: Sequence, panorama) -> PanoramaForm:
        form = cls(data={"pulse": panorama.pulse.key, "statement": panorama.text or ""})
        form.pulse.choices = [SelectChoice(p.key, (p.title or p.key)
                                           + (f" ({when(p.opens_on)})" if p.opens_on else ""))
                              for p in pulses]
        form.statement.choices += [SelectChoice(text, text) for text in panorama.texts]
        return form

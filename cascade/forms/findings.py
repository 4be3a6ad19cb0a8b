"""Forms of the findings page: the filter (a GET form) and a coach's acknowledgement."""

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, Optional

from cascade.coherence import names
from cascade.coherence.model import SEVERITIES
from cascade.findings.listing import CODES
from cascade.forms import FilterForm, WholeNumberField
from cascade.forms.nodes import UnitFilterField, UnitPicker
from cascade.horizons import choices


class SubtreeField(UnitFilterField):
    """A subtree's top node: a select in a small workspace, else a key typed with
    suggestions from the nodes' search (a large organisation has thousands)."""

    widget = UnitPicker("nodes.search", "data-picker", "Type a node")
    unknown = "No node with children has the key “{}”."


class FindingFilterForm(FilterForm):
    """Read from the query string; subtree and unit choices come from the workspace, shown
    as selects in a small one and as typed fields with suggestions in a large one."""

    code = SelectField("Rule", default="", choices=[SelectChoice("", "All rules")]
                       + [SelectChoice(c, f"{names.name(c)} ({c})") for c in CODES])
    severity = SelectField("Severity", default="", choices=[SelectChoice("", "All severities")]
                           + [SelectChoice(s, s) for s in SEVERITIES])
    subtree = SubtreeField("Subtree", choices=[SelectChoice("", "Whole workspace")], default="")
    unit = UnitFilterField("Unit", choices=[SelectChoice("", "All units")], default="")
    horizon = SelectField("Horizon", choices=[SelectChoice("", "Any horizon")], default="")
    page = WholeNumberField(validators=[Optional()], low=1, high=100000, default=1)

    def offer(self, roots: list[tuple[str, str]], units: list[tuple[str, str]],
              horizons=()) -> None:
        """Add the workspace's subtrees, units and horizons to the choices."""
        self.subtree.choices = self.subtree.choices + [SelectChoice(k, t) for k, t in roots]
        self.unit.choices = self.unit.choices + [SelectChoice(k, n) for k, n in units]
        self.horizon.choices = self.horizon.choices + [SelectChoice(h, h)
                                                       for h in choices(horizons)]


class AcknowledgeForm(FlaskForm):
    comment = TextAreaField("Why is this known and intentional?",
                            validators=[DataRequired(), Length(max=2000)])
    next = HiddenField()
    submit = SubmitField("Acknowledge")


class CompareForm(FilterForm):
    """Two days to compare, read from the query string: today or a recorded day each."""

    as_of = DateField("As of", validators=[Optional()])
    against = DateField("Compared with", validators=[Optional()])

    def offer(self, days: list, today) -> None:
        """The days that can be shown: today and the recorded ones (for the date picker)."""
        self.days, self.today = days, today

    def validate_as_of(self, field) -> None:
        self._known(field)

    def validate_against(self, field) -> None:
        self._known(field)

    def _known(self, field) -> None:
        if field.data and field.data != self.today and field.data not in self.days:
            raise ValidationError(
                f"No snapshot was recorded on {field.data.isoformat()}: choose today or a "
                "recorded day.")

"""Forms of the findings page: the filter (a GET form) and a coach's acknowledgement."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from cascade.coherence.model import SEVERITIES
from cascade.findings.listing import CODES
from cascade.forms import FilterForm


class FindingFilterForm(FilterForm):
    """Read from the query string; subtree and unit choices come from the workspace."""

    code = SelectField("Code", default="", choices=[SelectChoice("", "All codes")]
                       + [SelectChoice(c, c) for c in CODES])
    severity = SelectField("Severity", default="", choices=[SelectChoice("", "All severities")]
                           + [SelectChoice(s, s) for s in SEVERITIES])
    subtree = SelectField("Subtree", choices=[SelectChoice("", "Whole workspace")], default="")
    unit = SelectField("Unit", choices=[SelectChoice("", "All units")], default="")

    def offer(self, roots: list[tuple[str, str]], units: list[tuple[str, str]]) -> None:
        """Add the workspace's subtrees and units to the choices."""
        self.subtree.choices = self.subtree.choices + [SelectChoice(k, t) for k, t in roots]
        self.unit.choices = self.unit.choices + [SelectChoice(k, n) for k, n in units]


class AcknowledgeForm(FlaskForm):
    comment = TextAreaField("Why is this known and intentional?",
                            validators=[DataRequired(), Length(max=2000)])
    next = HiddenField()
    submit = SubmitField("Acknowledge")

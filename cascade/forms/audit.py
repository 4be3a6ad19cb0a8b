"""Filtering the audit log (a GET form: nothing to protect against forgery)."""

from wtforms import DateField, SelectField
from wtforms.validators import Optional

from cascade.forms import FilterForm, WholeNumberField


class AuditFilterForm(FilterForm):
    """Invalid dates are shown as errors here (the view answers 400), not dropped."""

    target_type = SelectField("What", choices=[], default="")
    action = SelectField("Action", choices=[], default="")
    person = SelectField("Who", choices=[], default="")
    since = DateField("From", validators=[Optional()])
    until = DateField("Until", validators=[Optional()])
    page = WholeNumberField(validators=[Optional()], low=1, high=100000, default=1)

"""Filtering the audit log (a GET form: nothing to protect against forgery)."""

from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from cascade.forms import FilterForm


class AuditFilterForm(FilterForm):
    """Invalid dates are shown as errors here (the view answers 400), not dropped."""

    target_type = SelectField("What", choices=[], default="")
    action = SelectField("Action", choices=[], default="")
    person = SelectField("Who", choices=[], default="")
    since = DateField("From", validators=[Optional()])
    until = DateField("Until", validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)], default=1)

"""Paging the failed jobs (a GET form)."""

from wtforms.validators import Optional

from cascade.forms import FilterForm, WholeNumberField


class JobsPageForm(FilterForm):
    page = WholeNumberField(validators=[Optional()], low=1, high=100000, default=1)

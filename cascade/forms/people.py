"""Inviting people and managing their roles."""

from flask_wtf import FlaskForm
from wtforms import EmailField, SearchField, SelectChoice, SelectField
from wtforms.validators import DataRequired, Length, Optional

from cascade.forms import EmailAddress, FilterForm, WholeNumberField
from cascade.models import Role

ROLE_CHOICES = [SelectChoice(r.value, r.value.title()) for r in Role]


def _unit_field() -> SearchField:
    """A unit named by its name or key (`units.unit_named`): a select of 2,000 teams on
    every people page would outweigh the page of people."""
    return SearchField("Unit", validators=[DataRequired(), Length(max=200)],
                       filters=[lambda v: (v or "").strip()],
                       render_kw={"placeholder": "A unit’s name or key"})


class InviteForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), EmailAddress(), Length(max=254)])
    unit = _unit_field()
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.MEMBER.value)


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class GrantForm(FlaskForm):
    """Names the person by e-mail: a list of everyone would grow with the workspace."""
    person = EmailField("E-mail of someone in this workspace",
                        validators=[DataRequired(), EmailAddress(), Length(max=254)])
    unit = _unit_field()
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.MEMBER.value)


class PeopleFilterForm(FilterForm):
    """The people list's search and its pages (and the open invitations' pages)."""
    q = SearchField("Find people", id="people-q", default="",
                    filters=[lambda v: (v or "").strip()[:200]],
                    render_kw={"placeholder": "Part of a name or e-mail address"})
    page = WholeNumberField(validators=[Optional()], low=1, high=100000, default=1)
    invitations = WholeNumberField(validators=[Optional()], low=1, high=100000, default=1)

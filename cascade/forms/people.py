"""Inviting people and managing their roles."""

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField
from wtforms.validators import DataRequired, Length

from cascade.forms import EmailAddress
from cascade.models import Role

ROLE_CHOICES = [SelectChoice(r.value, r.value.title()) for r in Role]


class InviteForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), EmailAddress(), Length(max=254)])
    unit = SelectField("Unit", choices=[])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.MEMBER.value)


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class GrantForm(FlaskForm):
    person = SelectField("Person", choices=[])
    unit = SelectField("Unit", choices=[])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.MEMBER.value)

"""Your account, new workspaces and accepting an invitation."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from cascade.forms import ValidSlug
from cascade.organisation.passwords import password_problem


class GoodPassword:
    """Long enough, not too long, and not on the list of common passwords."""

    def __call__(self, form, field):
        if problem := password_problem(field.data or ""):
            raise ValidationError(problem)


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField("New password", validators=[DataRequired(), GoodPassword()])
    confirm = PasswordField("New password again", validators=[
        DataRequired(), EqualTo("new_password", message="The two new passwords differ.")])


class NewWorkspaceForm(FlaskForm):
    name = StringField("Organisation name", validators=[DataRequired(), Length(max=200)])
    slug = StringField("Address", validators=[DataRequired(), ValidSlug()])


class CreateAccountForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("Choose a password", validators=[DataRequired(), GoodPassword()])
    confirm = PasswordField("Password again", validators=[
        DataRequired(), EqualTo("password", message="The two passwords differ.")])

"""Making a personal API token."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from cascade.vocabulary import TOKEN_SCOPES

SCOPE_LABELS = {
    "read": "read — everything you can see",
    "write:notes": "write:notes — notes, replies, answers and finding acknowledgements",
    "write:strategy": "write:strategy — nodes, their status and links",
    "write:checkins": "write:checkins — check-ins on measures",
    "admin": "admin — audit log, e-mail addresses, workspace files (admins only)",
}
LIFETIMES = [SelectChoice("30", "30 days"), SelectChoice("90", "90 days"),
             SelectChoice("366", "a year"), SelectChoice("", "no expiry")]


class NewTokenForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)],
                       description="What it is for, e.g. “Jira sync”.")
    scopes = SelectMultipleField("Scopes", choices=[SelectChoice(s, SCOPE_LABELS[s])
                                          for s in TOKEN_SCOPES],
                                 default=["read"], option_widget=CheckboxInput(),
                                 widget=ListWidget(prefix_label=False))
    days = SelectField("Expires after", choices=LIFETIMES, default="90")

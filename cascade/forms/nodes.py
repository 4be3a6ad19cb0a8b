"""Forms for authoring the strategy tree."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from cascade.forms import ValidKey
from cascade.models import LinkKind


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NodeForm(FlaskForm):
    unit = SelectField("Owning unit", coerce=int)
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    statement = TextAreaField("Statement", validators=[Length(max=20000)])
    horizon = StringField("Horizon", validators=[Optional(), Length(max=40)])
    parent = StringField("Parent node (key)", validators=[Optional(), Length(max=80)])
    key = StringField("Key", validators=[Optional(), ValidKey()])
    submit = SubmitField("Create node")


class EditNodeForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    statement = TextAreaField("Statement", validators=[Length(max=20000)])
    horizon = StringField("Horizon", validators=[Optional(), Length(max=40)])
    version = IntegerField(widget=HiddenInput(), validators=[DataRequired()])
    confirm_parent = BooleanField("This revision takes the parent's latest revision into account")
    answers = MultiCheckboxField("Open notes this revision answers", coerce=int)
    response = TextAreaField("Response to the ticked notes", validators=[Length(max=5000)])
    submit = SubmitField("Save")


class TranslateForm(FlaskForm):
    unit = SelectField("For unit", coerce=int)
    title = StringField("Title of the translation", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Translate")


class StatusForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])
    confirm = HiddenField()


class LinkForm(FlaskForm):
    kind = SelectField("Link", choices=[SelectChoice(LinkKind.DEPENDS_ON.value, "depends on"),
                                        SelectChoice(LinkKind.CONTRIBUTES_TO.value,
                                                     "contributes to")])
    target = StringField("Node (key)", validators=[DataRequired(), Length(max=80)])
    submit = SubmitField("Add link")


class MoveForm(FlaskForm):
    parent = StringField("New parent (key, empty for none)", validators=[Length(max=80)])
    submit = SubmitField("Move")

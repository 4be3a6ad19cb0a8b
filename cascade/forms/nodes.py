"""Forms for authoring the strategy tree."""

from flask import url_for
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget, SearchInput, Select

from cascade.forms import FilterForm, ValidKey
from cascade.horizons import HINT, choices
from cascade.models import LinkKind, NodeStatus
from cascade.strategy import folding


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NodeForm(FlaskForm):
    unit = SelectField("Owning unit", coerce=int)
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    statement = TextAreaField("Statement", validators=[Length(max=20000)])
    horizon = StringField("Horizon", validators=[Optional(), Length(max=40)], description=HINT)
    parent = StringField("Parent node (key)", validators=[Optional(), Length(max=80)])
    key = StringField("Key", validators=[Optional(), ValidKey()])
    submit = SubmitField("Create node")
    another = SubmitField("Create and add another")


class EditNodeForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    statement = TextAreaField("Statement", validators=[Length(max=20000)])
    horizon = StringField("Horizon", validators=[Optional(), Length(max=40)], description=HINT)
    version = IntegerField(widget=HiddenInput(), validators=[DataRequired()])
    confirm_parent = BooleanField("This revision takes the parent's latest revision into account")
    answers = MultiCheckboxField("Open notes this revision answers", coerce=int)
    response = TextAreaField("Response to the ticked notes", validators=[Length(max=5000)])
    submit = SubmitField("Save")


class TranslateForm(FlaskForm):
    unit = SelectField("For unit", coerce=int)
    title = StringField("Title of the translation", validators=[DataRequired(), Length(max=200)])
    statement = TextAreaField("What it means for your unit", validators=[Length(max=20000)])
    submit = SubmitField("Translate")


class BulkStatusForm(FlaskForm):
    """Move several children one step at once; each is checked against the policy."""

    nodes = MultiCheckboxField("Nodes", choices=[])
    status = SelectField("Move them to", choices=[
        SelectChoice(NodeStatus.PROPOSED.value, "proposed"),
        SelectChoice(NodeStatus.AGREED.value, "agreed")])


class StatusForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])
    confirm = HiddenField()
    next = HiddenField()  # a page of this site to return to (the inbox agrees from there)


class LinkForm(FlaskForm):
    kind = SelectField("Link", choices=[SelectChoice(LinkKind.DEPENDS_ON.value, "depends on"),
                                        SelectChoice(LinkKind.CONTRIBUTES_TO.value,
                                                     "contributes to")])
    target = StringField("Node (key)", validators=[DataRequired(), Length(max=80)])
    submit = SubmitField("Add link")


class MoveForm(FlaskForm):
    parent = StringField("New parent (key, empty for none)", validators=[Length(max=80)])
    submit = SubmitField("Move")


class UnitPicker:
    """A unit filter's control: a select while the workspace has few units; beyond
    `SELECT_UP_TO`, a text field that takes a unit's key or name, with a list of
    suggestions the script (static/js/picker.js) fills from `units.search` as one types, so
    the page does not carry every unit of a large organisation. `search` and `attribute`
    name the suggestions' endpoint and the attribute the script looks for (a subtree
    picker takes nodes from `nodes.search`)."""

    SELECT_UP_TO = 60

    def __init__(self, search: str = "units.search", attribute: str = "data-units",
                 prompt: str = "Type a unit") -> None:
        self.search, self.attribute, self.prompt = search, attribute, prompt

    def __call__(self, field, **kwargs):
        if len(field.choices) <= self.SELECT_UP_TO + 1:
            return Select()(field, **kwargs)
        listed = f"{field.id}-choices"
        suggested = field.choices[1:self.SELECT_UP_TO + 1]  # the first by name
        kwargs.setdefault("placeholder", self.prompt)
        return Markup("{}<datalist id=\"{}\">{}</datalist>").format(
            SearchInput()(field, value=field.data or "", list=listed, autocomplete="off",
                            **{self.attribute: url_for(self.search)}, **kwargs),
            listed, Markup("").join(Markup('<option value="{}">{}</option>').format(c.value,
                                                                                 c.label)
                                    for c in suggested))


class UnitFilterField(SelectField):
    """A unit chosen by key (the select's values) or typed by name, any case; `unknown`
    is the error for anything else."""

    widget = UnitPicker()
    unknown = "No unit is called “{}”."

    def pre_validate(self, form):
        if self.data and all(self.data != c.value for c in self.choices):
            typed = self.data.strip().lower()
            found = next((c.value for c in self.choices[1:]
                          if typed in (c.value.lower(), c.label.strip().lower())), None)
            if found is None:
                raise ValidationError(self.unknown.format(self.data.strip()))
            self.data = found


class StrategyFilterForm(FilterForm):
    """The strategy tree's filter; `offer` adds the workspace's units."""

    unit = UnitFilterField("Unit", id="filter-unit", default="",
                           choices=[SelectChoice("", "All units")])
    status = SelectField("Status", id="filter-status", default="",
                         choices=[SelectChoice("", "Any status")]
                         + [SelectChoice(s.value, s.value) for s in NodeStatus])
    horizon = SelectField("Horizon", id="filter-horizon", default="",
                          choices=[SelectChoice("", "Any horizon")])
    q = SearchField("Text", id="filter-q", default="", filters=[_stripped],
                    render_kw={"placeholder": "Words in a title or key"})
    depth = SelectField("Levels shown", id="filter-depth", coerce=int, default=folding.DEPTH,
                        choices=[SelectChoice(n, str(n))
                                 for n in range(1, folding.MAX_DEPTH + 1)])

    def offer(self, units, horizons=()) -> None:
        self.unit.choices = self.unit.choices + [SelectChoice(u.key, u.name) for u in units]
        self.horizon.choices = self.horizon.choices + [SelectChoice(h, h)
                                                       for h in choices(horizons)]


class RevisionsForm(FilterForm):
    """Which two revisions of a node to compare (`from` and `to` in the query string)."""

    start = SelectField("From", name="from", id="diff-from", coerce=int, default=None,
                        validators=[Optional()])
    end = SelectField("to", name="to", id="diff-to", coerce=int, default=None,
                      validators=[Optional()])

    def offer(self, revisions) -> None:
        self.start.choices = self.end.choices = [SelectChoice(r.revision, str(r.revision))
                                                 for r in revisions]

    def showing(self, diff: dict | None) -> None:
        """Select the revisions actually compared (the latest change by default)."""
        if diff:
            self.start.data, self.end.data = diff["from"], diff["to"]

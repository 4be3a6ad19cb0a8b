"""Creating and changing units."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SearchField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from cascade.forms import FilterForm, ValidKey, WholeNumberField


def parent_choices(units, exclude: set[int] = frozenset(), top_level: bool = True,
                   keep: int | None = None):
    """(id, name) pairs for a select of active units, indented by depth; `units` is a
    unit_tree. `keep` stays offered even when archived (a unit's current parent)."""
    choices = [SelectChoice("", "— none (top level) —")] if top_level else []
    choices += [SelectChoice(str(u.id), "\u2003" * depth + u.name) for u, depth in units
                if u.id not in exclude and (not u.archived or u.id == keep)]
    return choices


class UnitForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    parent = SelectField("Part of", choices=[], validate_choice=True)


class NewUnitForm(UnitForm):
    key = StringField("Key", validators=[Optional(), ValidKey()])


class EditUnitForm(UnitForm):
    version = HiddenField(validators=[DataRequired()])


class UnitsFilterForm(FilterForm):
    """The unit tree's search, the unit it is opened at (by key) and its page."""
    q = SearchField("Find units", id="units-q", default="",
                    filters=[lambda v: (v or "").strip()[:200]],
                    render_kw={"placeholder": "Part of a name or key"})
    under = HiddenField(default="", filters=[lambda v: (v or "").strip()[:200]])
    page = WholeNumberField(validators=[Optional()], low=1, high=100000, default=1)

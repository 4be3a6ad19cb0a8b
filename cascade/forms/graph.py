"""The coherence graph's filter, a GET form.

`cascade.graph.options.GraphOptions` reads the query string for the page, its fragment and
its downloads, dropping what makes no sense; this form shows the options it applied, with
the choices the drawn view offers.
"""

from wtforms import HiddenField, SelectChoice, SelectField

from cascade.coherence import names
from cascade.coherence.model import NODE_STATUSES
from cascade.forms import FilterForm
from cascade.forms.nodes import UnitFilterField

INDENT = "\u00a0\u00a0"


class GraphFilterForm(FilterForm):
    root = SelectField("Subtree", id="f-root", default="",
                       choices=[SelectChoice("", "Whole workspace")])
    unit = UnitFilterField("Unit", id="f-unit", default="",
                           choices=[SelectChoice("", "All units")])  # typed past 60 units
    depth = SelectField("Depth", id="f-depth", default="", choices=[SelectChoice("", "Any")] + [
        SelectChoice(str(d), f"{d} level{'s' if d != 1 else ''} below the top")
        for d in range(7)])
    code = SelectField("Finding", id="f-code", default="", choices=[SelectChoice("", "Any")])
    status = SelectField("Status", id="f-status", default="",
                         choices=[SelectChoice("", "Any")]
                         + [SelectChoice(s, s) for s in NODE_STATUSES])
    horizon = SelectField("Horizon", id="f-horizon", default="",
                          choices=[SelectChoice("", "Any")])
    expand = HiddenField(id="f-expand", default="")

    @classmethod
    def showing(cls, options, view) -> "GraphFilterForm":
        """The form for these options; the subtree, unit and finding choices come from the
        view (none when it could not be drawn)."""
        form = cls(data=options.args())
        if view is not None:
            form.root.choices += [SelectChoice(key, INDENT * level + title)
                                  for key, title, level in view.tops]
            form.unit.choices += [SelectChoice(key, INDENT * depth + name)
                                  for key, name, depth in view.units]
            form.code.choices += [SelectChoice(code, names.name(code)) for code in view.codes]
            form.horizon.choices += [SelectChoice(h, h) for h in view.horizons]
            if options.unit and all(options.unit != c.value for c in form.unit.choices):
                form.unit.errors = [f"No unit has the key “{options.unit}”: pick one of "
                                    "the suggestions."]
        return form

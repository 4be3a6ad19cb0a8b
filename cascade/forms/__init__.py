"""Form classes, one module per area, and the validators they share."""

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import ValidationError

from cascade.inputs import whole_number
from cascade.keys import key_problem, slug_problem


class EmptyForm(FlaskForm):
    """For buttons that POST: carries only the CSRF token."""


class FilterForm(FlaskForm):
    """A GET form read from the query string (`formdata=request.args`): nothing to forge,
    so no CSRF token. Links are edited by hand, so `chosen()` drops a value that makes no
    sense instead of refusing the page."""

    class Meta:
        csrf = False

    def chosen(self) -> dict:
        """The values to filter by: a field that fails validation falls back to its
        default, and shows it, so the form always says what the page applies; `ignored`
        names each dropped value with the reason, for the page to say so."""
        self.validate()
        self.ignored = []
        for field in self:
            if field.errors:
                given = (field.raw_data or [""])[0]
                reason = str(field.errors[0]).rstrip(".")
                self.ignored.append(f"{field.label.text} “{given[:40]}” ignored "
                                    f"({reason[:1].lower() + reason[1:]})")
                field.data, field.raw_data, field.errors = field.default, None, []
        return self.data

    def kept(self, *leave: str) -> dict:
        """The values applied (after `chosen`) that differ from the defaults, but for the
        fields named in `leave`: the arguments of links to other pages of the same list."""
        return {f.name: f.data for f in self if f.name not in leave
                and f.data not in (None, "") and f.data != f.default}


class EmailAddress:
    """A syntactically valid address, normalised to lower case; `.test` domains allowed
    because demo and test organisations use them."""

    def __call__(self, form, field):
        try:
            result = validate_email(field.data or "", check_deliverability=False,
                                    test_environment=True)
        except EmailNotValidError as error:
            raise ValidationError(str(error)) from None
        field.data = result.normalized.lower()


class ValidKey:
    """A key as `cascade.keys` defines it: the same the importer and the CLI accept."""

    def __call__(self, form, field):
        field.data = (field.data or "").strip()
        if field.data and (problem := key_problem(field.data)):
            raise ValidationError(problem)


class ValidSlug:
    """A workspace address as `cascade.keys` defines it, lower-cased first."""

    def __call__(self, form, field):
        field.data = (field.data or "").strip().lower()
        if problem := slug_problem(field.data):
            raise ValidationError(problem)


class WholeNumberField(IntegerField):
    """A whole number in low..high typed as ASCII digits (`cascade.inputs.whole_number`):
    superscripts, 400-digit numbers and numbers past the range are a field error, never a
    crash in a validator or a database overflow."""

    def __init__(self, label=None, validators=None, *, low: int = 0, high: int = 10**6, **kw):
        kw["render_kw"] = {"min": low, "max": high, **(kw.get("render_kw") or {})}
        super().__init__(label, validators, **kw)
        self.low, self.high = low, high

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = whole_number(valuelist[0], self.low, self.high)
        if self.data is None:
            raise ValueError(f"Give a whole number from {self.low} to {self.high}.")

"""Form classes, one module per area, and the validators they share."""

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

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
        default, and shows it, so the form always says what the page applies."""
        self.validate()
        for field in self:
            if field.errors:
                field.data, field.raw_data, field.errors = field.default, None, []
        return self.data


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

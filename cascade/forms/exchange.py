"""The workspace file upload."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SubmitField


class ImportForm(FlaskForm):
    file = FileField("Workspace file (cascade/v1 JSON)",
                     validators=[FileRequired("Choose a file to import."),
                                 FileAllowed(["json"], "Choose a .json file.")])
    replace = BooleanField("Replace the workspace with the same slug, and everything in it")
    submit = SubmitField("Import")

"""The workspace as a `cascade/v1` file, out and in, for admins' tokens with the admin scope:
the same export and the same import (every problem at its JSON path; a file enrols nobody)
as the Import/export page."""

from __future__ import annotations

from flask import current_app, g, request
from pydantic import Field

from cascade import interchange
from cascade.api import bp
from cascade.api import schemas as s
from cascade.api.problems import ApiProblem
from cascade.api.spec import operation
from cascade.db import db
from cascade.interchange import upload


class ImportQuery(s.Query):
    replace: bool = Field(False, description="Replace this workspace (the file's slug is "
                                             "this workspace's). Its tokens stop working.")


@operation(bp, "/w/<workspace>/export", "GET", summary="The workspace as a cascade/v1 file",
           scope="admin", action="workspace.admin", response=s.WorkspaceFile,
           tags=("exchange",))
def export_workspace():
    return current_app.response_class(upload.export_bytes(g.workspace),
                                      mimetype="application/json")


@operation(bp, "/w/<workspace>/import", "POST",
           summary="Import a cascade/v1 file: this workspace replaced, or a new one",
           scope="admin", action="workspace.admin", query=ImportQuery, body=s.WorkspaceFile,
           response=s.Imported, status=201, parse_body=False, tags=("exchange",),
           description="The body is read within the import limits (size, nesting, objects) "
                       "before anything is built.")
def import_workspace(query: ImportQuery):
    data = request.get_data(cache=False)
    try:
        ws, enrol = upload.import_upload(data, g.workspace, g.person, query.replace)
    except interchange.InvalidFile as error:
        db.session.rollback()
        raise ApiProblem(422, f"The file has {len(error.problems)} problem(s); nothing was "
                              "imported.", errors=[{"path": path, "in": "body",
                                                    "message": message}
                                                   for path, message in error.problems]) \
            from None
    answer = s.Imported(workspace=ws.slug, name=ws.name,
                        invited=[invitation.email for invitation, _ in enrol.invited])
    db.session.commit()
    return answer


import_workspace.upload_limit = "IMPORT_MAX_BYTES"

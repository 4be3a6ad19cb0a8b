"""The contract itself: the OpenAPI document and a page that renders it, both public."""

from __future__ import annotations

from flask import current_app, jsonify, render_template

from cascade.api import bp, reference
from cascade.api.spec import document, operation


@operation(bp, "/openapi.json", "GET", summary="The OpenAPI 3.1 document of this API",
           scope=None, action=None, tags=("meta",))
def openapi():
    return jsonify(document(current_app))


@operation(bp, "/docs", "GET", summary="The API reference, rendered from the document",
           scope=None, action=None, tags=("meta",))
def docs():
    return render_template("api/docs.html", spec=document(current_app), reference=reference)

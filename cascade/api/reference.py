"""The OpenAPI document turned into plain rows for the reference page (no script, no CDN):
operations grouped by tag, and each schema's properties with readable types."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    name: str
    type: str
    required: bool
    description: str


def type_of(schema: dict) -> str:
    """A short readable type: `string`, `Node`, `list of Link`, `integer or null`.

    >>> type_of({"anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]})
    'Node or null'
    """
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(type_of(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {type_of(schema.get('items', {}))}"
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return str(kind)


def properties(schema: dict) -> list[Row]:
    required = set(schema.get("required", ()))
    return [Row(name, type_of(prop), name in required, prop.get("description", ""))
            for name, prop in schema.get("properties", {}).items()]


def operations(spec: dict) -> list[tuple[str, list[dict]]]:
    """(tag, operations) in the document's order; each operation with its path and method."""
    groups: dict[str, list[dict]] = {}
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            tag = (op.get("tags") or ["other"])[0]
            scopes = [s for req in op.get("security", []) for s in next(iter(req.values()))]
            params = [Row(p["name"], f"{p['in']}: {type_of(p['schema'])}", p["required"],
                          p.get("description", "")) for p in op.get("parameters", [])]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            groups.setdefault(tag, []).append({
                "method": method.upper(), "path": path, "summary": op["summary"],
                "id": op["operationId"], "scopes": scopes, "parameters": params,
                "body": type_of(body["schema"]) if body else None,
                "responses": [(code, r["description"], _content_type(r))
                              for code, r in op["responses"].items()]})
    return list(groups.items())


def _content_type(response: dict) -> str:
    for media, content in response.get("content", {}).items():
        return f"{media}: {type_of(content['schema'])}"
    return ""

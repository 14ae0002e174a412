"""A Postman collection (v2.1) from the OpenAPI document: ``hubwire openapi export --postman``.

One folder per tag, one request per operation (method, ``{{baseUrl}}`` URL with path
parameters as ``:param``, query parameters, headers, an example JSON body from the spec's
examples), and bearer auth ``{{apiKey}}`` at collection level. A pure function of the spec, so
the same spec always gives the same collection."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

POSTMAN_SCHEMA: Final = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
METHODS: Final = ("get", "post", "put", "patch", "delete", "head", "options")
DEFAULT_FOLDER: Final = "Other"

Json = dict[str, Any]


def _resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """Follows local ``$ref``s (``#/components/...``) until a node without one."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref: str = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            return node
        seen.add(ref)
        target: Any = spec
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, Mapping) or part not in target:
                return node
            target = target[part]
        node = target
    return node


def _schema_example(spec: Mapping[str, Any], schema: Any, depth: int = 0) -> Any:
    """An example value for a schema: its own example, else one built from its shape."""
    schema = _resolve(spec, schema)
    if not isinstance(schema, Mapping) or depth > 6:
        return None
    if "example" in schema:
        return schema["example"]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    if "default" in schema:
        return schema["default"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for combinator in ("anyOf", "oneOf", "allOf"):
        options = schema.get(combinator)
        if isinstance(options, list):
            for option in options:
                resolved = _resolve(spec, option)
                if isinstance(resolved, Mapping) and resolved.get("type") != "null":
                    return _schema_example(spec, resolved, depth + 1)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties: Mapping[str, Any] = schema.get("properties") or {}
        required = schema.get("required") or list(properties)
        return {
            name: _schema_example(spec, properties[name], depth + 1)
            for name in required
            if name in properties
        }
    if kind == "array":
        item = _schema_example(spec, schema.get("items"), depth + 1)
        return [] if item is None else [item]
    scalar: dict[str, Any] = {"string": "", "integer": 0, "number": 0, "boolean": False}
    return scalar.get(kind) if isinstance(kind, str) else None


def request_body_example(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> Any:
    """The JSON example for an operation's request body, or None without a JSON body."""
    body = _resolve(spec, operation.get("requestBody"))
    if not isinstance(body, Mapping):
        return None
    content: Mapping[str, Any] = body.get("content") or {}
    media = content.get("application/json")
    if not isinstance(media, Mapping):
        return None
    if "example" in media:
        return media["example"]
    examples = media.get("examples")
    if isinstance(examples, Mapping):
        for example in examples.values():
            resolved = _resolve(spec, example)
            if isinstance(resolved, Mapping) and "value" in resolved:
                return resolved["value"]
    return _schema_example(spec, media.get("schema"))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _parameters(
    spec: Mapping[str, Any], path_item: Mapping[str, Any], operation: Mapping[str, Any]
) -> list[Json]:
    """Path-level then operation-level parameters, the operation's winning on a clash."""
    merged: dict[tuple[str, str], Json] = {}
    for raw in [*(path_item.get("parameters") or []), *(operation.get("parameters") or [])]:
        param = _resolve(spec, raw)
        if isinstance(param, Mapping) and "name" in param and "in" in param:
            merged[(str(param["in"]), str(param["name"]))] = dict(param)
    return list(merged.values())


def _param_value(spec: Mapping[str, Any], param: Mapping[str, Any]) -> str:
    if "example" in param:
        return _text(param["example"])
    schema = _resolve(spec, param.get("schema"))
    if isinstance(schema, Mapping) and ("example" in schema or "default" in schema):
        return _text(schema.get("example", schema.get("default")))
    return ""


def _request(
    spec: Mapping[str, Any],
    path: str,
    method: str,
    path_item: Mapping[str, Any],
    operation: Mapping[str, Any],
) -> Json:
    params = _parameters(spec, path_item, operation)
    segments = [
        f":{segment[1:-1]}" if segment.startswith("{") and segment.endswith("}") else segment
        for segment in path.strip("/").split("/")
        if segment
    ]
    query = [
        {
            "key": p["name"],
            "value": _param_value(spec, p),
            "description": p.get("description", ""),
            "disabled": not p.get("required", False),
        }
        for p in params
        if p["in"] == "query"
    ]
    variables = [
        {"key": p["name"], "value": _param_value(spec, p), "description": p.get("description", "")}
        for p in params
        if p["in"] == "path"
    ]
    headers: list[Json] = []
    for p in params:
        if p["in"] != "header":
            continue
        if p["name"].lower() == "idempotency-key":
            # Postman's dynamic variable: a fresh key on every send.
            headers.append({"key": p["name"], "value": "{{$guid}}", "type": "text"})
        else:
            headers.append(
                {
                    "key": p["name"],
                    "value": _param_value(spec, p),
                    "type": "text",
                    "disabled": not p.get("required", False),
                }
            )
    raw = "{{baseUrl}}/" + "/".join(segments)
    enabled = [q for q in query if not q["disabled"]]
    if enabled:
        raw += "?" + "&".join(f"{q['key']}={q['value']}" for q in enabled)
    url: Json = {"raw": raw, "host": ["{{baseUrl}}"], "path": segments}
    if query:
        url["query"] = query
    if variables:
        url["variable"] = variables
    request: Json = {
        "method": method.upper(),
        "header": headers,
        "url": url,
        "description": operation.get("description") or operation.get("summary") or "",
    }
    example = request_body_example(spec, operation)
    if example is not None:
        headers.append({"key": "Content-Type", "value": "application/json", "type": "text"})
        request["body"] = {
            "mode": "raw",
            "raw": json.dumps(example, indent=2),
            "options": {"raw": {"language": "json"}},
        }
    security = operation.get("security", spec.get("security"))
    if security == [] or security == [{}]:
        request["auth"] = {"type": "noauth"}
    return request


def openapi_to_postman(spec: Mapping[str, Any], *, base_url: str | None = None) -> Json:
    """The Postman v2.1 collection for an OpenAPI 3.x document.

    ``base_url`` sets the ``{{baseUrl}}`` variable (default: the spec's first server)."""
    info: Mapping[str, Any] = spec.get("info") or {}
    servers = spec.get("servers") or []
    default_url = servers[0].get("url", "") if servers and isinstance(servers[0], Mapping) else ""
    folders: dict[str, list[Json]] = {
        str(tag["name"]): [] for tag in spec.get("tags") or [] if isinstance(tag, Mapping)
    }
    tag_docs = {
        str(tag["name"]): str(tag.get("description", ""))
        for tag in spec.get("tags") or []
        if isinstance(tag, Mapping)
    }
    for path, path_item in (spec.get("paths") or {}).items():
        if not isinstance(path_item, Mapping):
            continue
        for method in METHODS:
            operation = path_item.get(method)
            if not isinstance(operation, Mapping):
                continue
            tags = operation.get("tags") or [DEFAULT_FOLDER]
            item: Json = {
                "name": operation.get("summary") or operation.get("operationId") or path,
                "request": _request(spec, path, method, path_item, operation),
                "response": [],
            }
            if operation.get("operationId"):
                item["id"] = operation["operationId"]
            folders.setdefault(str(tags[0]), []).append(item)
    return {
        "info": {
            "name": info.get("title", "API"),
            "description": info.get("description", ""),
            "version": info.get("version", ""),
            "schema": POSTMAN_SCHEMA,
        },
        "item": [
            {"name": name, "description": tag_docs.get(name, ""), "item": items}
            for name, items in folders.items()
            if items
        ],
        "auth": {
            "type": "bearer",
            "bearer": [{"key": "token", "value": "{{apiKey}}", "type": "string"}],
        },
        "variable": [
            {"key": "baseUrl", "value": base_url or default_url, "type": "string"},
            {"key": "apiKey", "value": "", "type": "string"},
        ],
    }


def render_collection(collection: Mapping[str, Any]) -> str:
    return json.dumps(collection, indent=2, ensure_ascii=False) + "\n"

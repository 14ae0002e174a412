"""Completes the generated OpenAPI document: required scopes, idempotency and error responses."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic.alias_generators import to_camel

from core.deps import Access
from core.schemas import ErrorEnvelope

_ERROR_EXAMPLES: dict[int, tuple[str, str]] = {
    400: ("INVALID_REQUEST", "The request is invalid or malformed."),
    401: ("UNAUTHORIZED", "The API key is not valid."),
    403: ("FORBIDDEN", "This credential lacks the `leads:read` scope."),
    404: ("NOT_FOUND", "The resource does not exist."),
    409: ("CONFLICT", "A request with this Idempotency-Key is still being processed."),
    413: ("PAYLOAD_TOO_LARGE", "The request body is too large."),
    415: (
        "UNSUPPORTED_MEDIA_TYPE",
        "Send the request body as JSON, with `Content-Type: application/json`.",
    ),
    422: ("VALIDATION_FAILED", "The request did not validate."),
    429: ("RATE_LIMITED", "Rate limit exceeded for the 'minute' window."),
    500: ("INTERNAL_ERROR", "An unexpected error occurred."),
}

IDEMPOTENCY_PARAMETER: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Makes the POST safe to retry: the first response is stored for 24 hours and replayed "
        "for the same key (`X-Idempotency-Key` is accepted too)."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "example": "3f1c9a52-8d0e-4c1b-9a57-2a0f4c1e7b11",
}


_PATH_PARAMETER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def spec_path(path: str) -> str:
    """A route's path template as the spec names it: parameters in camelCase like every
    other name of the API (``/v1/leads/{leadId}``). Only the names change: the URLs are the
    same, so clients and routes agree whatever the handlers' argument names."""
    return _PATH_PARAMETER.sub(lambda m: "{" + to_camel(m.group(1)) + "}", path)


@dataclass(frozen=True, slots=True)
class Operation:
    """One public operation: its path template (the route's), method and access."""

    path: str
    method: str
    access: Access | None
    route: APIRoute

    @property
    def spec_path(self) -> str:
        return spec_path(self.path)


def _find_access(dependant: Dependant) -> Access | None:
    for sub in dependant.dependencies:
        if isinstance(sub.call, Access):
            return sub.call
        found = _find_access(sub)
        if found is not None:
            return found
    return None


def operations(app: FastAPI) -> Iterator[Operation]:
    """Every API operation of the app (included routers resolved)."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        path = context.path_format or route.path_format
        for method in sorted(context.methods or route.methods or ()):
            yield Operation(path, method, _find_access(route.dependant), route)


def _error_response(status: int) -> dict[str, Any]:
    code, message = _ERROR_EXAMPLES[status]
    example = {
        "error": {
            "code": code,
            "message": message,
            "details": {},
            "requestId": "req_7f3k2m9x1q8w4e6r5t0y",
        }
    }
    return {
        "description": code.replace("_", " ").capitalize(),
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/ErrorEnvelope"},
                "example": example,
            }
        },
    }


def _complete(spec: dict[str, Any], app: FastAPI) -> None:
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    envelope = ErrorEnvelope.model_json_schema(
        by_alias=True, ref_template="#/components/schemas/{model}"
    )
    schemas.update(envelope.pop("$defs", {}))
    schemas["ErrorEnvelope"] = envelope
    for op in operations(app):
        entry = spec["paths"].get(op.path, {}).get(op.method.lower())
        if entry is None:
            continue
        statuses = [400, 422, 500]
        if op.access is not None:
            statuses += [401, 403, 429]
            note = (
                f"**Required scope:** `{op.access.scope}`"
                if op.access.scope
                else "**Authentication:** any valid credential"
            )
            entry["description"] = (
                f"{note}\n\n{entry['description']}" if entry.get("description") else note
            )
            entry["x-required-scope"] = op.access.scope
        else:
            # Said explicitly, so clients and generators know no credential is sent.
            entry["security"] = []
        if "{" in op.path:
            statuses.append(404)
        if op.method in ("POST", "PUT", "PATCH"):
            statuses.append(413)
        if op.route.body_field is not None:
            statuses.append(415)
        if op.method == "POST":
            statuses.append(409)
            entry.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
        responses = entry.setdefault("responses", {})
        # Routes may declare extra error statuses (e.g. 404 for an id named in the body).
        statuses += [
            int(code) for code in responses if code.isdigit() and int(code) in _ERROR_EXAMPLES
        ]
        for status in sorted(set(statuses)):
            responses[str(status)] = _error_response(status)
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    _camel_path_parameters(spec)


def _camel_path_parameters(spec: dict[str, Any]) -> None:
    renamed: dict[str, Any] = {}
    for path, item in spec["paths"].items():
        for entry in item.values():
            if not isinstance(entry, dict):
                continue
            for parameter in entry.get("parameters", []):
                if parameter.get("in") == "path":
                    parameter["name"] = to_camel(parameter["name"])
        renamed[spec_path(path)] = item
    spec["paths"] = renamed


def install_openapi(app: FastAPI) -> None:
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = generate()
            _complete(spec, app)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def render_spec(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"

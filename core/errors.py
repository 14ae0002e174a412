"""One error type, one envelope: ``{"error": {"code", "message", "details", "requestId"}}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from core.responses import JsonResponse

logger = logging.getLogger("hubwire.errors")


class HubwireError(Exception):
    """Base of every error the API reports. Subclasses fix the code and status."""

    code = "INTERNAL_ERROR"
    status = 500
    default_message = "An unexpected error occurred."

    def __init__(
        self,
        message: str | None = None,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.details = details or {}
        self.headers = headers or {}
        super().__init__(self.message)


class InvalidRequest(HubwireError):
    code, status, default_message = "INVALID_REQUEST", 400, "The request is invalid or malformed."


class Unauthorized(HubwireError):
    code, status, default_message = "UNAUTHORIZED", 401, "Missing or invalid credentials."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.headers.setdefault("WWW-Authenticate", 'Bearer realm="hubwire"')


class Forbidden(HubwireError):
    code, status, default_message = "FORBIDDEN", 403, "You are not allowed to do this."


class NotFound(HubwireError):
    code, status, default_message = "NOT_FOUND", 404, "The resource does not exist."


class MethodNotAllowed(HubwireError):
    code, status, default_message = "METHOD_NOT_ALLOWED", 405, "Method not allowed."


class Conflict(HubwireError):
    code, status, default_message = "CONFLICT", 409, "The request conflicts with current state."


class PayloadTooLarge(HubwireError):
    code, status, default_message = "PAYLOAD_TOO_LARGE", 413, "The request body is too large."


class UnsupportedMediaType(HubwireError):
    code, status = "UNSUPPORTED_MEDIA_TYPE", 415
    default_message = "Send the request body as JSON, with `Content-Type: application/json`."


class ValidationFailed(HubwireError):
    code, status, default_message = "VALIDATION_FAILED", 422, "The request did not validate."


class IdempotencyMismatch(HubwireError):
    code, status = "IDEMPOTENCY_MISMATCH", 422
    default_message = "This Idempotency-Key was already used with a different request."


class RateLimited(HubwireError):
    code, status, default_message = "RATE_LIMITED", 429, "Too many requests."


class ServiceUnavailable(HubwireError):
    code, status, default_message = "SERVICE_UNAVAILABLE", 503, "Temporarily unavailable."


def request_id_of(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def error_body(
    code: str, message: str, details: dict[str, Any] | None, request_id: str | None
) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "details": details or {},
            "requestId": request_id,
        }
    }


def render(error: HubwireError, request_id: str | None) -> JsonResponse:
    body = error_body(error.code, error.message, error.details, request_id)
    return JsonResponse(body, status_code=error.status, headers=error.headers)


def _takes_custom_fields(request: Request) -> bool:
    """Whether the route's body has a ``customFields`` object (leads, calls, …)."""
    body = getattr(request.scope.get("route"), "body_field", None)
    model = getattr(getattr(body, "field_info", None), "annotation", None)
    fields = getattr(model, "model_fields", {})
    return any((info.alias or name) == "customFields" for name, info in fields.items())


def _validation_details(request: Request, exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    custom = None
    for item in exc.errors():
        location = [str(part) for part in item.get("loc", ())]
        message = item.get("msg", "invalid")
        if (
            item.get("type") == "extra_forbidden"
            and location[:1] == ["body"]
            and len(location) == 2
        ):
            custom = _takes_custom_fields(request) if custom is None else custom
            if custom:
                # Seed data often carries provider- or business-specific fields at the top.
                message = (
                    f"Unknown field {location[1]!r}; put data of your own in customFields "
                    f'(e.g. {{"customFields": {{"{location[1]}": …}}}}).'
                )
        errors.append(
            {
                "field": ".".join(location[1:]) or location[0] if location else "",
                "in": location[0] if location else "body",
                "message": message,
                "type": item.get("type", "invalid"),
            }
        )
    return errors


def _unreadable(message: str, problem: str, kind: str, **where: int) -> InvalidRequest:
    """A body that could not be read at all: one error about the whole ``body``, with
    where it went wrong (``line``/``column`` or ``position``) when that is known."""
    at = ", ".join(f"{name} {value}" for name, value in where.items())
    entry: dict[str, Any] = {"field": "body", "in": "body", "message": problem, "type": kind}
    return InvalidRequest(
        f"{message}: {problem}{f' at {at}' if at else ''}.",
        details={"errors": [entry | where]},
    )


def _unread_body(request: Request, exc: RequestValidationError) -> HubwireError | None:
    """The body FastAPI could not hand to validation: sent as another media type (415),
    or JSON that does not parse (400, with the line and column)."""
    for item in exc.errors():
        location = tuple(item.get("loc", ()))
        if location == ("body",) and isinstance(item.get("input"), bytes):
            # FastAPI parses JSON only when the Content-Type says so; it passed bytes on.
            sent = request.headers.get("content-type")
            return UnsupportedMediaType(details={"contentType": sent})
        if item.get("type") == "json_invalid" and len(location) == 2:
            document, position = str(exc.body or ""), int(location[1])
            line = document.count("\n", 0, position) + 1
            column = position - document.rfind("\n", 0, position)
            problem = str(item.get("ctx", {}).get("error") or "malformed JSON")
            return _unreadable(
                "The request body is not valid JSON",
                problem,
                "json_invalid",
                line=line,
                column=column,
            )
    return None


def _unparsable_body(cause: BaseException | None) -> HubwireError | None:
    """Why reading the JSON body failed, when it was not a syntax error."""
    if isinstance(cause, UnicodeDecodeError):
        return _unreadable(
            "The request body is not UTF-8, the encoding JSON is sent in",
            f"byte 0x{cause.object[cause.start]:02x} cannot start or continue a character",
            "utf8_invalid",
            position=cause.start,
        )
    if isinstance(cause, RecursionError):
        return _unreadable(
            "The request body cannot be read",
            "its arrays or objects nest too deeply",
            "json_too_deep",
        )
    return None


# deadlock_detected, serialization_failure
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})


def _sqlstate(exc: Exception) -> str | None:
    original = getattr(exc, "orig", None)
    for candidate in (original, getattr(original, "__cause__", None)):
        code = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if isinstance(code, str):
            return code
    return None


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app serves at this path. (Starlette's 405 names only
    the methods of the first route that matched the path: FastAPI makes one route per
    method, so ``/v1/leads`` said ``GET`` alone.)"""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods.update(route.methods or ())
    return sorted(methods)


def install_error_handlers(app: FastAPI) -> None:
    async def on_hubwire_error(request: Request, exc: Exception) -> JsonResponse:
        assert isinstance(exc, HubwireError)
        return render(exc, request_id_of(request))

    async def on_validation_error(request: Request, exc: Exception) -> JsonResponse:
        assert isinstance(exc, RequestValidationError)
        error = _unread_body(request, exc) or ValidationFailed(
            details={"errors": _validation_details(request, exc)}
        )
        return render(error, request_id_of(request))

    async def on_http_error(request: Request, exc: Exception) -> JsonResponse:
        assert isinstance(exc, StarletteHTTPException)
        error: HubwireError
        if exc.status_code == 404:
            error = NotFound("No route matches this path.")
        elif exc.status_code == 405:
            error = MethodNotAllowed(headers={"Allow": ", ".join(allowed_methods(request))})
        elif exc.status_code in (401, 403):
            error = Unauthorized() if exc.status_code == 401 else Forbidden()
        else:
            error = _unparsable_body(exc.__cause__) or InvalidRequest(str(exc.detail))
            error.status = exc.status_code
        return render(error, request_id_of(request))

    async def on_database_error(request: Request, exc: Exception) -> Response:
        # Two transactions that locked the same rows in opposite orders: PostgreSQL aborts one.
        # Nothing was written, so the client may simply retry; anything else stays a 500.
        if _sqlstate(exc) in TRANSIENT_SQLSTATES:
            error = ServiceUnavailable(
                "The request collided with concurrent work and was rolled back; retry it.",
                headers={"Retry-After": "1"},
            )
            return render(error, request_id_of(request))
        raise exc

    app.add_exception_handler(HubwireError, on_hubwire_error)
    app.add_exception_handler(DBAPIError, on_database_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)

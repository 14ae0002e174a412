"""Typed errors mirroring the Hubwire error envelope.

Every failed API call raises a subclass of :class:`HubwireError` carrying the envelope's
``code``, ``message``, ``details`` and ``request_id`` and the HTTP ``status``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from ._retry import parse_retry_after


class HubwireError(Exception):
    """Base of every error the SDK raises."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        details: Mapping[str, Any] | None = None,
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.details: dict[str, Any] = dict(details or {})
        self.request_id = request_id
        self.headers: dict[str, str] = dict(headers or {})

    def __str__(self) -> str:
        parts = [f"{self.code}: {self.message}" if self.code else self.message]
        if self.status is not None:
            parts.append(f"(HTTP {self.status})")
        if self.request_id:
            parts.append(f"[{self.request_id}]")
        return " ".join(parts)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, status={self.status!r}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )


class APIConnectionError(HubwireError):
    """The server could not be reached (after the retries)."""


class APITimeoutError(APIConnectionError):
    """The request timed out (after the retries)."""


class BadRequestError(HubwireError):
    """400 ``INVALID_REQUEST``."""


class AuthenticationError(HubwireError):
    """401 ``UNAUTHORIZED``: a missing, unknown, expired or revoked key or token."""


class PermissionDeniedError(HubwireError):
    """403 ``FORBIDDEN``: the key lacks the scope the route needs."""


class NotFoundError(HubwireError):
    """404 ``NOT_FOUND``."""


class ConflictError(HubwireError):
    """409 ``CONFLICT`` (also a concurrent request with the same idempotency key)."""


class PayloadTooLargeError(HubwireError):
    """413 ``PAYLOAD_TOO_LARGE``."""


class ValidationError(HubwireError):
    """422 ``VALIDATION_FAILED``; ``details`` says which fields."""


class IdempotencyMismatchError(ValidationError):
    """422 ``IDEMPOTENCY_MISMATCH``: an idempotency key was reused with another body."""


class RateLimitedError(HubwireError):
    """429 ``RATE_LIMITED`` once the retries are spent; ``retry_after`` in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class InternalServerError(HubwireError):
    """5xx ``INTERNAL_ERROR`` (after the retries)."""


class ServiceUnavailableError(InternalServerError):
    """503 ``SERVICE_UNAVAILABLE`` (after the retries)."""


class WebhookVerificationError(HubwireError):
    """A webhook's signature or timestamp did not verify."""


_BY_CODE: dict[str, type[HubwireError]] = {
    "IDEMPOTENCY_MISMATCH": IdempotencyMismatchError,
    "SERVICE_UNAVAILABLE": ServiceUnavailableError,
}
_BY_STATUS: dict[int, type[HubwireError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    422: ValidationError,
    429: RateLimitedError,
    503: ServiceUnavailableError,
}


def error_from_response(response: httpx.Response) -> HubwireError:
    """Builds the typed error for a non-2xx response (whose body has been read)."""
    status = response.status_code
    error: Mapping[str, Any] = {}
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    if isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
        error = body["error"]
    code = error.get("code") if isinstance(error.get("code"), str) else None
    message = error.get("message")
    if not isinstance(message, str):
        message = response.text[:500] or response.reason_phrase or f"HTTP {status}"
    details = error.get("details") if isinstance(error.get("details"), Mapping) else None
    request_id = error.get("requestId") or response.headers.get("X-Request-Id")
    cls = _BY_CODE.get(code or "") or _BY_STATUS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else HubwireError
    kwargs: dict[str, Any] = {
        "code": code,
        "status": status,
        "details": details,
        "request_id": request_id,
        "headers": dict(response.headers),
    }
    if issubclass(cls, RateLimitedError):
        kwargs["retry_after"] = parse_retry_after(response.headers.get("Retry-After"))
    return cls(message, **kwargs)

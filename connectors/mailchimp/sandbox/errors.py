"""Mailchimp's error bodies: problem JSON (RFC 7807) with ``type``, ``title``, ``status``,
``detail`` and ``instance``, plus ``errors`` on validation failures.
Source: https://mailchimp.com/developer/marketing/docs/errors/ (checked 2026-12)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.responses import JSONResponse

ERROR_TYPE = "https://mailchimp.com/developer/marketing/docs/errors/"
INVALID_RESOURCE = "The resource submitted could not be validated. For field-specific details, see the 'errors' array."  # noqa: E501


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.errors = status, title, detail, errors

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": ERROR_TYPE,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": str(uuid.uuid4()),
        }
        if self.errors is not None:
            body["errors"] = self.errors
        return body

    def response(self, headers: dict[str, str] | None = None) -> JSONResponse:
        return JSONResponse(
            self.body(),
            status_code=self.status,
            media_type="application/problem+json",
            headers=headers,
        )


def not_found() -> ApiError:
    return ApiError(404, "Resource Not Found", "The requested resource could not be found.")


def invalid(detail: str, errors: list[dict[str, str]] | None = None) -> ApiError:
    return ApiError(400, "Invalid Resource", detail, errors)


def invalid_fields(errors: list[dict[str, str]]) -> ApiError:
    return ApiError(400, "Invalid Resource", INVALID_RESOURCE, errors)


def bad_json() -> ApiError:
    return ApiError(
        400,
        "JSON Schema Validation Failed",
        "The submitted JSON could not be parsed or does not match the schema.",
    )


def unauthorized() -> ApiError:
    return ApiError(
        401,
        "API Key Invalid",
        "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
    )


def too_many_connections(limit: int) -> ApiError:
    return ApiError(
        429,
        "Too Many Requests",
        f"You have exceeded the limit of {limit} simultaneous connections.",
    )

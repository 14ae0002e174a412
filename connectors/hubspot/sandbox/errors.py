"""HubSpot's error bodies, and the handlers that render them for every router."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from connectors.hubspot.sandbox.store import StoreError


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        category: str,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.category = status, message, category
        self.headers = headers or {}
        self.extra = extra or {}


def error_body(message: str, category: str, **extra: Any) -> dict[str, Any]:
    return {
        "status": "error",
        "message": message,
        "correlationId": str(uuid.uuid4()),
        "category": category,
        **extra,
    }


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        body = error_body(exc.message, exc.category, **exc.extra)
        return JSONResponse(body, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StoreError)
    async def _store_error(_: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse(error_body(exc.message, exc.category), status_code=exc.status)

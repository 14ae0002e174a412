"""The request pipeline: request ids, body limits, and one envelope for every failure."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from core.app import create_app
from core.settings import Settings
from tests.conftest import Api


async def test_every_response_has_a_request_id(api: Api, http: httpx.AsyncClient) -> None:
    ok = await api.get("/v1/leads")
    assert ok.headers["X-Request-Id"].startswith("req_")
    unauthenticated = await http.get("/v1/leads")
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["error"]["requestId"] == unauthenticated.headers["X-Request-Id"]
    echoed = await api.get("/v1/leads", headers={"X-Request-Id": "trace-42.abc"})
    assert echoed.headers["X-Request-Id"] == "trace-42.abc"
    unsafe = await api.get("/v1/leads", headers={"X-Request-Id": "bad id with spaces"})
    assert unsafe.headers["X-Request-Id"].startswith("req_")


async def test_oversized_bodies_get_413(api: Api, settings: Settings) -> None:
    big = "x" * (settings.max_body_bytes + 1)
    declared = await api.post(
        "/v1/leads", content=big, headers={"Content-Type": "application/json"}
    )
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert declared.json()["error"]["details"]["maxBytes"] == settings.max_body_bytes

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(settings.max_body_bytes // 65536 + 2):
            yield b"x" * 65536

    streamed = await api.post(
        "/v1/leads", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413


async def test_unknown_routes_and_methods_use_the_envelope(api: Api) -> None:
    missing = await api.get("/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "NOT_FOUND"
    wrong_method = await api.request("PUT", "/v1/leads")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


async def test_an_unhandled_error_is_a_500_envelope_with_the_request_id(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/boom", include_in_schema=False)
    async def boom() -> None:
        raise RuntimeError("secret internals")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/boom")
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "INTERNAL_ERROR"
    assert "secret internals" not in response.text
    assert error["requestId"] == response.headers["X-Request-Id"]

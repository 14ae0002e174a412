"""Errors rendered in the envelope: a deadlock is a 503 the client may retry, a body that
is not JSON a 415, one that does not parse a 400 that says what and where."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from core.app import create_app
from core.settings import Settings
from tests.conftest import Api

UPDATE_ROW = text("UPDATE deadlock_probe SET id = id WHERE id = :id")


async def _real_deadlock(database_url: str) -> DBAPIError:
    """Two transactions lock two rows in opposite orders; PostgreSQL aborts one of them."""
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text("CREATE TABLE IF NOT EXISTS deadlock_probe (id int PRIMARY KEY)")
            )
            await conn.execute(text("DELETE FROM deadlock_probe"))
            await conn.execute(text("INSERT INTO deadlock_probe VALUES (1), (2)"))
        both_locked_first = asyncio.Barrier(2)

        async def lock(first: int, second: int) -> None:
            async with engine.begin() as conn:
                await conn.execute(UPDATE_ROW, {"id": first})
                await both_locked_first.wait()
                await conn.execute(UPDATE_ROW, {"id": second})

        results = await asyncio.gather(lock(1, 2), lock(2, 1), return_exceptions=True)
        errors = [r for r in results if isinstance(r, DBAPIError)]
        assert len(errors) == 1, results
        return errors[0]
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_a_deadlock_is_a_503_the_client_may_retry(settings: Settings) -> None:
    deadlock = await _real_deadlock(settings.database_url)
    app = create_app(settings.model_copy(update={"embedded_worker": False}))

    @app.get("/deadlock", include_in_schema=False)
    async def collide() -> None:
        raise deadlock

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/deadlock")
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert response.headers["Retry-After"] == "1"


async def test_other_database_errors_stay_500(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"embedded_worker": False}))

    @app.get("/broken", include_in_schema=False)
    async def broken() -> None:
        raise DBAPIError("SELECT 1", None, Exception("disk full"))

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/broken")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "INTERNAL_ERROR"


async def test_a_405_names_every_method_of_the_path(api: Api) -> None:
    for method, path, allowed in (
        ("OPTIONS", "/v1/leads", "GET, POST"),
        ("PUT", "/v1/leads", "GET, POST"),
        ("PUT", "/v1/leads/lead_x", "DELETE, GET, PATCH"),
    ):
        answer = await api.request(method, path)
        assert answer.status_code == 405, (method, path)
        assert answer.headers["allow"] == allowed, (method, path)
        assert answer.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"name=Ada&email=ada%40example.com", "application/x-www-form-urlencoded"),
        (b'{"name": "Ada", "email": "ada@example.com"}', "text/plain"),
        (b'{"name": "Ada", "email": "ada@example.com"}', None),
    ],
)
async def test_a_body_not_sent_as_json_is_a_415_saying_what_to_send(
    api: Api, content: bytes, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = await api.post("/v1/leads", content=content, headers=headers)
    assert response.status_code == 415, response.text
    error = response.json()["error"]
    assert error["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert "`Content-Type: application/json`" in error["message"]
    assert error["details"] == {"contentType": content_type}
    assert error["requestId"] == response.headers["X-Request-Id"]
    # The same bytes as JSON are fine.
    sent = await api.post(
        "/v1/leads",
        content=b'{"name": "Ada", "email": "ada-json@example.com"}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert sent.status_code == 201, sent.text


async def _unreadable(api: Api, content: bytes) -> dict[str, Any]:
    response = await api.post(
        "/v1/leads", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert error["requestId"] == response.headers["X-Request-Id"]
    return error


async def test_malformed_json_says_what_is_wrong_and_where(api: Api) -> None:
    error = await _unreadable(api, b'{"name": "Ada",\n "email": }')
    assert error["message"] == (
        "The request body is not valid JSON: Expecting value at line 2, column 11."
    )
    assert error["details"]["errors"] == [
        {
            "field": "body",
            "in": "body",
            "message": "Expecting value",
            "type": "json_invalid",
            "line": 2,
            "column": 11,
        }
    ]


async def test_a_body_that_is_not_utf8_names_the_byte(api: Api) -> None:
    error = await _unreadable(api, b'{"name": "caf\xe9"}')
    assert error["message"].startswith("The request body is not UTF-8")
    [entry] = error["details"]["errors"]
    assert entry["type"] == "utf8_invalid"
    assert entry["position"] == 13
    assert "0xe9" in entry["message"]


async def test_a_body_nested_too_deeply_says_so(api: Api) -> None:
    error = await _unreadable(api, b"[" * 100_000 + b"]" * 100_000)
    assert error["message"] == (
        "The request body cannot be read: its arrays or objects nest too deeply."
    )
    assert error["details"]["errors"][0]["type"] == "json_too_deep"

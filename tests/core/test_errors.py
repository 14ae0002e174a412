"""Database errors a retry resolves (a deadlock) are a 503 with Retry-After, not a 500."""

from __future__ import annotations

import asyncio

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

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core import __version__
from core.container import Services
from core.health.service import health
from tests.conftest import Api, Tenant


class BrokenRedis:
    async def ping(self) -> bool:
        raise ConnectionError("connection refused")


class HangingRedis:
    async def ping(self) -> bool:
        await asyncio.sleep(5)
        return True


async def test_health_reports_every_configured_check(
    http: httpx.AsyncClient, tenant: Tenant, backend: str
) -> None:
    # Any valid credential will do, whatever its scopes.
    api = Api(http, await tenant.key(["leads:read"]))
    response = await api.get("/v1/health")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"] == __version__
    now = datetime.now(UTC)
    assert abs(datetime.fromisoformat(body["time"]) - now) < timedelta(minutes=1)
    database = body["checks"]["database"]
    assert database["status"] == "ok"
    assert isinstance(database["latencyMs"], float | int) and database["latencyMs"] >= 0
    redis = body["checks"]["redis"]
    if backend == "embedded":
        assert redis == {"status": "not_configured"}
    else:
        assert redis["status"] == "ok" and redis["latencyMs"] >= 0
    assert "X-RateLimit-Limit" in response.headers


async def test_health_needs_a_valid_key(http: httpx.AsyncClient) -> None:
    anonymous = await http.get("/v1/health")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "UNAUTHORIZED"
    wrong = await http.get("/v1/health", headers={"Authorization": "Bearer hw_live_nope_nope"})
    assert wrong.status_code == 401


async def test_a_failing_redis_makes_it_503_with_the_same_shape(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "redis", BrokenRedis())
    response = await api.get("/v1/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["redis"] == {"status": "fail", "error": "unavailable"}
    assert "connection refused" not in response.text


async def test_a_hanging_redis_times_out(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "redis", HangingRedis())
    monkeypatch.setattr(health, "timeout", 0.05)
    started = asyncio.get_running_loop().time()
    response = await api.get("/v1/health")
    assert asyncio.get_running_loop().time() - started < 2
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == {"status": "fail", "error": "timeout"}

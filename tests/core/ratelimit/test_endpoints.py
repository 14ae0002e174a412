from __future__ import annotations

import httpx

from tests.conftest import Api, Tenant

SEED_TIERS = {
    "basic": {
        "requestsPerMinute": 60,
        "requestsPerHour": 1000,
        "requestsPerDay": 10000,
        "burst": 10,
    },
    "standard": {
        "requestsPerMinute": 120,
        "requestsPerHour": 5000,
        "requestsPerDay": 50000,
        "burst": 20,
    },
    "premium": {
        "requestsPerMinute": 300,
        "requestsPerHour": 15000,
        "requestsPerDay": 150000,
        "burst": 50,
    },
    "enterprise": {
        "requestsPerMinute": 600,
        "requestsPerHour": 50000,
        "requestsPerDay": 500000,
        "burst": 100,
    },
}


async def test_tiers_and_the_callers_own_limits(http: httpx.AsyncClient, tenant: Tenant) -> None:
    # No particular scope is needed.
    api = Api(http, await tenant.key(["leads:read"], tier="standard", rate_limit_override=None))
    response = await api.get("/v1/rate-limits")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "data": SEED_TIERS,
        "current": {"tier": "standard", **SEED_TIERS["standard"], "override": None},
    }
    assert response.headers["X-RateLimit-Limit"] in {"20", "120", "5000", "50000"}


async def test_an_override_scales_the_whole_tier(http: httpx.AsyncClient, tenant: Tenant) -> None:
    api = Api(http, await tenant.key(["leads:read"], tier="basic", rate_limit_override=120))
    current = (await api.get("/v1/rate-limits")).json()["current"]
    assert current == {
        "tier": "basic",
        "requestsPerMinute": 120,
        "requestsPerHour": 2000,
        "requestsPerDay": 20000,
        "burst": 20,
        "override": 120,
    }


async def test_rate_limits_need_a_valid_key(http: httpx.AsyncClient) -> None:
    response = await http.get("/v1/rate-limits")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"

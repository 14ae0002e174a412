"""Idempotency-Key on POST: replay, mismatch, concurrent duplicates, release on 5xx."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select

from core.container import Services
from core.idempotency.service import request_fingerprint
from core.leads.models import Lead
from tests.conftest import Api, Tenant


async def _lead_count(services: Services, tenant: Tenant) -> int:
    async with services.db.session() as session:
        return int(
            await session.scalar(select(func.count()).where(Lead.workspace_id == tenant.id)) or 0
        )


async def test_same_key_replays_the_first_response(
    api: Api, services: Services, tenant: Tenant
) -> None:
    key = str(uuid.uuid4())
    body = {"name": "Once", "email": "once@example.com"}
    first = await api.post("/v1/leads", json=body, headers={"Idempotency-Key": key})
    second = await api.post("/v1/leads", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await _lead_count(services, tenant) == 1


async def test_x_idempotency_key_is_read_too(api: Api, services: Services, tenant: Tenant) -> None:
    key = str(uuid.uuid4())
    for _ in range(3):
        response = await api.post(
            "/v1/leads", json={"name": "Alias"}, headers={"X-Idempotency-Key": key}
        )
        assert response.status_code == 201
    assert await _lead_count(services, tenant) == 1


async def test_same_key_with_another_body_is_a_mismatch(api: Api) -> None:
    key = str(uuid.uuid4())
    await api.post("/v1/leads", json={"name": "A"}, headers={"Idempotency-Key": key})
    other = await api.post("/v1/leads", json={"name": "B"}, headers={"Idempotency-Key": key})
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "IDEMPOTENCY_MISMATCH"


async def test_keys_are_scoped_to_the_caller(api: Api, tenant: Tenant) -> None:
    other_caller = Api(api.http, await tenant.key())
    key = str(uuid.uuid4())
    a = await api.post("/v1/leads", json={"name": "Mine"}, headers={"Idempotency-Key": key})
    b = await other_caller.post(
        "/v1/leads", json={"name": "Mine"}, headers={"Idempotency-Key": key}
    )
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


async def test_a_duplicate_while_the_first_runs_gets_409(api: Api, services: Services) -> None:
    key = str(uuid.uuid4())
    body = b'{"name":"Slow"}'
    principal_id = "api_key:key_" + api.key.split("_")[2]
    # The first request is still in flight: its reservation exists but is not completed.
    await services.idempotency.reserve(
        principal_id, key, request_fingerprint("POST", "/v1/leads", body)
    )
    duplicate = await api.post(
        "/v1/leads",
        content=body,
        headers={"Idempotency-Key": key, "Content-Type": "application/json"},
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "CONFLICT"


async def test_concurrent_duplicates_create_one_record(
    api: Api, services: Services, tenant: Tenant
) -> None:
    key = str(uuid.uuid4())
    responses = await asyncio.gather(
        *(
            api.post("/v1/leads", json={"name": "Race"}, headers={"Idempotency-Key": key})
            for _ in range(8)
        )
    )
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}
    assert 201 in statuses
    assert await _lead_count(services, tenant) == 1
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1


async def test_a_server_error_releases_the_key(api: Api, services: Services) -> None:
    key = str(uuid.uuid4())
    principal_id = "api_key:key_" + api.key.split("_")[2]
    fingerprint = request_fingerprint("POST", "/v1/leads", b'{"name":"Retry"}')
    reservation = await services.idempotency.reserve(principal_id, key, fingerprint)
    await services.idempotency.complete(reservation, 503, b"{}", "application/json")
    retried = await api.post(
        "/v1/leads",
        content=b'{"name":"Retry"}',
        headers={"Idempotency-Key": key, "Content-Type": "application/json"},
    )
    assert retried.status_code == 201


@pytest.mark.parametrize("header", ["Idempotency-Key", "X-Idempotency-Key"])
@pytest.mark.parametrize("key", ["", "k" * 256, "tab\there", "bell\x07"])
async def test_an_empty_overlong_or_control_character_key_is_refused(
    api: Api, services: Services, tenant: Tenant, header: str, key: str
) -> None:
    response = await api.post("/v1/leads", json={"name": "x"}, headers={header: key})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert error["details"] == {"header": "Idempotency-Key"}
    assert "1-255 characters" in error["message"]
    assert await _lead_count(services, tenant) == 0

"""The Python SDK against a live Hubwire server over HTTP."""

from __future__ import annotations

import asyncio
import logging
import time

import httpx
import pytest
from hubwire import (
    AsyncHubwire,
    AuthenticationError,
    Hubwire,
    IdempotencyMismatchError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
    webhooks,
)
from hubwire.models import LeadOut

from tests.conftest import Tenant
from tests.core.webhooks.receiver import running_receiver


async def test_create_list_across_pages_update_delete(sdk_server: str, tenant: Tenant) -> None:
    key = await tenant.key()

    def scenario() -> None:
        with Hubwire(api_key=key, base_url=sdk_server) as client:
            created = [
                client.leads.create(email=f"p{i}@example.com", name=f"P {i}", tags=["sdk"])
                for i in range(5)
            ]
            assert all(isinstance(lead, LeadOut) for lead in created)
            assert created[0].id.startswith("lead_") and created[0].status == "new"

            qualified = client.leads.update(created[0].id, status="qualified")
            assert qualified.status == "qualified" and qualified.name == "P 0"

            # Iterating follows pagination.nextCursor: 4 "new" leads, 2 per page.
            new = client.leads.list(status="new", page_size=2)
            assert sorted(lead.id for lead in new) == sorted(lead.id for lead in created[1:])
            assert [len(page.data) for page in new.pages()] == [2, 2]
            assert len(list(client.leads.list(page_size=100))) == 5
            # `limit`, the API's name, works the same; the older page_size agrees or fails.
            by_limit = client.leads.list(status="new", limit=3)
            assert [len(page.data) for page in by_limit.pages()] == [3, 1]
            with pytest.raises(TypeError, match="give the page size once"):
                client.leads.list(limit=3, page_size=2)

            assert client.leads.get(created[1].id).email == "p1@example.com"
            client.leads.delete(created[1].id)
            with pytest.raises(NotFoundError) as caught:
                client.leads.get(created[1].id)
            error = caught.value
            assert error.status == 404 and error.code == "NOT_FOUND"
            assert error.request_id and error.message

    await asyncio.to_thread(scenario)


async def test_errors_are_typed(sdk_server: str, tenant: Tenant) -> None:
    key = await tenant.key()
    read_only = await tenant.key(["leads:read"])

    def scenario() -> None:
        with Hubwire(api_key="hw_live_nope_nope", base_url=sdk_server) as bad:
            with pytest.raises(AuthenticationError) as unauthorized:
                list(bad.leads.list())
            assert unauthorized.value.status == 401
        with Hubwire(api_key=read_only, base_url=sdk_server) as client:
            with pytest.raises(PermissionDeniedError) as forbidden:
                client.leads.create(email="x@example.com")
            assert forbidden.value.code == "FORBIDDEN"
        with Hubwire(api_key=key, base_url=sdk_server) as client:
            with pytest.raises(ValidationError) as invalid:
                client.leads.create(email="not-an-email")
            assert invalid.value.status == 422 and invalid.value.details
            with pytest.raises(NotFoundError):
                client.webhooks.get("wh_missing")

    await asyncio.to_thread(scenario)


async def test_posts_are_idempotent(sdk_server: str, tenant: Tenant) -> None:
    key = await tenant.key()

    def scenario() -> None:
        with Hubwire(api_key=key, base_url=sdk_server) as client:
            first = client.leads.create(email="once@example.com", idempotency_key="order-1")
            again = client.leads.create(email="once@example.com", idempotency_key="order-1")
            assert again.id == first.id
            with pytest.raises(IdempotencyMismatchError):
                client.leads.create(email="other@example.com", idempotency_key="order-1")
            assert len(list(client.leads.list())) == 1

    await asyncio.to_thread(scenario)


async def test_429_is_retried_after_retry_after(
    sdk_server: str, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    # basic scaled to 30/min: a burst of 5 per second, so a 429 says "Retry-After: 1".
    key = await tenant.key(tier="basic", rate_limit_override=30)
    caplog.set_level(logging.INFO, logger="hubwire")

    def scenario() -> float:
        with (
            httpx.Client(base_url=sdk_server, headers={"Authorization": f"Bearer {key}"}) as raw,
            Hubwire(api_key=key, base_url=sdk_server, max_retries=3) as client,
        ):
            for _ in range(3):
                # Spend this second's burst, then ask through the SDK at once.
                while raw.get("/v1/leads").status_code != 429:
                    pass
                started = time.monotonic()
                assert client.leads.page().data == []
                if any("HTTP 429" in r.getMessage() for r in caplog.records):
                    return time.monotonic() - started
        raise AssertionError("the SDK never met a 429")

    elapsed = await asyncio.to_thread(scenario)
    retry = next(r for r in caplog.records if "HTTP 429" in r.getMessage())
    assert "in 1.00 s" in retry.getMessage()  # the wait Retry-After asked for
    assert elapsed >= 1.0


async def test_async_client(sdk_server: str, tenant: Tenant) -> None:
    key = await tenant.key()
    async with AsyncHubwire(api_key=key, base_url=sdk_server) as client:
        created = [await client.leads.create(email=f"a{i}@example.com") for i in range(3)]
        ids = [lead.id async for lead in client.leads.list(page_size=2)]
        assert sorted(ids) == sorted(lead.id for lead in created)
        updated = await client.leads.update(created[0].id, company="Acme")
        assert updated.company == "Acme"
        await client.leads.delete(created[0].id)
        with pytest.raises(NotFoundError):
            await client.leads.get(created[0].id)
        events = [event.type_ async for event in client.events.list(type="lead.created")]
        assert events.count("lead.created") == 3


async def test_a_delivered_webhook_verifies(sdk_server: str, tenant: Tenant) -> None:
    key = await tenant.key()
    async with running_receiver() as receiver:

        def scenario() -> str:
            with Hubwire(api_key=key, base_url=sdk_server) as client:
                created = client.webhooks.create(url=receiver.url(), events=["lead.*"])
                assert created.secret.startswith("whsec_")
                assert client.webhooks.test(created.id).success is True
                assert [w.id for w in client.webhooks.list()] == [created.id]
                return created.secret

        secret = await asyncio.to_thread(scenario)
        (request,) = receiver.received
        event = webhooks.verify(request.body.encode(), request.headers, secret)
        assert event["type"] == "webhook.test"
        with pytest.raises(webhooks.WebhookVerificationError):
            webhooks.verify(request.body.encode() + b" ", request.headers, secret)

"""Retry policy of the SDK's transport, driven by scripted responses."""

from __future__ import annotations

import time

import httpx
import pytest
from hubwire import APIConnectionError, Hubwire, InternalServerError, RateLimitedError

LEAD = {"id": "lead_1", "email": "a@example.com", "status": "new"}


def _client(responses: list[httpx.Response | Exception], seen: list[httpx.Request]) -> Hubwire:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = responses.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    transport = httpx.MockTransport(handler)
    return Hubwire(api_key="hw_test_x_y", base_url="http://hubwire.test", transport=transport)


def test_post_retries_with_one_idempotency_key_and_honours_retry_after() -> None:
    seen: list[httpx.Request] = []
    client = _client(
        [
            httpx.Response(503, headers={"Retry-After": "1"}, json={"error": {"code": "X"}}),
            httpx.ConnectError("refused"),
            httpx.Response(201, json=LEAD),
        ],
        seen,
    )
    started = time.monotonic()
    lead = client.leads.create(email="a@example.com")
    assert lead.id == "lead_1"
    assert time.monotonic() - started >= 1.0
    keys = {request.headers["Idempotency-Key"] for request in seen}
    assert len(seen) == 3 and len(keys) == 1


def test_gives_up_after_max_retries_with_a_typed_error() -> None:
    seen: list[httpx.Request] = []
    limited = httpx.Response(
        429,
        headers={"Retry-After": "0", "X-Request-Id": "req_1"},
        json={"error": {"code": "RATE_LIMITED", "message": "slow down", "details": {}}},
    )
    client = _client([limited, limited, limited], seen)
    with pytest.raises(RateLimitedError) as caught:
        client.leads.page()
    assert len(seen) == 3
    assert caught.value.retry_after == 0 and caught.value.request_id == "req_1"


def test_a_long_retry_after_is_not_waited_for() -> None:
    seen: list[httpx.Request] = []
    client = _client([httpx.Response(429, headers={"Retry-After": "3600"})], seen)
    with pytest.raises(RateLimitedError) as caught:
        client.leads.page()
    assert caught.value.retry_after == 3600 and len(seen) == 1


def test_non_json_5xx_and_connection_failures_are_typed() -> None:
    seen: list[httpx.Request] = []
    client = _client([httpx.Response(502, text="bad gateway")] * 3, seen)
    with pytest.raises(InternalServerError) as caught:
        client.leads.get("lead_1")
    assert caught.value.status == 502 and caught.value.code is None
    client = _client([httpx.ConnectError("refused")] * 3, [])
    with pytest.raises(APIConnectionError):
        client.leads.get("lead_1")

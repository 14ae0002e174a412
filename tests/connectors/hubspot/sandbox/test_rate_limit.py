"""Rate limits: a real 429 with Retry-After and HubSpot's X-HubSpot-RateLimit-* headers."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from hubspot.crm.contacts import ApiException, SimplePublicObjectInputForCreate

from tests.connectors.hubspot.sandbox.conftest import TOKEN, Running

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_short_window_then_recovers(make_sandbox: Callable[..., Running]) -> None:
    hs = make_sandbox(rate_limit_max=5, rate_limit_interval=1.0)
    api = hs.client().crm.contacts.basic_api
    for _ in range(5):
        api.get_page()
    # A POST, which urllib3 (under the SDK) does not retry by itself.
    with pytest.raises(ApiException) as limited:
        api.create(SimplePublicObjectInputForCreate(properties={"email": "x@example.com"}))
    assert limited.value.status == 429
    assert limited.value.headers["Retry-After"] == "1"
    assert limited.value.headers["X-HubSpot-RateLimit-Remaining"] == "0"
    assert '"policyName":"TEN_SECONDLY_ROLLING"' in limited.value.body.replace(" ", "")
    # A GET is retried by urllib3 after honouring Retry-After: the SDK call just succeeds.
    started = time.monotonic()
    api.get_page()
    assert time.monotonic() - started >= 0.5


def test_real_numbers_101st_request_in_10s_is_429(hs: Running) -> None:
    url = f"{hs.base}/crm/v3/objects/contacts"
    with httpx.Client(headers=AUTH) as http:
        statuses = [http.get(url).status_code for _ in range(101)]
        last = http.get(url)
    assert statuses[:100] == [200] * 100
    assert statuses[100] == 429
    assert last.headers["X-HubSpot-RateLimit-Max"] == "100"
    assert last.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
    assert 1 <= int(last.headers["Retry-After"]) <= 10
    assert last.json()["status"] == "error"


def test_oauth_and_admin_endpoints_are_not_limited(make_sandbox: Callable[..., Running]) -> None:
    hs = make_sandbox(rate_limit_max=1)
    with httpx.Client() as http:
        for _ in range(3):
            r = http.post(f"{hs.base}/_sandbox/objects/contacts", json={"properties": {}})
            assert r.status_code == 201


def test_search_has_limits_of_its_own(make_sandbox: Callable[..., Running]) -> None:
    """Five searches a second per account (besides the app's 100 per 10 s), at most 5 filter
    groups, 10 filters a group, 25 in all, and no result past the 10,000th."""
    now = [1_700_000_000.0]
    hs = make_sandbox(clock=lambda: now[0])
    search = hs.client().crm.contacts.search_api.do_search
    for _ in range(5):
        search({"limit": 1})
    with pytest.raises(ApiException) as limited:
        search({"limit": 1})
    assert limited.value.status == 429
    assert '"policyName":"SECONDLY"' in limited.value.body.replace(" ", "")
    assert "Retry-After" not in limited.value.headers
    assert hs.sandbox.store.stats().rate_limited == 1
    now[0] += 1.0  # the next second
    search({"limit": 1})

    def refused(body: dict[str, object]) -> str:
        now[0] += 1.0
        with pytest.raises(ApiException) as answer:
            search(body)
        assert answer.value.status == 400
        return str(answer.value.body)

    has = {"propertyName": "email", "operator": "HAS_PROPERTY"}
    assert "at most 5 filter groups" in refused({"filterGroups": [{"filters": [has]}] * 6})
    assert "at most 5 filter groups" in refused({"filterGroups": [{"filters": [has] * 11}]})
    assert "at most 5 filter groups" in refused({"filterGroups": [{"filters": [has] * 9}] * 3})
    assert "at most 10000 results" in refused({"limit": 100, "after": "9901"})
    now[0] += 1.0
    assert search({"limit": 100, "after": "9900"}).results == []
    assert search({"filterGroups": [{"filters": [has] * 10}] * 2 + [{"filters": [has] * 5}]})

"""GET /metrics: Prometheus's text format, request counts by route template, the state
gauges read from the database, the token and the switch."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from core.app import create_app
from core.settings import Settings
from tests.conftest import Api, Tenant

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    """Every sample of a scrape by (name, labels); raises on text the parser refuses."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def scrape(http: httpx.AsyncClient) -> Samples:
    response = await http.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return parse(response.text)


async def test_requests_are_counted_by_route_template_and_status(
    api: Api, http: httpx.AsyncClient
) -> None:
    before = await scrape(http)
    for _ in range(3):
        assert (await api.get("/v1/leads")).status_code == 200
    missing = await api.get("/v1/leads/lead_doesnotexist")
    assert missing.status_code == 404
    assert (await api.get("/v1/no-such-thing/42")).status_code == 404
    after = await scrape(http)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    listed = {"method": "GET", "route": "/v1/leads", "status": "200"}
    assert delta("hubwire_http_requests_total", **listed) == 3
    one = {"method": "GET", "route": "/v1/leads/{lead_id}", "status": "404"}
    assert delta("hubwire_http_requests_total", **one) == 1
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    assert delta("hubwire_http_requests_total", **unmatched) == 1
    timing = {"method": "GET", "route": "/v1/leads"}
    assert delta("hubwire_http_request_duration_seconds_count", **timing) == 3
    assert delta("hubwire_http_request_duration_seconds_bucket", le="+Inf", **timing) == 3
    # The template, never the raw path: no label holds an id.
    labels = {v for (_, pairs) in after for _, v in pairs}
    assert not any("lead_doesnotexist" in v or "/42" in v for v in labels)


async def test_events_written_count_after_the_commit(api: Api, http: httpx.AsyncClient) -> None:
    before = await scrape(http)
    created = await api.post("/v1/leads", json={"name": "Grace", "email": "grace@example.com"})
    assert created.status_code == 201, created.text
    refused = await api.post("/v1/leads", json={"name": "x" * 100_000})
    assert refused.status_code == 422  # refused: no event, nothing counted
    after = await scrape(http)
    name = "hubwire_events_written_total"
    assert value(after, name, type="lead.created") - value(before, name, type="lead.created") == 1


async def test_the_state_gauges_come_from_the_database(http: httpx.AsyncClient) -> None:
    samples = await scrape(http)
    for status in ("pending", "dead"):
        assert ("hubwire_webhook_deliveries_state", frozenset({("status", status)})) in samples
    families = {
        f.name: f.type for f in text_string_to_metric_families((await http.get("/metrics")).text)
    }
    assert families["hubwire_webhook_deliveries_state"] == "gauge"
    assert families["hubwire_jobs_state"] == "gauge"
    assert families["hubwire_connections_state"] == "gauge"
    assert families["hubwire_http_requests"] == "counter"
    assert families["hubwire_http_request_duration_seconds"] == "histogram"


async def test_rate_limit_refusals_are_counted(http: httpx.AsyncClient, tenant: Tenant) -> None:
    limited = Api(http, await tenant.key(tier="basic", rate_limit_override=1))
    before = await scrape(http)
    statuses = [(await limited.get("/v1/leads")).status_code for _ in range(3)]
    assert statuses.count(429) >= 1
    after = await scrape(http)
    refused = {
        labels: n - before.get((name, labels), 0.0)
        for (name, labels), n in after.items()
        if name == "hubwire_rate_limit_refusals_total"
    }
    assert sum(refused.values()) == statuses.count(429)
    listed = {"method": "GET", "route": "/v1/leads", "status": "429"}
    assert value(after, "hubwire_http_requests_total", **listed) - value(
        before, "hubwire_http_requests_total", **listed
    ) == statuses.count(429)


@pytest.fixture
async def guarded(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"metrics_token": "scrape-me"}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hubwire.test") as client:
        yield client


async def test_a_metrics_token_is_required_when_set(guarded: httpx.AsyncClient) -> None:
    anonymous = await guarded.get("/metrics")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "UNAUTHORIZED"
    wrong = await guarded.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    right = await guarded.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
    assert right.status_code == 200
    assert "hubwire_http_requests_total" in right.text
    parse(right.text)


async def test_the_setting_turns_metrics_off(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"metrics_enabled": False}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hubwire.test") as client:
        response = await client.get("/metrics")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_the_spec_leaves_metrics_out(settings: Settings) -> None:
    assert "/metrics" not in create_app(settings).openapi()["paths"]

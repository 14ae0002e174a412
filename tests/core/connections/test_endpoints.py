"""The Connections API: connect (OAuth consent or an API key), manage, test, sync, and read
what a connection's sync did."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import select, update

from core.connections.models import Connection, SyncItem, SyncLog
from core.container import Services
from core.settings import ConnectorClient
from tests.conftest import Api, Tenant
from tests.connectors import example
from tests.core.connections.conftest import DONE_URL, connect_hubspot, consent
from tests.core.jobs.polling import wait_for_job

pytestmark = pytest.mark.usefixtures("example_crm")

TOKEN_FIELDS = ("accessToken", "refreshToken", "apiKey", "credentials", "access_token")


async def _connect_key(api: Api, **extra: Any) -> dict[str, Any]:
    response = await api.post(
        "/v1/connections",
        json={"connector": "example_crm", "apiKey": example.API_KEY, **extra},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _row(services: Services, connection_id: str) -> Connection:
    async with services.db.session() as session:
        row = await session.get(Connection, connection_id)
    assert row is not None
    return row


async def _events(api: Api, type: str) -> list[dict[str, Any]]:
    response = await api.get("/v1/events", params={"type": type, "limit": 100})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def _no_secret_in(text: str, *secrets: str) -> None:
    for field in TOKEN_FIELDS:
        assert f'"{field}"' not in text
    for secret in secrets:
        assert secret not in text


# --- API-key connectors ---------------------------------------------------------------


async def test_an_api_key_connection_is_checked_then_active(api: Api, services: Services) -> None:
    created = await _connect_key(api, name="Example", settings={"region": "eu"})
    assert created["id"].startswith("conn_")
    assert created["status"] == "active"
    assert created["accountId"] == "Sandbox Ltd"
    assert created["authorizeUrl"] is None
    assert created["concurrencyLimit"] == 2 and created["settings"] == {"region": "eu"}
    assert created["activatedAt"] is not None and created["lastError"] is None
    _no_secret_in(str(created), example.API_KEY)
    fetched = (await api.get(f"/v1/connections/{created['id']}")).json()
    assert "authorizeUrl" not in fetched
    assert fetched == {k: v for k, v in created.items() if k != "authorizeUrl"}
    row = await _row(services, created["id"])
    assert row.credentials_sealed and example.API_KEY not in row.credentials_sealed
    assert services.secrets.open(row.credentials_sealed) == '{"api_key":"sandbox-key"}'
    connected = await _events(api, "connection.connected")
    assert [e["data"]["id"] for e in connected] == [created["id"]]
    _no_secret_in(str(connected), example.API_KEY)
    # (The app's worker pulls the new connection meanwhile: its steps are logged too.)
    logs = (await api.get(f"/v1/connections/{created['id']}/logs", params={"kind": "auth"})).json()
    assert [(log["kind"], log["message"]) for log in logs["data"]] == [("auth", "connected")]


async def test_a_refused_key_is_422_and_nothing_is_saved(api: Api) -> None:
    response = await api.post(
        "/v1/connections", json={"connector": "example_crm", "apiKey": "wrong-key"}
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    assert "refused the key" in error["message"]
    assert error["details"]["field"] == "apiKey"
    assert "wrong-key" not in response.text
    assert (await api.get("/v1/connections")).json()["data"] == []


async def test_an_unreachable_provider_is_503(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = ConnectorClient(base_url="http://127.0.0.1:9")
    monkeypatch.setitem(services.settings.connector_clients, "example_crm", closed)
    response = await api.post(
        "/v1/connections", json={"connector": "example_crm", "apiKey": example.API_KEY}
    )
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "SERVICE_UNAVAILABLE"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"connector": "example_crm"}, "apiKey"),
        ({"connector": "example_crm", "apiKey": ""}, "body.apiKey"),
        ({"connector": "example_crm", "apiKey": "k", "concurrencyLimit": 11}, None),
        ({"connector": "example_crm", "apiKey": "k", "token": "x"}, None),
        ({"connector": "Not A Slug"}, None),
    ],
)
async def test_bad_bodies_are_422(api: Api, body: dict[str, Any], field: str | None) -> None:
    response = await api.post("/v1/connections", json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    if field == "apiKey":
        assert error["details"]["field"] == "apiKey"


async def test_an_unknown_connector_is_422_listing_the_installed_ones(api: Api) -> None:
    response = await api.post("/v1/connections", json={"connector": "nosuch"})
    assert response.status_code == 422, response.text
    details = response.json()["error"]["details"]
    assert details["field"] == "connector"
    assert {"example_crm", "hubspot"} <= set(details["installed"])


async def test_an_oauth_connector_without_a_client_is_422(api: Api, services: Services) -> None:
    assert "hubspot" not in services.settings.connector_clients
    response = await api.post("/v1/connections", json={"connector": "hubspot"})
    assert response.status_code == 422, response.text
    assert "HUBWIRE_CONNECTOR_CLIENTS" in response.json()["error"]["message"]


async def test_the_sandbox_stands_in_when_sandboxes_are_on(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services.settings, "sandboxes", True)
    response = await api.post("/v1/connections", json={"connector": "hubspot"})
    assert response.status_code == 201, response.text
    authorize = urlsplit(response.json()["authorizeUrl"])
    base = urlsplit(services.settings.public_base_url)
    assert (authorize.netloc, authorize.path) == (base.netloc, "/sandbox/hubspot/oauth/authorize")
    assert parse_qs(authorize.query)["client_id"] == ["sandbox-client-id"]


# --- OAuth connectors -----------------------------------------------------------------


@pytest.mark.usefixtures("hubspot")
async def test_oauth_consent_makes_the_connection_active(api: Api, services: Services) -> None:
    created = await api.post(
        "/v1/connections",
        json={"connector": "hubspot", "name": "Sales", "redirectUrl": DONE_URL},
    )
    assert created.status_code == 201, created.text
    pending = created.json()
    assert pending["status"] == "pending" and pending["accountId"] is None
    query = parse_qs(urlsplit(pending["authorizeUrl"]).query)
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == [services.settings.public_base_url + "/v1/connections/callback"]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert "crm.objects.contacts.write" in query["scope"][0].split()
    state = query["state"][0]
    row = await _row(services, pending["id"])
    assert row.oauth_state_hash is not None and state not in row.oauth_state_hash
    assert row.code_verifier_sealed is not None
    assert row.push_routes["lead.created"] == ["contact"]

    callback_path = await consent(pending["authorizeUrl"])
    callback = await api.http.get(callback_path)
    assert callback.status_code == 302, callback.text
    back = urlsplit(callback.headers["location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == DONE_URL.split("?")[0]
    assert parse_qs(back.query) == {
        "tab": ["crm"],
        "connection": [pending["id"]],
        "status": ["active"],
    }

    active = (await api.get(f"/v1/connections/{pending['id']}")).json()
    assert active["status"] == "active" and active["accountId"] == "62515"
    assert active["activatedAt"] is not None and active["name"] == "Sales"
    row = await _row(services, pending["id"])
    assert row.oauth_state_hash is None and row.code_verifier_sealed is None
    assert row.token_expires_at is not None and row.token_expires_at > datetime.now(UTC)
    tokens = services.secrets.open(row.credentials_sealed or "")
    assert '"access_token"' in tokens and '"refresh_token"' in tokens
    connected = await _events(api, "connection.connected")
    assert [e["data"]["status"] for e in connected] == ["active"]
    _no_secret_in(str(connected))
    assert "sbx-" not in str(connected)

    replay = await api.http.get(callback_path)
    assert replay.status_code == 400, replay.text
    assert replay.json()["error"]["code"] == "INVALID_REQUEST"


@pytest.mark.usefixtures("hubspot")
async def test_without_a_redirect_url_the_callback_shows_a_page(api: Api) -> None:
    _, callback = await connect_hubspot(api)
    assert callback.status_code == 200, callback.text
    assert callback.headers["content-type"].startswith("text/html")
    assert "Connected HubSpot" in callback.text


@pytest.mark.usefixtures("hubspot")
async def test_a_denied_consent_leaves_the_connection_pending(api: Api) -> None:
    created, callback = await connect_hubspot(api, approve=False, redirectUrl=DONE_URL)
    assert callback.status_code == 302
    assert parse_qs(urlsplit(callback.headers["location"]).query)["status"] == ["denied"]
    pending = (await api.get(f"/v1/connections/{created['id']}")).json()
    assert pending["status"] == "pending"
    assert "access_denied" in pending["lastError"]
    # The same consent URL may be tried again.
    callback_path = await consent(created["authorizeUrl"])
    assert (await api.http.get(callback_path)).status_code == 302
    assert (await api.get(f"/v1/connections/{created['id']}")).json()["status"] == "active"


@pytest.mark.usefixtures("hubspot")
async def test_a_refused_code_is_reported(api: Api) -> None:
    created = (await api.post("/v1/connections", json={"connector": "hubspot"})).json()
    state = parse_qs(urlsplit(created["authorizeUrl"]).query)["state"][0]
    response = await api.http.get(
        "/v1/connections/callback", params={"state": state, "code": "forged"}
    )
    assert response.status_code == 400, response.text
    assert "code exchange failed" in response.json()["error"]["message"]
    pending = (await api.get(f"/v1/connections/{created['id']}")).json()
    assert pending["status"] == "pending" and "code exchange failed" in pending["lastError"]


@pytest.mark.parametrize(
    "params", [{"state": "nosuch", "code": "x"}, {"state": "nosuch", "error": "access_denied"}]
)
async def test_an_unknown_state_is_400(api: Api, params: dict[str, str]) -> None:
    response = await api.http.get("/v1/connections/callback", params=params)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "INVALID_REQUEST"


async def test_the_callback_is_public_in_the_openapi_document(api: Api) -> None:
    spec = (await api.http.get("/openapi.json")).json()
    callback = spec["paths"]["/v1/connections/callback"]["get"]
    assert callback["security"] == []
    assert {"200", "302", "400"} <= set(callback["responses"])
    listed = spec["paths"]["/v1/connections"]["get"]
    assert listed["x-required-scope"] == "connections:read"
    assert spec["paths"]["/v1/connections"]["post"]["x-required-scope"] == "connections:write"


# --- managing -------------------------------------------------------------------------


async def test_list_filters_and_isolation(
    api: Api, http: Any, make_tenant: Any, monkeypatch: pytest.MonkeyPatch, services: Services
) -> None:
    first = await _connect_key(api, name="one")
    monkeypatch.setattr(services.settings, "sandboxes", True)
    pending = (await api.post("/v1/connections", json={"connector": "hubspot"})).json()
    listed = (await api.get("/v1/connections")).json()
    assert [c["id"] for c in listed["data"]] == [pending["id"], first["id"]]
    assert listed["pagination"]["total"] == 2
    assert all("authorizeUrl" not in c for c in listed["data"])
    by_status = (await api.get("/v1/connections", params={"status": "active"})).json()
    assert [c["id"] for c in by_status["data"]] == [first["id"]]
    by_connector = (await api.get("/v1/connections", params={"connector": "hubspot"})).json()
    assert [c["id"] for c in by_connector["data"]] == [pending["id"]]
    trimmed = (await api.get("/v1/connections", params={"fields": "status"})).json()
    assert trimmed["data"][1] == {"id": first["id"], "status": "active"}
    other: Tenant = await make_tenant()
    intruder = Api(http, await other.key())
    assert (await intruder.get(f"/v1/connections/{first['id']}")).status_code == 404
    assert (await intruder.get("/v1/connections")).json()["data"] == []


async def test_patch_pauses_resumes_and_configures(api: Api, services: Services) -> None:
    created = await _connect_key(api)
    url = f"/v1/connections/{created['id']}"
    paused = await api.patch(
        url,
        json={
            "status": "paused",
            "name": "Renamed",
            "concurrencyLimit": 5,
            "fieldMapping": {"company": "company_name"},
            "settings": {"pipeline": "sales"},
        },
    )
    assert paused.status_code == 200, paused.text
    body = paused.json()
    assert body["status"] == "paused" and body["name"] == "Renamed"
    assert body["concurrencyLimit"] == 5 and body["fieldMapping"] == {"company": "company_name"}
    assert body["settings"] == {"pipeline": "sales"}
    sync = await api.post(f"{url}/sync")
    assert sync.status_code == 409 and "paused" in sync.json()["error"]["message"]
    resumed = await api.patch(url, json={"status": "active"})
    assert resumed.json()["status"] == "active"
    assert resumed.json()["fieldMapping"] == {"company": "company_name"}
    for bad in (
        {"status": None},
        {"status": "error"},
        {"concurrencyLimit": 0},
        {"fieldMapping": None},
        {"fieldMapping": {"": "x"}},
        {"unknown": 1},
    ):
        response = await api.patch(url, json=bad)
        assert response.status_code == 422, (bad, response.text)
    assert (await api.patch("/v1/connections/conn_nosuch", json={})).status_code == 404


async def test_a_pending_connection_cannot_be_resumed_or_synced(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services.settings, "sandboxes", True)
    pending = (await api.post("/v1/connections", json={"connector": "hubspot"})).json()
    url = f"/v1/connections/{pending['id']}"
    for response in (
        await api.patch(url, json={"status": "active"}),
        await api.post(f"{url}/sync"),
        await api.post(f"{url}/test"),
    ):
        assert response.status_code == 409, response.text
        error = response.json()["error"]
        assert error["code"] == "CONFLICT" and error["details"]["status"] == "pending"
    renamed = await api.patch(url, json={"name": "still pending"})
    assert renamed.status_code == 200 and renamed.json()["status"] == "pending"


async def test_delete_removes_the_connection_and_its_sync_state(
    api: Api, services: Services
) -> None:
    created = await _connect_key(api)
    async with services.db.session() as session:
        session.add(
            SyncItem(
                connection_id=created["id"],
                object_type="contact",
                hubwire_id="lead_x",
                event_id="evt_x",
            )
        )
    response = await api.delete(f"/v1/connections/{created['id']}")
    assert response.status_code == 204, response.text
    assert (await api.get(f"/v1/connections/{created['id']}")).status_code == 404
    assert (await api.delete(f"/v1/connections/{created['id']}")).status_code == 404
    async with services.db.session() as session:
        for model in (SyncItem, SyncLog):
            left = await session.scalars(
                select(model).where(model.connection_id == created["id"])  # type: ignore[attr-defined]
            )
            assert left.all() == []
    gone = await _events(api, "connection.disconnected")
    assert [e["data"]["id"] for e in gone] == [created["id"]]


# --- test, sync -----------------------------------------------------------------------


async def test_the_test_endpoint_checks_and_logs(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    created = await _connect_key(api)
    url = f"/v1/connections/{created['id']}"
    passed = await api.post(f"{url}/test")
    assert passed.status_code == 200, passed.text
    body = passed.json()
    assert body["ok"] is True and body["account"] == "Sandbox Ltd"
    assert isinstance(body["latencyMs"], int) and body["latencyMs"] >= 0
    # The provider revokes the key: the test reports it, it does not fail.
    monkeypatch.setattr(example, "API_KEY", "rotated-key")
    failed = (await api.post(f"{url}/test")).json()
    assert failed["ok"] is False and "refused" in failed["detail"]
    logs = (await api.get(f"{url}/logs", params={"kind": "test"})).json()["data"]
    assert [(log["level"], log["kind"]) for log in logs] == [("error", "test"), ("info", "test")]
    errors = (await api.get(f"{url}/logs", params={"level": "error", "kind": "test"})).json()
    assert len(errors["data"]) == 1
    infos = (await api.get(f"{url}/logs", params={"level": "info", "kind": "test"})).json()
    assert [log["message"] for log in infos["data"]] == ["test passed: ok"]


@pytest.mark.usefixtures("hubspot")
async def test_the_test_endpoint_works_for_oauth_connections(api: Api) -> None:
    created, callback = await connect_hubspot(api)
    assert callback.status_code == 200
    result = (await api.post(f"/v1/connections/{created['id']}/test")).json()
    assert result["ok"] is True and result["account"] == "62515"


async def test_sync_queues_a_job_and_honours_idempotency(api: Api) -> None:
    created = await _connect_key(api)
    url = f"/v1/connections/{created['id']}/sync"
    queued = await api.post(url, headers={"Idempotency-Key": "sync-1"})
    assert queued.status_code == 202, queued.text
    job_id = queued.json()["jobId"]
    assert queued.json()["status"] == "queued"
    assert queued.headers["location"] == f"/v1/jobs/{job_id}"
    again = await api.post(url, headers={"Idempotency-Key": "sync-1"})
    assert again.status_code == 202 and again.json()["jobId"] == job_id
    job = (await api.get(f"/v1/jobs/{job_id}")).json()
    assert job["type"] == "connection.sync"
    assert job["input"] == {"connectionId": created["id"]}
    other = await api.post(url)
    assert other.json()["jobId"] != job_id


async def test_sync_takes_full_and_an_object(api: Api) -> None:
    created = await _connect_key(api)
    url = f"/v1/connections/{created['id']}/sync"
    full = await api.post(url, json={"full": True, "object": "contact"})
    assert full.status_code == 202, full.text
    job = (await api.get(f"/v1/jobs/{full.json()['jobId']}")).json()
    assert job["input"] == {"connectionId": created["id"], "full": True, "object": "contact"}
    unknown = await api.post(url, json={"object": "deal"})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"] == {"field": "object", "allowed": ["contact"]}
    misspelt = await api.post(url, json={"fulll": True})
    assert misspelt.status_code == 422


async def test_a_new_connection_backfills_the_workspaces_existing_leads(
    api: Api, example_crm: str
) -> None:
    """Leads created before the connection existed have no event it would push; the full
    sync a new connection starts by itself brings them to the provider."""
    emails = [f"before-{n}@example.com" for n in range(3)]
    for email in emails:
        made = await api.post("/v1/leads", json={"email": email, "source": "web"})
        assert made.status_code == 201, made.text
    created = await _connect_key(api)
    logs = (await api.get(f"/v1/connections/{created['id']}/logs", params={"kind": "push"})).json()
    started = [log["message"] for log in logs["data"] if "backfill started" in log["message"]]
    assert len(started) == 1, logs
    job_id = started[0].rsplit("job ", 1)[1].rstrip(")")
    job = await wait_for_job(api, job_id, within=60)
    assert job["status"] == "succeeded", job
    assert job["input"] == {"connectionId": created["id"], "full": True}
    # The job queued them; its own push or a push task the sweeper sent meanwhile (both
    # take the connection's pending items) sends them: look at the provider.
    seen: set[str] = set()
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient() as provider:
        while not set(emails) <= seen and time.monotonic() < deadline:
            seen, after = set(), 0
            while True:
                page = (
                    await provider.get(
                        f"{example_crm}/contacts",
                        params={"after": after},
                        headers={"X-Api-Key": example.API_KEY},
                    )
                ).json()
                seen.update(c.get("email") for c in page["contacts"])
                if not page["more"]:
                    break
                after = page["next"]
            if not set(emails) <= seen:
                await asyncio.sleep(0.2)
    assert set(emails) <= seen, seen
    logs = (await api.get(f"/v1/connections/{created['id']}/logs", params={"kind": "push"})).json()
    assert any(
        log["message"].startswith("full sync: ") and log["processed"] >= len(emails)
        for log in logs["data"]
    ), logs


async def test_create_honours_idempotency(api: Api) -> None:
    body = {"connector": "example_crm", "apiKey": example.API_KEY}
    first = await api.post("/v1/connections", json=body, headers={"Idempotency-Key": "c-1"})
    again = await api.post("/v1/connections", json=body, headers={"Idempotency-Key": "c-1"})
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert (await api.get("/v1/connections")).json()["pagination"]["total"] == 1
    changed = await api.post(
        "/v1/connections", json={**body, "name": "x"}, headers={"Idempotency-Key": "c-1"}
    )
    assert changed.status_code == 422
    assert changed.json()["error"]["code"] == "IDEMPOTENCY_MISMATCH"


# --- metrics and statistics -----------------------------------------------------------


async def _quiet(services: Services, tenant: Tenant, name: str | None = None) -> dict[str, Any]:
    """A paused connection made without the API: the app's worker never syncs it, so the
    log holds exactly what a test writes."""
    connection = Connection(
        workspace_id=tenant.id,
        connector="example_crm",
        name=name,
        status="paused",
        auth_type="api_key",
        push_routes={},
        settings={},
        field_mapping={},
        concurrency_limit=2,
        refresh_failures=0,
    )
    async with services.db.session() as session:
        session.add(connection)
    return {"id": connection.id}


async def _log(
    services: Services,
    connection: dict[str, Any],
    kind: str,
    when: datetime,
    processed: int,
    failed: int = 0,
    calls: int = 1,
    duration: int = 100,
) -> None:
    async with services.db.session() as session:
        session.add(
            SyncLog(
                connection_id=connection["id"],
                workspace_id="ws_any",
                kind=kind,
                object_type="contact",
                processed=processed,
                failed=failed,
                provider_calls=calls,
                duration_ms=duration,
                created_at=when,
            )
        )


async def test_metrics_sum_the_log_and_the_queue(
    api: Api, services: Services, tenant: Tenant
) -> None:
    created = await _quiet(services, tenant)
    now = datetime.now(UTC)
    await _log(services, created, "push", now, processed=90, failed=10, calls=2, duration=300)
    await _log(services, created, "pull", now, processed=100, calls=1, duration=100)
    await _log(services, created, "webhook", now, processed=5, calls=0, duration=0)
    async with services.db.session() as session:
        for state, n in (("pending", 3), ("failed", 2), ("done", 4)):
            for i in range(n):
                session.add(
                    SyncItem(
                        connection_id=created["id"],
                        object_type="contact",
                        hubwire_id=f"lead_{state}{i}",
                        event_id=f"evt_{state}{i}",
                        state=state,
                    )
                )
    metrics = (await api.get(f"/v1/connections/{created['id']}/metrics")).json()
    assert metrics == {
        "recordsPushed": 90,
        "recordsPulled": 100,
        "failed": 10,
        "providerCalls": 3,
        "pendingItems": 3,
        "failedItems": 2,
        "lastSyncedAt": None,
        "errorRate": 0.05,
        "averageDurationMs": 200.0,
        "dailyAllowanceUsed": None,  # its connector has no daily allowance
    }


async def test_metrics_of_a_quiet_connection(api: Api, services: Services, tenant: Tenant) -> None:
    created = await _quiet(services, tenant)
    metrics = (await api.get(f"/v1/connections/{created['id']}/metrics")).json()
    assert metrics["errorRate"] is None and metrics["averageDurationMs"] is None
    assert metrics["recordsPushed"] == 0 and metrics["providerCalls"] == 0


async def test_period_stats_per_connection_and_for_the_workspace(
    api: Api, services: Services, tenant: Tenant
) -> None:
    first = await _quiet(services, tenant, "first")
    second = await _quiet(services, tenant, "second")
    day = datetime(2026, 3, 10, 12, tzinfo=UTC)
    await _log(services, first, "push", day, processed=10, failed=1, calls=2)
    await _log(services, first, "pull", day + timedelta(hours=11, minutes=59), processed=4)
    await _log(services, first, "push", day + timedelta(days=2), processed=7)
    await _log(services, second, "pull", day + timedelta(days=1), processed=3, calls=1)
    await _log(services, first, "push", day - timedelta(days=30), processed=999)

    params = {"startDate": "2026-03-10", "endDate": "2026-03-12"}
    single = await api.get(f"/v1/connections/{first['id']}/period-stats", params=params)
    assert single.status_code == 200, single.text
    assert single.json() == {
        "connectionId": first["id"],
        "startDate": "2026-03-10",
        "endDate": "2026-03-12",
        "days": [
            {"date": "2026-03-10", "pushed": 10, "pulled": 4, "failed": 1, "providerCalls": 3},
            {"date": "2026-03-11", "pushed": 0, "pulled": 0, "failed": 0, "providerCalls": 0},
            {"date": "2026-03-12", "pushed": 7, "pulled": 0, "failed": 0, "providerCalls": 1},
        ],
        "totals": {"pushed": 17, "pulled": 4, "failed": 1, "providerCalls": 4},
    }
    everything = (await api.get("/v1/connections/period-stats", params=params)).json()
    assert everything["connections"] == 2
    assert [d["pulled"] for d in everything["days"]] == [4, 3, 0]
    assert everything["totals"] == {"pushed": 17, "pulled": 7, "failed": 1, "providerCalls": 5}
    assert [(c["name"], c["totals"]["pulled"]) for c in everything["perConnection"]] == [
        ("first", 4),
        ("second", 3),
    ]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"startDate": "2026-03-10", "endDate": "2026-03-09"}, 400),
        ({"startDate": "2025-01-01", "endDate": "2026-01-02"}, 400),
        ({"startDate": "2026-01-01", "endDate": "9999-12-31"}, 400),
        ({"startDate": "yesterday", "endDate": "2026-03-09"}, 422),
        ({"startDate": "2026-03-10"}, 422),
    ],
)
async def test_bad_periods_are_refused(api: Api, params: dict[str, str], status: int) -> None:
    created = await _connect_key(api)
    for url in (f"/v1/connections/{created['id']}/period-stats", "/v1/connections/period-stats"):
        response = await api.get(url, params=params)
        assert response.status_code == status, response.text


async def test_a_full_year_is_allowed(api: Api) -> None:
    params = {"startDate": "2024-01-01", "endDate": str(date(2024, 12, 31))}
    response = await api.get("/v1/connections/period-stats", params=params)
    assert response.status_code == 200, response.text
    assert len(response.json()["days"]) == 366


async def test_reads_need_connections_read(api: Api, tenant: Tenant) -> None:
    limited = Api(api.http, await tenant.key(["connections:read"]))
    assert (await limited.get("/v1/connections")).status_code == 200
    response = await limited.post(
        "/v1/connections", json={"connector": "example_crm", "apiKey": "k"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["details"]["requiredScope"] == "connections:write"


@pytest.mark.usefixtures("hubspot")
async def test_reconnect_brings_a_broken_connection_back_with_its_state(
    api: Api, services: Services
) -> None:
    created, callback = await connect_hubspot(api)
    assert callback.status_code == 200, callback.text
    connection_id = created["id"]
    # The grant stopped working (a restarted provider, a revoked app).
    async with services.db.session() as session:
        await session.execute(
            update(Connection)
            .where(Connection.id == connection_id)
            .values(status="error", last_error="refresh refused")
        )

    started = await api.post(
        f"/v1/connections/{connection_id}/reconnect", json={"redirectUrl": DONE_URL}
    )
    assert started.status_code == 200, started.text
    body = started.json()
    assert body["id"] == connection_id and body["status"] == "error"
    assert parse_qs(urlsplit(body["authorizeUrl"]).query)["code_challenge"][0]

    back = await api.http.get(await consent(body["authorizeUrl"]))
    assert back.status_code == 302, back.text
    assert parse_qs(urlsplit(back.headers["location"]).query)["status"] == ["active"]
    again = (await api.get(f"/v1/connections/{connection_id}")).json()
    assert again["status"] == "active" and again["accountId"] == "62515"
    listed = (await api.get("/v1/connections", params={"connector": "hubspot"})).json()["data"]
    assert [c["id"] for c in listed].count(connection_id) == 1  # the same connection, not a new one
    logs = (await api.get(f"/v1/connections/{connection_id}/logs")).json()["data"]
    assert any(log["message"].startswith("reconnect started") for log in logs)


async def test_reconnect_of_a_key_connection_or_an_unknown_one_is_refused(
    api: Api, example_crm: str
) -> None:
    keyed = await _connect_key(api)
    refused = await api.post(f"/v1/connections/{keyed['id']}/reconnect")
    assert refused.status_code == 422, refused.text
    assert "new key" in refused.json()["error"]["message"]
    missing = await api.post("/v1/connections/conn_nope/reconnect")
    assert missing.status_code == 404

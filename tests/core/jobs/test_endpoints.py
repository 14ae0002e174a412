from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from standardwebhooks.webhooks import Webhook

from core.auth.scopes import ALL_SCOPES
from core.container import Services
from core.jobs.models import Job
from tests.conftest import Api, Tenant
from tests.core.jobs.polling import wait_for_job
from tests.support.live_server import free_port


async def _job(services: Services, workspace_id: str, **fields: Any) -> str:
    """A job row written directly, so no worker is asked to run it."""
    values: dict[str, Any] = {"type": "call.analysis", "input": {"callId": "call_x"}} | fields
    async with services.db.session() as session:
        job = Job(workspace_id=workspace_id, **values)
        session.add(job)
        await session.flush()
        return job.id


async def test_get_job_shows_every_field(api: Api, tenant: Tenant, services: Services) -> None:
    job_id = await _job(
        services,
        tenant.id,
        status="failed",
        progress=40,
        error={"code": "NOT_FOUND", "message": "Call call_x no longer exists."},
        callback_url="https://partner.example.com/hooks",
    )
    response = await api.get(f"/v1/jobs/{job_id}")
    assert response.status_code == 200, response.text
    job = response.json()
    assert job["id"] == job_id
    assert job["type"] == "call.analysis"
    assert job["status"] == "failed" and job["progress"] == 40
    assert job["error"] == {"code": "NOT_FOUND", "message": "Call call_x no longer exists."}
    assert job["result"] is None
    assert job["callbackUrl"] == "https://partner.example.com/hooks"
    assert job["input"] == {"callId": "call_x"}
    for name in ("createdAt", "updatedAt", "startedAt", "finishedAt", "attempts"):
        assert name in job

    trimmed = await api.get(f"/v1/jobs/{job_id}", params={"fields": "status,progress"})
    assert trimmed.json() == {"id": job_id, "status": "failed", "progress": 40}


async def test_unknown_and_foreign_jobs_are_not_found(
    api: Api, services: Services, make_tenant: Any
) -> None:
    missing = await api.get("/v1/jobs/job_missing")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "NOT_FOUND"

    other = await make_tenant()
    foreign = await _job(services, other.id)
    assert (await api.get(f"/v1/jobs/{foreign}")).status_code == 404
    assert foreign not in (await api.get("/v1/jobs")).text


async def test_list_filters_and_pages(api: Api, tenant: Tenant, services: Services) -> None:
    done = [await _job(services, tenant.id, status="succeeded") for _ in range(3)]
    failed = await _job(services, tenant.id, status="failed")

    everything = await api.get("/v1/jobs")
    assert everything.status_code == 200
    assert everything.json()["pagination"]["total"] == 4

    succeeded = await api.get("/v1/jobs", params={"status": "succeeded"})
    assert sorted(j["id"] for j in succeeded.json()["data"]) == sorted(done)
    only_failed = await api.get("/v1/jobs", params={"status": "failed", "type": "call.analysis"})
    assert [j["id"] for j in only_failed.json()["data"]] == [failed]

    seen: list[str] = []
    params: dict[str, Any] = {"limit": 3, "sort": "createdAt"}
    while True:
        page = (await api.get("/v1/jobs", params=params)).json()
        seen += [j["id"] for j in page["data"]]
        if not page["pagination"]["hasMore"]:
            break
        params["cursor"] = page["pagination"]["nextCursor"]
    assert sorted(seen) == sorted([*done, failed]) and len(seen) == 4

    for bad in ({"status": "done"}, {"type": "nope"}):
        refused = await api.get("/v1/jobs", params=bad)
        assert refused.status_code == 422
        assert refused.json()["error"]["code"] == "VALIDATION_FAILED"
    bad_sort = await api.get("/v1/jobs", params={"sort": "score"})
    assert bad_sort.status_code == 400


async def test_callback_secret_is_stable_per_workspace(
    api: Api, tenant: Tenant, http: Any, make_tenant: Any
) -> None:
    first = await api.get("/v1/jobs/callback-secret")
    assert first.status_code == 200, first.text
    secret = first.json()["secret"]
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert (await api.get("/v1/jobs/callback-secret")).json()["secret"] == secret

    other = await make_tenant()
    theirs = (await Api(http, await other.key()).get("/v1/jobs/callback-secret")).json()
    assert theirs["secret"] != secret

    limited = Api(http, await tenant.key(sorted(ALL_SCOPES - {"jobs:read"})))
    assert (await limited.get("/v1/jobs/callback-secret")).status_code == 403
    assert (await limited.get("/v1/jobs")).status_code == 403


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, asyncio.Queue[tuple[bytes, dict[str, str]]]]]:
    """An HTTP endpoint on loopback that records what it is sent."""
    received: asyncio.Queue[tuple[bytes, dict[str, str]]] = asyncio.Queue()

    async def handle(request: web.Request) -> web.Response:
        await received.put((await request.read(), dict(request.headers)))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hooks/hubwire", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/hooks/hubwire", received
    finally:
        await runner.cleanup()


async def test_finished_job_calls_back_signed(
    api: Api, receiver: tuple[str, asyncio.Queue[tuple[bytes, dict[str, str]]]]
) -> None:
    url, received = receiver
    call = (await api.post("/v1/calls", json={"outcome": "connected"})).json()
    transcript = {"text": "Thanks, that was really helpful. Great service."}
    assert (await api.post(f"/v1/calls/{call['id']}/transcript", json=transcript)).is_success
    queued = await api.post(f"/v1/calls/{call['id']}/analysis", json={"callbackUrl": url})
    assert queued.status_code == 202, queued.text
    job_id = queued.json()["jobId"]
    job = await wait_for_job(api, job_id)
    assert job["status"] == "succeeded"

    body, headers = await asyncio.wait_for(received.get(), timeout=30)
    secret = (await api.get("/v1/jobs/callback-secret")).json()["secret"]
    payload = Webhook(secret).verify(body, headers)
    assert payload["type"] == "job.completed"
    assert payload["data"]["id"] == job_id
    assert payload["data"]["status"] == "succeeded"
    assert payload["data"]["result"] == job["result"]
    assert headers["X-Hubwire-Event"] == "job.completed"
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + base64.b64encode(b"x" * 32).decode()).verify(body, headers)

"""Analytics by agent, checked against figures computed here from the calls and jobs."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.conftest import Api
from tests.core.jobs.polling import wait_for_job

PERIOD = {"dateFrom": "2025-05-01", "dateTo": "2025-05-08"}
TRANSCRIPTS = (
    "Thanks, that was really helpful. Great service, I love it.",
    "This is terrible. I am angry and I want a refund now.",
    "Okay. Send me the details by email please.",
)


async def _post(api: Api, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await api.post(path, json=body)
    assert response.status_code in (201, 202), response.text
    return dict(response.json())


async def _all(api: Api, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 100}
    while True:
        page = (await api.get(path, params=params)).json()
        items += page["data"]
        if not page["pagination"]["hasMore"]:
            return items
        params["cursor"] = page["pagination"]["nextCursor"]


async def test_agent_figures_agree_with_their_calls_and_analyses(api: Api) -> None:
    ada = await _post(api, "/v1/agents", {"name": "Ada"})
    bob = await _post(api, "/v1/agents", {"name": "Bob", "kind": "ai"})
    idle = await _post(api, "/v1/agents", {"name": "Idle"})
    leads = [await _post(api, "/v1/leads", {"name": f"Lead {i}"}) for i in range(4)]
    plan = [  # agent, lead, start, seconds, analysed transcript
        (ada, leads[0], "2025-05-01T09:00:00Z", 120, 0),
        (ada, leads[0], "2025-05-02T09:00:00Z", 60, 1),
        (ada, leads[1], "2025-05-03T09:00:00Z", None, None),
        (bob, leads[2], "2025-05-04T09:00:00Z", 300, 2),
        (bob, leads[3], "2025-05-07T23:59:00Z", 45, 0),
        (bob, leads[3], "2025-05-08T00:00:00Z", 999, 1),  # at the exclusive end: outside
        (None, leads[1], "2025-05-05T09:00:00Z", 30, None),
    ]
    jobs = []
    for agent, lead, start, seconds, transcript in plan:
        body: dict[str, Any] = {"leadId": lead["id"], "startedAt": start, "outcome": "connected"}
        if agent is not None:
            body["agentId"] = agent["id"]
        if seconds is not None:
            body["durationSeconds"] = seconds
        call = await _post(api, "/v1/calls", body)
        if transcript is not None:
            text = {"text": TRANSCRIPTS[transcript]}
            assert (await api.post(f"/v1/calls/{call['id']}/transcript", json=text)).is_success
            jobs.append((await _post(api, f"/v1/calls/{call['id']}/analysis", {}))["jobId"])
    await asyncio.gather(*(wait_for_job(api, job) for job in jobs))
    for lead in (leads[0], leads[2]):
        assert (await api.patch(f"/v1/leads/{lead['id']}", json={"status": "converted"})).is_success

    # The expected figures, from the API's own records.
    calls = [
        c
        for c in await _all(api, "/v1/calls")
        if "2025-05-01T00:00:00Z" <= c["startedAt"] < "2025-05-08T00:00:00Z"
    ]
    lead_status = {lead["id"]: lead["status"] for lead in await _all(api, "/v1/leads")}
    scores: dict[str, tuple[str, float]] = {}
    for job in await _all(api, "/v1/jobs"):
        if job["type"] == "call.analysis" and job["status"] == "succeeded":
            known = scores.get(job["input"]["callId"])
            if known is None or job["finishedAt"] > known[0]:
                scores[job["input"]["callId"]] = (job["finishedAt"], job["result"]["score"])
    expected = {}
    for agent in (ada, bob, idle):
        mine = [c for c in calls if c["agentId"] == agent["id"]]
        analysed = [scores[c["id"]][1] for c in mine if c["id"] in scores]
        called = {c["leadId"] for c in mine}
        converted = {lead for lead in called if lead_status[lead] == "converted"}
        expected[agent["id"]] = {
            "agentId": agent["id"],
            "name": agent["name"],
            "kind": agent["kind"],
            "status": "active",
            "calls": len(mine),
            "talkTimeSeconds": sum(c["durationSeconds"] or 0 for c in mine),
            "analysedCalls": len(analysed),
            "averageScore": round(sum(analysed) / len(analysed), 2) if analysed else None,
            "leadsCalled": len(called),
            "leadsConverted": len(converted),
            "conversionRate": round(len(converted) / len(called), 4) if called else 0.0,
        }

    response = await api.get("/v1/analytics/agents", params=PERIOD)
    assert response.status_code == 200, response.text
    body = response.json()
    assert {row["agentId"]: row for row in body["agents"]} == expected
    assert [row["agentId"] for row in body["agents"]] == [ada["id"], bob["id"], idle["id"]]
    assert body["unassignedCalls"] == sum(1 for c in calls if c["agentId"] is None)
    # A sanity anchor on the plan itself, so a wrong filter in both places cannot agree.
    assert (expected[ada["id"]]["calls"], expected[bob["id"]]["calls"]) == (3, 2)
    assert expected[ada["id"]]["leadsConverted"] == 1


async def test_agent_analytics_needs_the_analytics_scope(api: Api, tenant: Any, http: Any) -> None:
    reader = Api(http, await tenant.key(["calls:read"]))
    response = await reader.get("/v1/analytics/agents", params=PERIOD)
    assert response.status_code == 403
    assert response.json()["error"]["details"]["requiredScope"] == "analytics:read"

from __future__ import annotations

from typing import Any

from tests.conftest import Api, Tenant


async def create_agent(api: Api, **body: Any) -> dict[str, Any]:
    response = await api.post("/v1/agents", json={"name": "Grace Hopper", **body})
    assert response.status_code == 201, response.text
    return dict(response.json())


async def agent_events(api: Api, agent_id: str) -> list[str]:
    response = await api.get("/v1/events", params={"sort": "timestamp", "limit": 100})
    assert response.status_code == 200, response.text
    return [e["type"] for e in response.json()["data"] if e["data"].get("id") == agent_id]


async def test_create_get_update_with_events(api: Api) -> None:
    agent = await create_agent(
        api, email="grace@example.com", extension="101", kind="ai", customFields={"team": "a"}
    )
    assert agent["id"].startswith("agent_")
    assert (agent["kind"], agent["status"], agent["extension"]) == ("ai", "active", "101")
    assert (await api.get(f"/v1/agents/{agent['id']}")).json() == agent

    updated = await api.patch(f"/v1/agents/{agent['id']}", json={"status": "inactive"})
    assert updated.status_code == 200, updated.text
    assert updated.json()["status"] == "inactive"
    # The same values again change nothing and emit nothing.
    assert (await api.patch(f"/v1/agents/{agent['id']}", json={"status": "inactive"})).is_success
    assert await agent_events(api, agent["id"]) == ["agent.created", "agent.updated"]


async def test_list_filters_and_cursor(api: Api) -> None:
    made = [
        await create_agent(api, name=f"Agent {i}", kind="ai" if i % 2 else "human")
        for i in range(5)
    ]
    ai = await api.get("/v1/agents", params={"kind": "ai"})
    assert {a["id"] for a in ai.json()["data"]} == {a["id"] for a in made if a["kind"] == "ai"}
    found = await api.get("/v1/agents", params={"search": "agent 3"})
    assert [a["id"] for a in found.json()["data"]] == [made[3]["id"]]

    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2, "sort": "createdAt"}
    while True:
        page = (await api.get("/v1/agents", params=params)).json()
        seen += [a["id"] for a in page["data"]]
        if not page["pagination"]["hasMore"]:
            break
        params["cursor"] = page["pagination"]["nextCursor"]
    assert seen == [a["id"] for a in made]


async def test_bad_input_is_a_422(api: Api) -> None:
    for body in (
        {},
        {"name": ""},
        {"name": "x", "kind": "robot"},
        {"name": "x", "email": "no"},
        {"name": "x", "extension": "12a"},
    ):
        response = await api.post("/v1/agents", json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["error"]["code"] == "VALIDATION_FAILED"
    assert (await api.patch("/v1/agents/agent_nope", json={"name": "x"})).status_code == 404


async def test_calls_name_an_active_agent_of_the_workspace(
    api: Api, make_tenant: Any, http: Any
) -> None:
    agent = await create_agent(api)
    call = await api.post("/v1/calls", json={"agentId": agent["id"], "outcome": "connected"})
    assert call.status_code == 201, call.text
    assert call.json()["agentId"] == agent["id"]
    listed = await api.get("/v1/calls", params={"agentId": agent["id"]})
    assert [c["id"] for c in listed.json()["data"]] == [call.json()["id"]]

    other: Tenant = await make_tenant()
    foreign = await create_agent(Api(http, await other.key()))
    refused = await api.post("/v1/calls", json={"agentId": foreign["id"]})
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["details"]["field"] == "agentId"
    moved = await api.patch(f"/v1/calls/{call.json()['id']}", json={"agentId": foreign["id"]})
    assert moved.status_code == 422, moved.text

    await api.patch(f"/v1/agents/{agent['id']}", json={"status": "inactive"})
    inactive = await api.post("/v1/calls", json={"agentId": agent["id"]})
    assert inactive.status_code == 422
    assert "inactive" in inactive.json()["error"]["message"]

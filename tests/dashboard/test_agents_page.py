"""The agents page shows, per agent, the figures of GET /v1/analytics/agents."""

from __future__ import annotations

from tests.conftest import Api
from tests.dashboard.conftest import Page
from tests.oauth.conftest import Person


async def test_the_page_shows_each_agents_figures(page: Page, member: Person, api: Api) -> None:
    await page.login(member)
    empty = await page.get("/dashboard/agents")
    assert empty.status_code == 200 and "No agents yet" in empty.text

    ada = (await api.post("/v1/agents", json={"name": "Ada"})).json()
    lead = (await api.post("/v1/leads", json={"name": "Lead"})).json()
    for _ in range(2):
        body = {"agentId": ada["id"], "leadId": lead["id"], "durationSeconds": 90}
        assert (await api.post("/v1/calls", json=body)).status_code == 201
    await api.post("/v1/calls", json={"durationSeconds": 5})
    await api.patch(f"/v1/leads/{lead['id']}", json={"status": "converted"})

    shown = await page.get("/dashboard/agents")
    assert shown.status_code == 200
    figures = (await api.get("/v1/analytics/agents")).json()
    row = next(r for r in figures["agents"] if r["agentId"] == ada["id"])
    assert (row["calls"], row["talkTimeSeconds"], row["conversionRate"]) == (2, 180, 1.0)
    assert f'id="{ada["id"]}"' in shown.text
    assert '<td class="calls">2</td>' in shown.text
    assert "3 min 0 s" in shown.text
    assert '<td class="converted">100%</td>' in shown.text
    assert "Calls without an agent: 1" in shown.text

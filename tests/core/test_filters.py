"""Date query parameters: values outside the calendar once converted to UTC are a 422."""

from __future__ import annotations

import pytest

from tests.conftest import Api

EARLIEST_WITH_OFFSET = "0001-01-01T00:00:00+01:00"


@pytest.mark.parametrize(
    "path",
    [
        f"/v1/leads?createdAfter={EARLIEST_WITH_OFFSET}",
        f"/v1/calls?startedBefore={EARLIEST_WITH_OFFSET}",
        f"/v1/analytics/summary?dateFrom={EARLIEST_WITH_OFFSET}",
    ],
)
async def test_dates_that_leave_the_calendar_are_rejected(api: Api, path: str) -> None:
    response = await api.get(path.replace("+", "%2B"))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "VALIDATION_FAILED"


async def test_a_default_range_that_would_start_before_year_one_is_rejected(api: Api) -> None:
    response = await api.get("/v1/analytics/summary?dateTo=0001-01-02T00:00:00Z")
    assert response.status_code == 400, response.text
    assert response.json()["error"]["details"]["param"] == "dateTo"


async def test_offset_dates_are_compared_in_utc(api: Api) -> None:
    created = (await api.post("/v1/leads", json={"name": "Tz"})).json()["createdAt"]
    assert created.endswith("Z") or created.endswith("+00:00")
    listed = await api.get("/v1/leads?createdAfter=2000-01-01T05:00:00%2B05:00")
    assert [lead["createdAt"] for lead in listed.json()["data"]] == [created]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/analytics/summary?dateTo=0.5",
        "/v1/analytics/summary?dateFrom=1700000000",
        "/v1/leads?createdAfter=0",
    ],
)
async def test_a_number_is_not_read_as_seconds_since_1970(api: Api, path: str) -> None:
    response = await api.get(path)
    assert response.status_code == 422, response.text
    assert "not a number" in str(response.json()["error"])


async def test_a_number_in_a_body_date_is_refused_too(api: Api) -> None:
    hook = await api.post(
        "/v1/webhooks", json={"url": "https://example.com/hook", "events": ["lead.created"]}
    )
    assert hook.status_code == 201, hook.text
    answer = await api.post(f"/v1/webhooks/{hook.json()['id']}/recover", json={"since": 0})
    assert answer.status_code == 422, answer.text


async def _pages(api: Api, path: str, params: dict[str, str]) -> list[str]:
    """Every id of a list, one item a page, following the cursors."""
    seen: list[str] = []
    cursor = None
    while True:
        page = (
            await api.get(
                path, params={**params, "limit": 1, **({"cursor": cursor} if cursor else {})}
            )
        ).json()
        seen += [item["id"] for item in page["data"]]
        cursor = page["pagination"]["nextCursor"]
        if cursor is None:
            return seen


async def test_a_created_window_sorted_by_update_keeps_rows_updated_later(api: Api) -> None:
    first = (await api.post("/v1/leads", json={"name": "First"})).json()
    second = (await api.post("/v1/leads", json={"name": "Second"})).json()
    third = (await api.post("/v1/leads", json={"name": "Third"})).json()
    await api.patch(f"/v1/leads/{first['id']}", json={"status": "contacted"})

    window = {"createdAfter": first["createdAt"], "sort": "updatedAt"}
    assert await _pages(api, "/v1/leads", window) == [second["id"], third["id"], first["id"]]
    later = {"createdAfter": second["createdAt"], "sort": "-updatedAt"}
    assert await _pages(api, "/v1/leads", later) == [third["id"], second["id"]]


async def test_a_started_window_sorted_by_another_time_column_is_in_order(api: Api) -> None:
    ids = []
    for minute in (1, 2, 3, 4):
        call = await api.post(
            "/v1/calls",
            json={"direction": "inbound", "startedAt": f"2026-01-05T09:0{minute}:00Z"},
        )
        assert call.status_code == 201, call.text
        ids.append(call.json()["id"])
    await api.patch(f"/v1/calls/{ids[1]}", json={"summary": "called back"})

    window = {"startedAfter": "2026-01-05T09:02:00Z", "sort": "updatedAt"}
    assert await _pages(api, "/v1/calls", window) == [ids[2], ids[3], ids[1]]
    newest = {"startedAfter": "2026-01-05T09:02:00Z", "sort": "-updatedAt"}
    assert await _pages(api, "/v1/calls", newest) == [ids[1], ids[3], ids[2]]

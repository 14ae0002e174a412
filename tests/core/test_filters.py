"""Date query parameters: values outside the calendar once converted to UTC are a 422. The
part of a search term a trigram index looks rows up by."""

from __future__ import annotations

import pytest

from core.filters import TrigramFrequencies, rarest_part
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


# As on a million generated leads: every email has "person…@example….com" and every company
# "Company …", so those trigrams are in every row; the digits are rarer than the rarest
# trigram listed (the floor).
COMMON = {"per", "ers", "rso", "son", "exa", "xam", "amp", "mpl", "ple", "com"}
EMAILS = TrigramFrequencies(
    dict.fromkeys(COMMON, 1.0) | {"on7": 0.1, "le7": 0.1, "n77": 0.01, "e77": 0.01}, floor=0.004
)
COMPANIES = TrigramFrequencies(dict.fromkeys(("com", "omp", "mpa", "pan", "any"), 1.0), 0.004)


@pytest.mark.parametrize(
    ("term", "frequencies", "part"),
    [
        # The common words are left out; a second digit trigram narrows the candidates.
        ("Person777@Example777.com", EMAILS, "n777"),
        ("company 4242", COMPANIES, "4242"),
        # Nothing rare: a short substring reads as few lists as any.
        ("example", EMAILS, "exa"),
        # No run of 3 ASCII letters or digits: the term as it is (lower-cased).
        ("Zoë Ng", EMAILS, "zoë ng"),
    ],
)
def test_the_rarest_part_of_a_term_is_looked_up(
    term: str, frequencies: TrigramFrequencies, part: str
) -> None:
    assert rarest_part(term, frequencies) == part

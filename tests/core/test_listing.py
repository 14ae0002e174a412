"""List totals stay cheap (counted up to a bound) and deep offsets point at the cursor."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

import core.listing
from core.container import Services
from tests.conftest import Api


async def _leads(api: Api, count: int) -> None:
    for number in range(count):
        response = await api.post("/v1/leads", json={"name": f"Lead {number}"})
        assert response.status_code == 201, response.text


async def test_total_is_exact_below_the_bound(api: Api) -> None:
    await _leads(api, 5)
    # A page that is not the last one still needs the count query.
    page = (await api.get("/v1/leads", params={"limit": 2})).json()["pagination"]
    assert (page["total"], page["totalIsExact"]) == (5, True)
    # The last page is its own count.
    last = (await api.get("/v1/leads", params={"limit": 2, "offset": 4})).json()["pagination"]
    assert (last["total"], last["totalIsExact"], last["hasMore"]) == (5, True, False)


async def test_a_page_and_its_total_are_one_statement(api: Api, services: Services) -> None:
    await _leads(api, 3)
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM leads" in statement and "LIMIT" in statement:  # a page or a count
            statements.append(statement)

    engine = services.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        page = await api.get("/v1/leads", params={"limit": 2})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert page.status_code == 200, page.text
    assert (page.json()["pagination"]["total"], len(page.json()["data"])) == (3, 2)
    assert len(statements) == 1, statements


async def test_counting_stops_at_the_bound_and_says_so(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _leads(api, 6)
    monkeypatch.setattr(core.listing, "COUNT_BOUND", 3)
    page = (await api.get("/v1/leads", params={"limit": 2})).json()["pagination"]
    assert (page["total"], page["totalIsExact"], page["hasMore"]) == (3, False, True)
    # Past the bound, the total is at least what the pages already showed.
    deep = (await api.get("/v1/leads", params={"limit": 2, "offset": 3})).json()["pagination"]
    assert (deep["total"], deep["totalIsExact"]) == (6, False)
    # A filter small enough to fit one page is exact whatever the bound.
    filtered = await api.get("/v1/leads", params={"search": "lead 4"})
    assert filtered.json()["pagination"] | {"nextCursor": None} == {
        "limit": 20,
        "offset": 0,
        "nextCursor": None,
        "hasMore": False,
        "total": 1,
        "totalIsExact": True,
    }


async def test_an_offset_past_the_cap_is_a_400_that_names_the_cursor(api: Api) -> None:
    response = await api.get("/v1/leads", params={"offset": core.listing.MAX_OFFSET + 1})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert "cursor" in error["message"]
    assert error["details"] == {"param": "offset", "max": core.listing.MAX_OFFSET, "use": "cursor"}
    at_cap = await api.get("/v1/events", params={"offset": core.listing.MAX_OFFSET})
    assert at_cap.status_code == 200, at_cap.text
    assert at_cap.json()["data"] == []

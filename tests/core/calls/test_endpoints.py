from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import Api, Tenant


async def _lead(api: Api, name: str = "Caller") -> str:
    response = await api.post("/v1/leads", json={"name": name})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _call(api: Api, **fields: Any) -> dict[str, Any]:
    response = await api.post("/v1/calls", json=fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_create_get_update_call(api: Api) -> None:
    lead_id = await _lead(api)
    created = await api.post(
        "/v1/calls",
        json={
            "direction": "outbound",
            "fromNumber": "+44 20 7946 0000",
            "toNumber": "+44 20 7946 0999",
            "leadId": lead_id,
            "customFields": {"campaign": "spring"},
        },
    )
    assert created.status_code == 201, created.text
    call = created.json()
    assert call["id"].startswith("call_")
    assert call["direction"] == "outbound"
    assert call["status"] == "in_progress"
    assert call["leadId"] == lead_id
    assert call["endedAt"] is None and call["durationSeconds"] is None
    assert call["transcript"] is None
    assert call["customFields"] == {"campaign": "spring"}
    started = datetime.fromisoformat(call["startedAt"])
    assert abs((datetime.now(UTC) - started).total_seconds()) < 60

    fetched = await api.get(f"/v1/calls/{call['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == call

    ended_at = started + timedelta(seconds=95)
    updated = await api.patch(
        f"/v1/calls/{call['id']}",
        json={"endedAt": ended_at.isoformat(), "outcome": "booked", "summary": "Demo booked."},
    )
    assert updated.status_code == 200, updated.text
    body = updated.json()
    assert body["status"] == "ended"
    assert body["durationSeconds"] == 95
    assert body["outcome"] == "booked"
    assert body["summary"] == "Demo booked."
    assert body["direction"] == "outbound"
    assert body["leadId"] == lead_id
    assert (await api.get(f"/v1/calls/{call['id']}")).json() == body

    unlinked = await api.patch(f"/v1/calls/{call['id']}", json={"leadId": None})
    assert unlinked.json()["leadId"] is None


async def test_duration_is_computed_from_start_and_end(api: Api) -> None:
    ended = await _call(api, startedAt="2026-01-05T09:30:00Z", endedAt="2026-01-05T09:34:10.400Z")
    assert ended["status"] == "ended"
    assert ended["durationSeconds"] == 250
    assert datetime.fromisoformat(ended["startedAt"]) == datetime(2026, 1, 5, 9, 30, tzinfo=UTC)

    # Offsets are honoured: 10:30+01:00 is 09:30Z.
    offset = await _call(api, startedAt="2026-01-05T10:30:00+01:00", endedAt="2026-01-05T09:31:00Z")
    assert offset["durationSeconds"] == 60

    explicit = await _call(
        api,
        startedAt="2026-01-05T09:30:00Z",
        endedAt="2026-01-05T09:31:00Z",
        durationSeconds=42,
        status="failed",
    )
    assert explicit["durationSeconds"] == 42
    assert explicit["status"] == "failed"

    # Moving the start recomputes the duration of an ended call.
    moved = await api.patch(f"/v1/calls/{ended['id']}", json={"startedAt": "2026-01-05T09:34:00Z"})
    assert moved.json()["durationSeconds"] == 10
    assert moved.json()["status"] == "ended"

    # Given together, an explicit status and duration win.
    patched = await api.patch(
        f"/v1/calls/{ended['id']}",
        json={"endedAt": "2026-01-05T09:40:00Z", "status": "failed", "durationSeconds": 7},
    )
    assert patched.json()["status"] == "failed"
    assert patched.json()["durationSeconds"] == 7

    reopened = await api.patch(f"/v1/calls/{ended['id']}", json={"endedAt": None})
    assert reopened.json()["endedAt"] is None
    assert reopened.json()["durationSeconds"] is None


async def test_end_before_start_is_refused(api: Api) -> None:
    backwards = await api.post(
        "/v1/calls", json={"startedAt": "2026-01-05T09:30:00Z", "endedAt": "2026-01-05T09:00:00Z"}
    )
    assert backwards.status_code == 422
    error = backwards.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    assert error["details"]["field"] == "endedAt"

    call = await _call(api, startedAt="2026-01-05T09:30:00Z")
    patched = await api.patch(f"/v1/calls/{call['id']}", json={"endedAt": "2026-01-05T09:29:59Z"})
    assert patched.status_code == 422
    assert patched.json()["error"]["details"]["field"] == "endedAt"
    unchanged = (await api.get(f"/v1/calls/{call['id']}")).json()
    assert unchanged["endedAt"] is None and unchanged["status"] == "in_progress"

    too_long = await api.post(
        "/v1/calls", json={"startedAt": "2000-01-01T00:00:00Z", "endedAt": "2026-01-01T00:00:00Z"}
    )
    assert too_long.status_code == 422


async def test_lead_link_must_be_in_the_workspace(api: Api, http: Any, make_tenant: Any) -> None:
    missing = await api.post("/v1/calls", json={"leadId": "lead_doesnotexist"})
    assert missing.status_code == 422
    error = missing.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    assert error["details"] == {"field": "leadId"}
    assert "lead_doesnotexist" in error["message"]

    other: Tenant = await make_tenant()
    other_api = Api(http, await other.key())
    foreign_lead = await _lead(other_api)
    foreign = await api.post("/v1/calls", json={"leadId": foreign_lead})
    assert foreign.status_code == 422

    call = await _call(api)
    patched = await api.patch(f"/v1/calls/{call['id']}", json={"leadId": foreign_lead})
    assert patched.status_code == 422
    assert patched.json()["error"]["details"] == {"field": "leadId"}

    # Calls of another workspace are invisible.
    assert (await other_api.get(f"/v1/calls/{call['id']}")).status_code == 404
    listed = (await other_api.get("/v1/calls")).json()
    assert call["id"] not in {item["id"] for item in listed["data"]}


async def test_transcript_upload(api: Api) -> None:
    call = await _call(api, startedAt="2026-01-05T09:30:00Z", endedAt="2026-01-05T09:31:00Z")
    segments = [
        {
            "speaker": "agent",
            "text": "Hello, how can I help?",
            "startSeconds": 0,
            "endSeconds": 2.4,
        },
        {"speaker": "caller", "text": "Book a demo.", "startSeconds": 2.9, "endSeconds": 5.1},
    ]
    uploaded = await api.post(
        f"/v1/calls/{call['id']}/transcript",
        json={
            "text": "Hello, how can I help? Book a demo.",
            "segments": segments,
            "language": "en-GB",
        },
    )
    assert uploaded.status_code == 200, uploaded.text
    transcript = uploaded.json()["transcript"]
    assert transcript["text"] == "Hello, how can I help? Book a demo."
    assert transcript["language"] == "en-GB"
    assert transcript["segments"] == [
        {
            "speaker": "agent",
            "text": "Hello, how can I help?",
            "startSeconds": 0.0,
            "endSeconds": 2.4,
        },
        {"speaker": "caller", "text": "Book a demo.", "startSeconds": 2.9, "endSeconds": 5.1},
    ]
    transcribed = datetime.fromisoformat(transcript["transcribedAt"])
    assert abs((datetime.now(UTC) - transcribed).total_seconds()) < 60
    assert uploaded.json()["durationSeconds"] == 60

    fetched = (await api.get(f"/v1/calls/{call['id']}", params={"fields": "transcript"})).json()
    assert fetched == {"id": call["id"], "transcript": transcript}

    replaced = await api.post(f"/v1/calls/{call['id']}/transcript", json={"text": "Short."})
    assert replaced.json()["transcript"]["segments"] is None
    assert replaced.json()["transcript"]["language"] is None
    assert replaced.json()["transcript"]["text"] == "Short."


async def test_transcript_validation_and_missing_call(api: Api) -> None:
    call = await _call(api)
    url = f"/v1/calls/{call['id']}/transcript"
    assert (await api.post(url, json={})).status_code == 422
    assert (await api.post(url, json={"text": ""})).status_code == 422
    assert (await api.post(url, json={"text": "x" * 200_001})).status_code == 422
    assert (
        await api.post(url, json={"text": "hi", "language": "not a language"})
    ).status_code == 422
    backwards = await api.post(
        url,
        json={
            "text": "hi",
            "segments": [{"speaker": "agent", "text": "hi", "startSeconds": 3, "endSeconds": 1}],
        },
    )
    assert backwards.status_code == 422
    too_many = await api.post(
        url,
        json={
            "text": "hi",
            "segments": [{"speaker": "a", "text": "", "startSeconds": 0, "endSeconds": 0}] * 5001,
        },
    )
    assert too_many.status_code == 422
    assert (await api.get(f"/v1/calls/{call['id']}")).json()["transcript"] is None

    missing = await api.post("/v1/calls/call_missing/transcript", json={"text": "hi"})
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "NOT_FOUND"
    assert (await api.get("/v1/calls/call_missing")).status_code == 404
    assert (await api.patch("/v1/calls/call_missing", json={"summary": "x"})).status_code == 404


async def test_list_paginates_filters_and_sorts(api: Api) -> None:
    lead_id = await _lead(api)
    ids = []
    for minute in range(7):
        call = await _call(
            api,
            startedAt=f"2026-01-05T09:{minute:02d}:00Z",
            direction="outbound" if minute % 2 else "inbound",
            leadId=lead_id if minute < 3 else None,
        )
        ids.append(call["id"])

    first = (await api.get("/v1/calls", params={"limit": 3, "sort": "startedAt"})).json()
    assert first["pagination"]["total"] == 7
    assert first["pagination"]["hasMore"] is True
    seen = [item["id"] for item in first["data"]]
    cursor = first["pagination"]["nextCursor"]
    while cursor:
        page = (
            await api.get("/v1/calls", params={"limit": 3, "sort": "startedAt", "cursor": cursor})
        ).json()
        seen += [item["id"] for item in page["data"]]
        cursor = page["pagination"]["nextCursor"]
    assert seen == ids

    by_offset = (await api.get("/v1/calls", params={"limit": 3, "offset": 6})).json()
    assert len(by_offset["data"]) == 1 and by_offset["pagination"]["hasMore"] is False

    newest_first = (await api.get("/v1/calls", params={"sort": "-startedAt"})).json()
    assert [item["id"] for item in newest_first["data"]] == ids[::-1]

    outbound = (await api.get("/v1/calls", params={"direction": "outbound"})).json()
    assert {item["id"] for item in outbound["data"]} == {ids[1], ids[3], ids[5]}

    linked = (await api.get("/v1/calls", params={"leadId": lead_id})).json()
    assert {item["id"] for item in linked["data"]} == set(ids[:3])

    window = (
        await api.get(
            "/v1/calls",
            params={
                "startedAfter": "2026-01-05T09:02:00Z",
                "startedBefore": "2026-01-05T09:04:00Z",
            },
        )
    ).json()
    assert {item["id"] for item in window["data"]} == {ids[2], ids[3]}

    await api.patch(f"/v1/calls/{ids[0]}", json={"endedAt": "2026-01-05T09:10:00Z"})
    ended = (await api.get("/v1/calls", params={"status": "ended", "fields": "status"})).json()
    assert ended["data"] == [{"id": ids[0], "status": "ended"}]

    future = (await api.get("/v1/calls", params={"createdAfter": "2100-01-01T00:00:00Z"})).json()
    assert future["data"] == [] and future["pagination"]["total"] == 0

    bad_sort = await api.get("/v1/calls", params={"sort": "summary"})
    assert bad_sort.status_code == 400


async def test_a_started_window_sorted_by_another_column_pages_in_order(api: Api) -> None:
    # A closed `startedAt` window listed by `createdAt` or `updatedAt` is sorted from its own
    # ids (docs/operations/scale.md): pages, cursors and offsets must come out as usual.
    ids = [
        (await _call(api, startedAt=f"2026-02-05T09:{minute:02d}:00Z"))["id"] for minute in range(7)
    ]
    window = {"startedAfter": "2026-02-05T09:01:00Z", "startedBefore": "2026-02-05T09:06:00Z"}
    for sort, expected in (("-createdAt", ids[5:0:-1]), ("updatedAt", ids[1:6])):
        seen: list[str] = []
        cursor = None
        while True:
            params = {**window, "sort": sort, "limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await api.get("/v1/calls", params=params)).json()
            assert page["pagination"]["total"] == 5
            seen += [item["id"] for item in page["data"]]
            cursor = page["pagination"]["nextCursor"]
            if cursor is None:
                break
        assert seen == expected, sort
        skipped = (await api.get("/v1/calls", params={**window, "sort": sort, "offset": 3})).json()
        assert [item["id"] for item in skipped["data"]] == expected[3:]


async def test_bad_call_input_is_a_clear_422(api: Api) -> None:
    for body in (
        {"direction": "sideways"},
        {"status": "ringing"},
        {"outcome": "great"},
        {"fromNumber": "not a number"},
        {"durationSeconds": -1},
        {"colour": "red"},
        {"startedAt": "yesterday"},
    ):
        response = await api.post("/v1/calls", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "VALIDATION_FAILED"

    call = await _call(api)
    for body in ({"status": None}, {"direction": None}, {"startedAt": None}):
        response = await api.patch(f"/v1/calls/{call['id']}", json=body)
        assert response.status_code == 422, body

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Api, Tenant

SLOT = {"startsAt": "2030-01-08T14:00:00Z", "endsAt": "2030-01-08T14:30:00Z"}


async def events(api: Api, resource_id: str) -> list[str]:
    response = await api.get("/v1/events", params={"sort": "timestamp", "limit": 100})
    assert response.status_code == 200, response.text
    return [e["type"] for e in response.json()["data"] if e["data"].get("id") == resource_id]


async def book(api: Api, **extra: Any) -> dict[str, Any]:
    response = await api.post("/v1/appointments", json={**SLOT, **extra})
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_book_reschedule_complete_with_events(api: Api) -> None:
    lead = (await api.post("/v1/leads", json={"email": "ada@example.com"})).json()
    appointment = await book(
        api,
        leadId=lead["id"],
        title="Demo",
        startsAt="2030-01-08T15:00:00+01:00",
        endsAt="2030-01-08T15:30:00+01:00",
        timeZone="Europe/Paris",
        joinUrl="https://meet.example.com/abc",
        customFields={"campaign": "spring"},
    )
    assert appointment["id"].startswith("appt_")
    assert appointment["status"] == "scheduled"
    assert appointment["source"] == "api"
    assert appointment["startsAt"] == "2030-01-08T14:00:00Z"  # stored in UTC
    assert appointment["timeZone"] == "Europe/Paris"  # the invitee's zone is kept
    assert appointment["leadId"] == lead["id"]
    assert (await api.get(f"/v1/appointments/{appointment['id']}")).json() == appointment

    moved = await api.patch(
        f"/v1/appointments/{appointment['id']}",
        json={"startsAt": "2030-01-09T14:00:00Z", "endsAt": "2030-01-09T14:30:00Z"},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "rescheduled"

    done = await api.patch(f"/v1/appointments/{appointment['id']}", json={"status": "completed"})
    assert done.json()["status"] == "completed"
    assert await events(api, appointment["id"]) == [
        "appointment.scheduled",
        "appointment.rescheduled",
        "appointment.completed",
    ]


async def test_cancel_emits_canceled_and_an_unchanged_patch_emits_nothing(api: Api) -> None:
    appointment = await book(api)
    canceled = await api.patch(
        f"/v1/appointments/{appointment['id']}",
        json={"status": "canceled", "cancelReason": "Out sick"},
    )
    assert canceled.json()["status"] == "canceled"
    assert canceled.json()["cancelReason"] == "Out sick"
    same = await api.patch(f"/v1/appointments/{appointment['id']}", json={"status": "canceled"})
    assert same.status_code == 200
    assert await events(api, appointment["id"]) == [
        "appointment.scheduled",
        "appointment.canceled",
    ]


async def test_filters_by_lead_status_and_time_range_with_cursor_pages(api: Api) -> None:
    lead = (await api.post("/v1/leads", json={"name": "Grace"})).json()
    days = ["2030-02-01", "2030-02-02", "2030-02-03", "2030-02-04", "2030-02-05"]
    made = [
        await book(api, leadId=lead["id"], startsAt=f"{d}T10:00:00Z", endsAt=f"{d}T11:00:00Z")
        for d in days
    ]
    await book(api)  # another slot, no lead
    await api.patch(f"/v1/appointments/{made[0]['id']}", json={"status": "no_show"})

    by_lead = (await api.get("/v1/appointments", params={"leadId": lead["id"]})).json()
    assert by_lead["pagination"]["total"] == 5
    by_source = (await api.get("/v1/appointments", params={"source": "api"})).json()
    assert by_source["pagination"]["total"] == 6
    assert (await api.get("/v1/appointments", params={"source": "calendly"})).json()["data"] == []
    no_show = (await api.get("/v1/appointments", params={"status": "no_show"})).json()
    assert [a["id"] for a in no_show["data"]] == [made[0]["id"]]
    window = (
        await api.get(
            "/v1/appointments",
            params={
                "startsAfter": "2030-02-02T00:00:00Z",
                "startsBefore": "2030-02-04T00:00:00Z",
                "sort": "startsAt",
            },
        )
    ).json()
    assert [a["id"] for a in window["data"]] == [made[1]["id"], made[2]["id"]]

    seen: list[str] = []
    params: dict[str, Any] = {"leadId": lead["id"], "limit": 2, "sort": "startsAt"}
    while True:
        page = (await api.get("/v1/appointments", params=params)).json()
        seen += [a["id"] for a in page["data"]]
        if not page["pagination"]["nextCursor"]:
            break
        params["cursor"] = page["pagination"]["nextCursor"]
    assert seen == [a["id"] for a in made]


async def test_bad_input_is_a_clear_4xx(api: Api) -> None:
    backwards = await api.post(
        "/v1/appointments",
        json={"startsAt": "2030-01-08T14:00:00Z", "endsAt": "2030-01-08T13:00:00Z"},
    )
    assert backwards.status_code == 422
    assert backwards.json()["error"]["code"] == "VALIDATION_FAILED"

    zone = await api.post("/v1/appointments", json={**SLOT, "timeZone": "Mars/Olympus"})
    assert zone.status_code == 422
    assert zone.json()["error"]["details"]["errors"][0]["field"] == "timeZone"

    missing_lead = await api.post("/v1/appointments", json={**SLOT, "leadId": "lead_nope"})
    assert missing_lead.status_code == 422
    assert missing_lead.json()["error"]["details"]["field"] == "leadId"

    source = await api.post("/v1/appointments", json={**SLOT, "source": "calendly"})
    assert source.status_code == 422  # the source is Hubwire's to set

    appointment = await book(api)
    inverted = await api.patch(
        f"/v1/appointments/{appointment['id']}", json={"endsAt": "2030-01-08T13:00:00Z"}
    )
    assert inverted.status_code == 422
    null_status = await api.patch(f"/v1/appointments/{appointment['id']}", json={"status": None})
    assert null_status.status_code == 422
    bad_status = await api.get("/v1/appointments", params={"status": "lost"})
    assert bad_status.status_code == 422
    missing = await api.get("/v1/appointments/appt_missing")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "NOT_FOUND"


async def test_scopes_are_enforced(http: httpx.AsyncClient, tenant: Tenant) -> None:
    reader = Api(http, await tenant.key(["appointments:read"]))
    assert (await reader.get("/v1/appointments")).status_code == 200
    denied = await reader.post("/v1/appointments", json=SLOT)
    assert denied.status_code == 403


async def test_analytics_counts_booked_canceled_and_no_show_rate(api: Api) -> None:
    statuses = ["completed", "completed", "completed", "no_show", "canceled", None]
    for status in statuses:
        appointment = await book(api)
        if status:
            await api.patch(f"/v1/appointments/{appointment['id']}", json={"status": status})
    summary = (await api.get("/v1/analytics/summary")).json()["appointments"]
    assert summary["booked"] == 6
    assert summary["canceled"] == 1
    assert summary["byStatus"]["scheduled"] == 1
    assert summary["noShowRate"] == 0.25

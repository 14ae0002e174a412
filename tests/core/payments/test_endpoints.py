from __future__ import annotations

from typing import Any

from tests.conftest import Api


async def events(api: Api, resource_id: str) -> list[str]:
    response = await api.get("/v1/events", params={"sort": "timestamp", "limit": 100})
    assert response.status_code == 200, response.text
    return [e["type"] for e in response.json()["data"] if e["data"].get("id") == resource_id]


async def record(api: Api, **fields: Any) -> dict[str, Any]:
    response = await api.post("/v1/payments", json={"amount": 4900, "currency": "eur", **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_record_links_the_lead_by_email_then_refund_in_two_steps(api: Api) -> None:
    lead = (await api.post("/v1/leads", json={"email": "Ada@Example.com"})).json()
    payment = await record(
        api,
        customerEmail="ada@example.com",
        description="Pro plan",
        occurredAt="2030-01-08T15:00:00+01:00",
    )
    assert payment["id"].startswith("pay_")
    assert payment["currency"] == "EUR"
    assert payment["status"] == "succeeded"
    assert payment["provider"] == "api"
    assert payment["leadId"] == lead["id"]
    assert payment["occurredAt"] == "2030-01-08T14:00:00Z"
    assert (await api.get(f"/v1/payments/{payment['id']}")).json() == payment

    part = await api.patch(f"/v1/payments/{payment['id']}", json={"refundedAmount": 900})
    assert part.status_code == 200, part.text
    assert part.json()["status"] == "partially_refunded"
    full = await api.patch(f"/v1/payments/{payment['id']}", json={"refundedAmount": 4900})
    assert full.json()["status"] == "refunded"
    assert await events(api, payment["id"]) == [
        "payment.completed",
        "payment.refunded",
        "payment.refunded",
    ]


async def test_lead_matched_by_phone_when_no_email_matches(api: Api) -> None:
    lead = (await api.post("/v1/leads", json={"phone": "+44 20 7946 0000"})).json()
    payment = await record(
        api, customerEmail="nobody@example.com", customerPhone="+44 20 7946 0000"
    )
    assert payment["leadId"] == lead["id"]
    unmatched = await record(api, customerEmail="stranger@example.com")
    assert unmatched["leadId"] is None


async def test_pending_then_failed_then_succeeded_on_retry(api: Api) -> None:
    payment = await record(api, status="pending")
    assert await events(api, payment["id"]) == []
    failed = await api.patch(
        f"/v1/payments/{payment['id']}", json={"status": "failed", "failureReason": "card_declined"}
    )
    assert failed.json()["status"] == "failed"
    retried = await api.patch(f"/v1/payments/{payment['id']}", json={"status": "succeeded"})
    assert retried.json()["status"] == "succeeded"
    assert await events(api, payment["id"]) == ["payment.failed", "payment.completed"]


async def test_refused_moves_are_422_and_change_nothing(api: Api) -> None:
    payment = await record(api, refundedAmount=1000)
    assert payment["status"] == "partially_refunded"
    for body, field in (
        ({"status": "failed"}, "status"),
        ({"refundedAmount": 500}, "refundedAmount"),
        ({"refundedAmount": 5000}, "refundedAmount"),
    ):
        response = await api.patch(f"/v1/payments/{payment['id']}", json=body)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"] == "VALIDATION_FAILED"
        assert response.json()["error"]["details"]["field"] == field
    assert (await api.get(f"/v1/payments/{payment['id']}")).json() == payment
    pending = await record(api, status="pending")
    refund = await api.patch(f"/v1/payments/{pending['id']}", json={"refundedAmount": 1})
    assert refund.status_code == 422


async def test_bad_input_is_refused_with_the_field_named(api: Api) -> None:
    cases: list[dict[str, Any]] = [
        {"amount": -1, "currency": "EUR"},
        {"amount": 100, "currency": "EURO"},
        {"amount": 100},
        {"amount": 1.5, "currency": "EUR"},
        {"amount": 100, "currency": "EUR", "status": "refunded"},
        {"amount": 100, "currency": "EUR", "refundedAmount": 200},
        {"amount": 100, "currency": "EUR", "status": "failed", "refundedAmount": 10},
        {"amount": 100, "currency": "EUR", "provider": "Not A Slug"},
        {"amount": 100, "currency": "EUR", "colour": "red"},
        {"amount": 100, "currency": "EUR", "leadId": "lead_missing"},
        {"amount": 10**15, "currency": "EUR"},
    ]
    for body in cases:
        response = await api.post("/v1/payments", json=body)
        assert response.status_code == 422, (body, response.text)
    listed = await api.get("/v1/payments")
    assert listed.json()["data"] == []


async def test_provider_id_is_unique_per_provider(api: Api) -> None:
    first = await record(api, provider="paypal", providerId="PAYID-1")
    again = await api.post(
        "/v1/payments",
        json={"amount": 1, "currency": "USD", "provider": "paypal", "providerId": "PAYID-1"},
    )
    assert again.status_code == 409
    assert again.json()["error"]["details"]["id"] == first["id"]
    other = await record(api, provider="square", providerId="PAYID-1")
    assert other["id"] != first["id"]


async def test_filters_and_cursor_pages(api: Api) -> None:
    made = [
        await record(api, occurredAt=f"2030-02-0{day}T10:00:00Z", currency=currency)
        for day, currency in ((1, "EUR"), (2, "USD"), (3, "EUR"), (4, "EUR"))
    ]
    await record(api, status="failed", occurredAt="2030-02-02T10:00:00Z")
    params = {
        "status": "succeeded",
        "currency": "eur",
        "occurredAfter": "2030-02-01T00:00:00Z",
        "sort": "occurredAt",
        "limit": 2,
    }
    first = (await api.get("/v1/payments", params=params)).json()
    assert [p["id"] for p in first["data"]] == [made[0]["id"], made[2]["id"]]
    assert first["pagination"]["hasMore"] is True
    second = (
        await api.get(
            "/v1/payments", params={**params, "cursor": first["pagination"]["nextCursor"]}
        )
    ).json()
    assert [p["id"] for p in second["data"]] == [made[3]["id"]]
    bad = await api.get("/v1/payments", params={"status": "lost"})
    assert bad.status_code == 422


async def test_scopes_are_required(api: Api, tenant: Any) -> None:
    reader = Api(api.http, await tenant.key(scopes=["payments:read"]))
    assert (await reader.get("/v1/payments")).status_code == 200
    refused = await reader.post("/v1/payments", json={"amount": 1, "currency": "EUR"})
    assert refused.status_code == 403
    outsider = Api(api.http, await tenant.key(scopes=["leads:read"]))
    assert (await outsider.get("/v1/payments")).status_code == 403


async def test_revenue_summary_and_series(api: Api) -> None:
    await record(api, amount=1000, occurredAt="2030-03-01T09:00:00Z")
    await record(
        api, amount=3000, refundedAmount=500, occurredAt="2030-03-02T09:00:00Z", provider="stripe"
    )
    await record(api, amount=700, currency="USD", occurredAt="2030-03-02T10:00:00Z")
    await record(api, amount=9999, status="failed", occurredAt="2030-03-02T11:00:00Z")
    period = {"dateFrom": "2030-03-01", "dateTo": "2030-03-04"}
    summary = (await api.get("/v1/analytics/summary", params=period)).json()["payments"]
    assert summary["total"] == 4
    assert summary["byStatus"]["failed"] == 1
    assert summary["byStatus"]["partially_refunded"] == 1
    assert summary["revenue"] == {"EUR": 3500, "USD": 700}
    assert summary["refunded"] == {"EUR": 500}
    assert summary["bySource"] == {"api": {"EUR": 1000, "USD": 700}, "stripe": {"EUR": 2500}}
    series = (await api.get("/v1/analytics/revenue", params=period)).json()["series"]
    assert [(b["time"], b["payments"], b["revenue"]) for b in series] == [
        ("2030-03-01", 1, {"EUR": 1000}),
        ("2030-03-02", 2, {"EUR": 2500, "USD": 700}),
        ("2030-03-03", 0, {}),
    ]

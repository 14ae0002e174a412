from __future__ import annotations

from tests.conftest import Api


async def test_create_get_update_delete_lead(api: Api) -> None:
    created = await api.post(
        "/v1/leads",
        json={
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "tags": ["vip"],
            "customFields": {"budget": 5},
        },
    )
    assert created.status_code == 201, created.text
    lead = created.json()
    assert lead["id"].startswith("lead_")
    assert lead["status"] == "new"
    assert lead["customFields"] == {"budget": 5}

    fetched = await api.get(f"/v1/leads/{lead['id']}")
    assert fetched.json() == lead

    updated = await api.patch(
        f"/v1/leads/{lead['id']}", json={"status": "qualified", "phone": "+44 20 7946 0000"}
    )
    assert updated.status_code == 200
    assert updated.json()["status"] == "qualified"
    assert updated.json()["phone"] == "+44 20 7946 0000"
    assert updated.json()["email"] == "ada@example.com"

    deleted = await api.delete(f"/v1/leads/{lead['id']}")
    assert deleted.status_code == 204
    missing = await api.get(f"/v1/leads/{lead['id']}")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "NOT_FOUND"


async def test_list_paginates_by_offset_and_cursor_without_gaps(api: Api) -> None:
    ids = set()
    for index in range(7):
        response = await api.post("/v1/leads", json={"name": f"Lead {index}", "source": "web"})
        ids.add(response.json()["id"])

    first = (await api.get("/v1/leads", params={"limit": 3})).json()
    assert first["pagination"]["total"] == 7
    assert first["pagination"]["hasMore"] is True
    assert len(first["data"]) == 3

    seen = [item["id"] for item in first["data"]]
    cursor = first["pagination"]["nextCursor"]
    while cursor:
        page = (await api.get("/v1/leads", params={"limit": 3, "cursor": cursor})).json()
        seen += [item["id"] for item in page["data"]]
        cursor = page["pagination"]["nextCursor"]
    assert len(seen) == 7 and set(seen) == ids

    by_offset = (await api.get("/v1/leads", params={"limit": 3, "offset": 6})).json()
    assert [item["id"] for item in by_offset["data"]] == seen[6:]
    assert by_offset["pagination"]["hasMore"] is False


async def test_filters_sort_and_field_selection(api: Api) -> None:
    await api.post("/v1/leads", json={"name": "Alpha", "status": "qualified", "tags": ["vip"]})
    await api.post("/v1/leads", json={"name": "Beta", "status": "new"})
    await api.post(
        "/v1/leads", json={"name": "Gamma", "status": "qualified", "company": "Alphabet"}
    )

    qualified = (
        await api.get("/v1/leads", params={"status": "qualified", "sort": "createdAt"})
    ).json()
    assert [lead["name"] for lead in qualified["data"]] == ["Alpha", "Gamma"]

    searched = (await api.get("/v1/leads", params={"search": "alpha"})).json()
    assert {lead["name"] for lead in searched["data"]} == {"Alpha", "Gamma"}

    tagged = (await api.get("/v1/leads", params={"tag": "vip", "fields": "name"})).json()
    assert tagged["data"] == [{"id": tagged["data"][0]["id"], "name": "Alpha"}]


async def test_a_search_shorter_than_three_characters_is_refused(api: Api) -> None:
    # No trigram index can serve it: at a million leads it would scan the table.
    await api.post("/v1/leads", json={"name": "Al"})
    short = await api.get("/v1/leads", params={"search": "al"})
    assert short.status_code == 422
    assert short.json()["error"]["code"] == "VALIDATION_FAILED"
    assert short.json()["error"]["details"]["errors"][0]["field"] == "search"
    assert (await api.get("/v1/leads", params={"search": "ALx"})).status_code == 200


async def test_bad_input_is_a_clear_4xx(api: Api) -> None:
    invalid = await api.post("/v1/leads", json={"email": "not-an-email"})
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "VALIDATION_FAILED"
    assert invalid.json()["error"]["details"]["errors"][0]["field"] == "email"

    unknown_field = await api.post("/v1/leads", json={"name": "x", "colour": "red"})
    assert unknown_field.status_code == 422

    bad_sort = await api.get("/v1/leads", params={"sort": "password"})
    assert bad_sort.status_code == 400
    assert bad_sort.json()["error"]["code"] == "INVALID_REQUEST"

    bad_cursor = await api.get("/v1/leads", params={"cursor": "%%%"})
    assert bad_cursor.status_code == 400

    both = await api.get("/v1/leads", params={"cursor": "abc", "offset": 1})
    assert both.status_code == 400

    null_status = await api.patch("/v1/leads/lead_missing", json={"status": None})
    assert null_status.status_code == 422


async def test_custom_fields_refuse_integers_past_64_bits(api: Api) -> None:
    """Such a number would lose precision in a JavaScript client and cannot be encoded in a
    response: it is a 422 naming the field, not a 500, and a string is the way to send it."""
    big = 2**70
    for fields in ({"accountNumber": big}, {"nested": {"list": [1, -big]}}):
        refused = await api.post("/v1/leads", json={"name": "Big", "customFields": fields})
        assert refused.status_code == 422, refused.text
        assert "64-bit" in refused.text
        assert "customFields" in refused.text
    at_the_edge = {"max": 2**63 - 1, "min": -(2**63), "asText": str(big)}
    created = await api.post("/v1/leads", json={"name": "Edge", "customFields": at_the_edge})
    assert created.status_code == 201, created.text
    listed = await api.get("/v1/leads", params={"search": "edge"})
    assert [lead["customFields"] for lead in listed.json()["data"]] == [at_the_edge]

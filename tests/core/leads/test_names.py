"""Leads keep ``name`` and its parts ``firstName``/``lastName`` in step (core/leads/names.py)."""

from __future__ import annotations

import pytest

from core.leads.names import LeadNameConflict, NameParts, resolve
from tests.conftest import Api


async def test_seed_request_with_parts_succeeds_and_carries_all_three(api: Api) -> None:
    body = {
        "source": "partner_integration",
        "email": "john@example.com",
        "firstName": "John",
        "lastName": "Doe",
        "customFields": {"insuranceType": "AUTO"},
    }
    created = await api.post("/v1/leads", json=body)
    assert created.status_code == 201, created.text
    lead = created.json()
    assert (lead["name"], lead["firstName"], lead["lastName"]) == ("John Doe", "John", "Doe")
    assert lead["customFields"] == {"insuranceType": "AUTO"}
    fetched = (await api.get(f"/v1/leads/{lead['id']}")).json()
    assert fetched["firstName"] == "John" and fetched["lastName"] == "Doe"


async def test_unknown_top_level_field_points_to_custom_fields(api: Api) -> None:
    response = await api.post(
        "/v1/leads",
        json={"email": "john@example.com", "lastName": "Doe", "insuranceType": "AUTO"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    [entry] = error["details"]["errors"]
    assert entry["field"] == "insuranceType"
    assert entry["type"] == "extra_forbidden"
    assert "customFields" in entry["message"]


async def test_name_alone_is_split_on_the_last_word(api: Api) -> None:
    lead = (await api.post("/v1/leads", json={"name": "Ada King Lovelace"})).json()
    assert (lead["firstName"], lead["lastName"]) == ("Ada King", "Lovelace")
    single = (await api.post("/v1/leads", json={"name": "Cher"})).json()
    assert (single["firstName"], single["lastName"], single["name"]) == (None, "Cher", "Cher")


async def test_name_disagreeing_with_parts_is_422_naming_the_fields(api: Api) -> None:
    response = await api.post(
        "/v1/leads", json={"name": "Ada Lovelace", "firstName": "Grace", "lastName": "Hopper"}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    assert [e["field"] for e in error["details"]["errors"]] == ["name", "firstName", "lastName"]
    agreeing = await api.post(
        "/v1/leads", json={"name": "Ada Lovelace", "firstName": "Ada", "lastName": "Lovelace"}
    )
    assert agreeing.status_code == 201


async def test_patch_a_part_moves_the_name_and_a_name_resplits(api: Api) -> None:
    lead = (await api.post("/v1/leads", json={"firstName": "Ada", "lastName": "Byron"})).json()
    renamed = await api.patch(f"/v1/leads/{lead['id']}", json={"lastName": "Lovelace"})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Ada Lovelace"
    again = (await api.patch(f"/v1/leads/{lead['id']}", json={"name": "Grace Hopper"})).json()
    assert (again["firstName"], again["lastName"]) == ("Grace", "Hopper")
    bad = await api.patch(f"/v1/leads/{lead['id']}", json={"name": "Ada X", "lastName": "Y"})
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["error"]["details"]["errors"]] == ["name", "lastName"]
    cleared = (await api.patch(f"/v1/leads/{lead['id']}", json={"name": None})).json()
    assert (cleared["name"], cleared["firstName"], cleared["lastName"]) == (None, None, None)


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ({"name": "Jean de la Fontaine", "first_name": "Jean"}, ("Jean", "de la Fontaine")),
        ({"name": "Mary Ann Smith", "last_name": "Smith"}, ("Mary Ann", "Smith")),
        ({"first_name": "Ada"}, ("Ada", None)),
        ({"name": "Ada", "last_name": None}, ("Ada", None)),
    ],
)
def test_resolve_fills_the_part_not_sent(
    sent: dict[str, str | None], expected: tuple[str | None, str | None]
) -> None:
    parts = resolve(sent)
    assert parts is not None
    assert (parts.first_name, parts.last_name) == expected


def test_resolve_refuses_a_too_long_join_and_a_mismatch() -> None:
    with pytest.raises(LeadNameConflict):
        resolve({"first_name": "a" * 150, "last_name": "b" * 150})
    with pytest.raises(LeadNameConflict):
        resolve({"name": "Ada Lovelace", "first_name": "Grace"})
    assert resolve({"email": "x"}, NameParts("A B", "A", "B")) is None

"""What a database cannot store (a NUL character on PostgreSQL, an unpaired surrogate on
any) is refused on every backend alike: 400 in the URL, 422 in a body, each place named,
and nothing written."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Api

NUL = "\u0000"


def _nul_errors(response: httpx.Response, status: int, code: str) -> list[tuple[str, str]]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["requestId"] == response.headers["X-Request-Id"]
    assert {e["type"] for e in error["details"]["errors"]} == {"nul_character"}
    return [(e["in"], e["field"]) for e in error["details"]["errors"]]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": f"Ada{NUL}"}, ["name"]),
        ({"name": "Ada", "tags": ["vip", f"x{NUL}"]}, ["tags.1"]),
        ({"name": "Ada", "customFields": {"note": f"{NUL}", f"k{NUL}": 1}}, None),
    ],
)
async def test_a_nul_in_a_json_body_is_a_422_naming_the_field(
    api: Api, body: dict[str, Any], fields: list[str] | None
) -> None:
    email = "nul-body@example.com"
    response = await api.post("/v1/leads", json={**body, "email": email})
    named = _nul_errors(response, 422, "VALIDATION_FAILED")
    expected = fields or ["customFields.note", f"customFields.k{NUL}"]
    assert sorted(named) == sorted(("body", field) for field in expected)
    listed = await api.get("/v1/leads", params={"email": email})
    assert listed.json()["data"] == []


async def test_a_nul_in_an_update_or_another_resource_is_refused_too(api: Api) -> None:
    lead = await api.post("/v1/leads", json={"name": "Ada", "email": "nul-patch@example.com"})
    assert lead.status_code == 201, lead.text
    patched = await api.patch(f"/v1/leads/{lead.json()['id']}", json={"company": f"A{NUL}"})
    assert _nul_errors(patched, 422, "VALIDATION_FAILED") == [("body", "company")]
    webhook = await api.post(
        "/v1/webhooks",
        json={"url": "https://example.com/h", "events": ["lead.*"], "description": f"d{NUL}"},
    )
    assert _nul_errors(webhook, 422, "VALIDATION_FAILED") == [("body", "description")]


async def test_a_backslash_before_u0000_is_text_not_a_nul(api: Api) -> None:
    # JSON `"\\u0000"` is a backslash followed by "u0000": stored as written.
    raw = b'{"name": "path\\\\u0000", "email": "nul-escaped@example.com"}'
    response = await api.post(
        "/v1/leads", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "path\\u0000"


@pytest.mark.parametrize("param", ["search", "email", "tag", "createdAfter"])
async def test_a_nul_in_a_query_parameter_is_a_400_naming_it(api: Api, param: str) -> None:
    response = await api.get(f"/v1/leads?limit=5&{param}=a%00b")
    assert _nul_errors(response, 400, "INVALID_REQUEST") == [("query", param)]


async def test_a_nul_in_a_path_id_is_a_400(api: Api) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        response = await api.request(method, "/v1/leads/lead_%00x")
        assert _nul_errors(response, 400, "INVALID_REQUEST") == [("path", "lead_%00x")]


async def test_a_nul_in_a_form_body_is_refused_before_the_oauth_server_looks_it_up(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials", "client_id": f"app{NUL}"}
    )
    assert _nul_errors(response, 422, "VALIDATION_FAILED") == [("body", "client_id")]


async def test_an_unpaired_surrogate_in_a_free_form_field_is_a_422_not_a_500(api: Api) -> None:
    raw = b'{"name": "Ada", "customFields": {"note": "\\ud800", "\\udc00": 1}}'
    response = await api.post(
        "/v1/leads", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    errors = response.json()["error"]["details"]["errors"]
    assert sorted((e["field"], e["type"]) for e in errors) == [
        ("customFields.\\udc00", "string_unicode"),
        ("customFields.note", "string_unicode"),
    ]
    # A pair is one character, stored as sent.
    paired = await api.post(
        "/v1/leads",
        content=b'{"name": "Ada \\ud83d\\ude00", "customFields": {"mood": "\\ud83d\\ude00"}}',
        headers={"Content-Type": "application/json"},
    )
    assert paired.status_code == 201, paired.text
    assert paired.json()["customFields"] == {"mood": "\U0001f600"}

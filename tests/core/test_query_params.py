"""Unknown query parameters are refused like unknown body fields: 422, extra_forbidden."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from core.openapi import operations
from core.query_params import declared_query_parameters
from tests.conftest import Api


def _unknown(response: httpx.Response) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    assert {e["in"] for e in error["details"]["errors"]} == {"query"}
    assert {e["type"] for e in error["details"]["errors"]} == {"extra_forbidden"}
    return [(e["field"], e["message"]) for e in error["details"]["errors"]]


async def test_a_misspelt_filter_is_refused_naming_what_the_route_takes(api: Api) -> None:
    [(field, message)] = _unknown(await api.get("/v1/leads?stauts=new&limit=5"))
    assert field == "stauts"
    assert "status" in message and "limit" in message
    fine = await api.get("/v1/leads?status=new&limit=5&fields=id,email&createdAfter=2026-01-01")
    assert fine.status_code == 200, fine.text


async def test_each_unknown_parameter_is_listed_once(api: Api) -> None:
    named = _unknown(await api.get("/v1/leads?a=1&b=2&a=3"))
    assert [field for field, _ in named] == ["a", "b"]


async def test_a_route_without_query_parameters_refuses_any_and_does_nothing(api: Api) -> None:
    lead = await api.post("/v1/leads", json={"name": "Kept", "email": "kept@example.com"})
    assert lead.status_code == 201, lead.text
    url = f"/v1/leads/{lead.json()['id']}"
    [(field, message)] = _unknown(await api.delete(f"{url}?force=true"))
    assert field == "force"
    assert message == "Unknown query parameter; this route takes none."
    assert (await api.get(url)).status_code == 200


async def test_plugin_routes_follow_the_same_rule(api: Api) -> None:
    assert [f for f, _ in _unknown(await api.get("/v1/oauth-apps?colour=red"))] == ["colour"]
    assert [f for f, _ in _unknown(await api.delete("/v1/hooks/wh_nope?colour=red"))] == ["colour"]


async def test_authentication_comes_first(http: httpx.AsyncClient) -> None:
    assert (await http.get("/v1/leads?stauts=new")).status_code == 401


def test_every_query_parameter_the_spec_documents_is_accepted(app: FastAPI) -> None:
    spec = app.openapi()
    for op in operations(app):
        documented = {
            param["name"]
            for param in spec["paths"][op.spec_path][op.method.lower()].get("parameters", [])
            if param["in"] == "query"
        }
        assert documented <= set(declared_query_parameters(op.route)), (op.method, op.path)


async def test_login_and_refresh_follow_it_too(http: httpx.AsyncClient) -> None:
    body = {"email": "nobody@example.com", "password": "wrong password"}
    named = _unknown(await http.post("/v1/auth/login?remember=1", json=body))
    assert [field for field, _ in named] == ["remember"]
    named = _unknown(await http.post("/v1/auth/refresh?x=1", json={"refreshToken": "nope"}))
    assert [field for field, _ in named] == ["x"]


async def test_the_provider_callback_ignores_what_the_provider_adds(
    http: httpx.AsyncClient,
) -> None:
    # Providers add their own parameters (Salesforce: sfdc_community_url); the unknown
    # state is what the callback answers about.
    response = await http.get(
        "/v1/connections/callback?state=unknown&code=c&sfdc_community_url=https://x.example"
    )
    assert response.status_code == 400, response.text
    assert "extra_forbidden" not in response.text

"""Walks every operation of the API twice: once with another workspace's key (isolation),
once with a key that lacks exactly the route's scope (authorization)."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from fastapi import FastAPI

from core.auth.scopes import ALL_SCOPES
from core.connections.models import Connection
from core.openapi import Operation, operations
from tests.conftest import Api, Tenant


def _example_body(spec: dict[str, Any], op: Operation) -> Any:
    """The documented example of an operation's request body (every body must have one)."""
    entry = spec["paths"][op.spec_path][op.method.lower()]
    body = entry.get("requestBody")
    if body is None:
        return None
    media = body["content"]["application/json"]
    schema = media["schema"]
    if "$ref" not in schema:
        schema = next((s for s in schema.get("anyOf", []) if "$ref" in s), schema)
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    examples = schema.get("examples") or ([media["example"]] if "example" in media else [])
    assert examples, f"{op.method} {op.path}: document an example request body"
    return examples[0]


async def _seed(api: Api, tenant: Tenant) -> dict[str, str]:
    """One of every resource in a workspace; returns path-parameter name -> id."""
    lead = (await api.post("/v1/leads", json={"name": "Owned lead"})).json()
    ids = {"lead_id": lead["id"], "client_id": tenant.client_id, "workspace_id": tenant.id}
    agent = await api.post("/v1/agents", json={"name": "Grace"})
    assert agent.status_code == 201, agent.text
    ids["agent_id"] = agent.json()["id"]
    call = await api.post(
        "/v1/calls",
        json={"leadId": lead["id"], "agentId": ids["agent_id"], "fromNumber": "+441234567"},
    )
    assert call.status_code == 201, call.text
    ids["call_id"] = call.json()["id"]
    slot = {"startsAt": "2030-01-08T14:00:00Z", "endsAt": "2030-01-08T14:30:00Z"}
    appointment = await api.post("/v1/appointments", json={"leadId": lead["id"], **slot})
    assert appointment.status_code == 201, appointment.text
    ids["appointment_id"] = appointment.json()["id"]
    payment = await api.post(
        "/v1/payments", json={"leadId": lead["id"], "amount": 100, "currency": "EUR"}
    )
    assert payment.status_code == 201, payment.text
    ids["payment_id"] = payment.json()["id"]
    message = await api.post("/v1/chat/messages", json={"content": "hello", "leadId": lead["id"]})
    assert message.status_code == 201, message.text
    ids["session_id"] = message.json()["sessionId"]
    key = await api.post(
        "/v1/api-keys",
        json={"clientId": tenant.client_id, "name": "victim", "scopes": ["leads:read"]},
    )
    assert key.status_code == 201, key.text
    ids["key_id"] = key.json()["id"]
    app = await api.post(
        "/v1/oauth-apps",
        json={
            "name": "victim app",
            "redirectUris": ["https://victim.example/cb"],
            "scopes": ["leads:read"],
        },
    )
    assert app.status_code == 201, app.text
    ids["app_id"] = app.json()["id"]
    # /v1/authorizations/{id} belongs to a logged-in person; API keys are refused first.
    ids["authorization_id"] = "auth_none"
    hook = await api.post(
        "/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["lead.*"]}
    )
    assert hook.status_code == 201, hook.text
    ids["webhook_id"] = hook.json()["id"]
    # Port 9 refuses at once: a (failed) test delivery to walk the delivery routes with.
    test = await api.post(f"/v1/webhooks/{ids['webhook_id']}/test")
    assert test.status_code == 200, test.text
    ids["delivery_id"] = test.json()["deliveryId"]
    rest_hook = {"targetUrl": "http://127.0.0.1:9/zap", "event": "lead.created"}
    ids["hook_id"] = (await api.post("/v1/hooks", json=rest_hook)).json()["id"]
    events = await api.get("/v1/events?limit=1")
    ids["event_id"] = events.json()["data"][0]["id"]
    transcript = {"text": "Great demo, thanks."}
    assert (await api.post(f"/v1/calls/{ids['call_id']}/transcript", json=transcript)).is_success
    analysis = await api.post(f"/v1/calls/{ids['call_id']}/analysis")
    assert analysis.status_code == 202, analysis.text
    ids["job_id"] = analysis.json()["jobId"]
    async with tenant.services.db.session() as session:
        # Paused: the background worker leaves it alone while the walk runs.
        connection = Connection(
            workspace_id=tenant.id, connector="hubspot", status="paused", auth_type="oauth2"
        )
        session.add(connection)
        await session.flush()
        ids["connection_id"] = connection.id
    return ids


def _bind(path: str, ids: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in ids, f"teach the access walk about the path parameter {{{name}}}"
        return ids[name]

    return re.sub(r"\{(\w+)\}", value, path)


def _point_at(body: Any, ids: dict[str, str]) -> Any:
    """Rewrites id references in a body (clientId, leadId, …) to the other workspace's ids."""
    if not isinstance(body, dict):
        return body
    references = {
        "clientId": "client_id",
        "leadId": "lead_id",
        "sessionId": "session_id",
        "callId": "call_id",
        "agentId": "agent_id",
    }
    return {k: ids.get(references[k], v) if k in references else v for k, v in body.items()}


async def _snapshot(owner: Api, ids: dict[str, str]) -> dict[str, Any]:
    state = {}
    for name, path in (
        ("lead_id", "/v1/leads/{}"),
        ("client_id", "/v1/api-clients/{}"),
        ("key_id", "/v1/api-keys/{}"),
        ("app_id", "/v1/oauth-apps/{}"),
        ("call_id", "/v1/calls/{}"),
        ("agent_id", "/v1/agents/{}"),
        ("appointment_id", "/v1/appointments/{}"),
        ("payment_id", "/v1/payments/{}"),
        ("session_id", "/v1/chat/sessions/{}/messages"),
        ("webhook_id", "/v1/webhooks/{}"),
        ("connection_id", "/v1/connections/{}"),
    ):
        response = await owner.get(path.format(ids[name]))
        assert response.status_code == 200, response.text
        body = response.json()
        body.pop("lastUsedAt", None)
        state[name] = body
    return state


async def test_no_route_reads_or_changes_another_workspace(
    app: FastAPI, http: httpx.AsyncClient, make_tenant: Any
) -> None:
    owner_tenant, intruder_tenant = await make_tenant(), await make_tenant()
    owner = Api(http, await owner_tenant.key())
    intruder = Api(http, await intruder_tenant.key())
    ids = await _seed(owner, owner_tenant)
    before = await _snapshot(owner, ids)
    spec = app.openapi()
    walked = 0
    for op in operations(app):
        if op.access is None:
            continue
        url = _bind(op.path, ids)
        body = _point_at(_example_body(spec, op), ids)
        response = await intruder.request(op.method, url, json=body)
        walked += 1
        sent = url + json.dumps(body or {})
        for name, owned_id in ids.items():
            if owned_id in sent:
                # Naming another workspace's resource must fail, never act on it.
                assert response.status_code in (400, 403, 404, 422), (
                    f"{op.method} {op.path} answered {response.status_code} for another "
                    f"workspace's {name}: {response.text[:300]}"
                )
            else:
                assert owned_id not in response.text, f"{op.method} {op.path} leaked {name}"
    assert walked >= 10
    assert await _snapshot(owner, ids) == before


async def test_every_route_refuses_a_key_without_its_scope(
    app: FastAPI, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    checked = 0
    for op in operations(app):
        if op.access is None or op.access.scope is None:
            continue
        scopes = sorted(ALL_SCOPES - {op.access.scope})
        limited = Api(http, await tenant.key(scopes))
        url = re.sub(r"\{(\w+)\}", "missing_id", op.path)
        response = await limited.request(op.method, url, json={})
        assert response.status_code == 403, f"{op.method} {op.path}: {response.status_code}"
        error = response.json()["error"]
        assert error["code"] == "FORBIDDEN"
        assert error["details"]["requiredScope"] == op.access.scope
        checked += 1
    assert checked >= 10

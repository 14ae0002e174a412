"""The Slack connector through Hubwire's API, on both backends: a connection's rules are
checked when saved (422 listing every problem); a signed button press changes the lead
through its service (``lead.updated`` and the status's own event are emitted) and records
who acted with the card; a forged or stale request is refused with 401 and changes
nothing; ``/hubwire lead …`` answers with the lead's card. Requests are built and signed
the way Slack (and the sandbox's admin endpoints) send them."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from connectors.slack.connector import LEAD_CARD
from connectors.slack.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_SIGNING_SECRET,
    sign_request,
)
from core.app import create_app
from core.connections.credentials import seal_credentials
from core.connections.models import Connection, ExternalRecord
from core.database import utcnow
from core.settings import ConnectorClient, Settings
from tests.conftest import Api, Tenant
from tests.connectors.slack.conftest import TOKEN, Running

BASE = "http://hubwire.test"
_teams = iter(range(100_000, 999_999))


@pytest.fixture(scope="module")
async def slack_app(settings: Settings) -> AsyncIterator[FastAPI]:
    client = ConnectorClient(
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        signing_secret=DEFAULT_SIGNING_SECRET,
    )
    app = create_app(
        settings.model_copy(
            update={
                "connector_clients": {"slack": client},
                "public_base_url": BASE,
                "embedded_worker": False,
            }
        )
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def slack_http(slack_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=slack_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        yield http


@pytest.fixture
async def api(slack_http: httpx.AsyncClient, tenant: Tenant) -> Api:
    return Api(slack_http, await tenant.key())


@pytest.fixture
async def lead_on_a_card(api: Api, tenant: Tenant, slack_app: FastAPI) -> dict[str, Any]:
    """A Slack connection of the tenant's workspace (a Slack team of its own) and a lead
    whose card it posted."""
    team = f"T{next(_teams)}"
    created = await api.post(
        "/v1/leads",
        json={
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "phone": "+44 20 7946 0000",
            "source": "website",
        },
    )
    assert created.status_code == 201, created.text
    lead = created.json()
    async with slack_app.state.services.db.session() as session:
        connection = Connection(
            workspace_id=tenant.id,
            connector="slack",
            status="active",
            auth_type="oauth2",
            account_id=team,
            push_routes={},
            activated_at=utcnow(),
        )
        session.add(connection)
        await session.flush()
        session.add(
            ExternalRecord(
                connection_id=connection.id,
                object_type=LEAD_CARD,
                hubwire_id=lead["id"],
                external_id=f"{lead['id']}|C0LEADS=1700000000.000001",
            )
        )
    return {"lead": lead, "connection": connection.id, "team": team}


def _click(team: str, lead_id: str, action: str, user: str = "U0ADA") -> bytes:
    payload = {
        "type": "block_actions",
        "team": {"id": team},
        "user": {"id": user},
        "container": {
            "type": "message",
            "channel_id": "C0LEADS",
            "message_ts": "1700000000.000001",
        },
        "actions": [{"type": "button", "action_id": action, "value": lead_id}],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def _signed(body: bytes, *, secret: str = DEFAULT_SIGNING_SECRET, age: int = 0) -> dict[str, str]:
    timestamp = str(int(time.time()) - age)
    return {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": sign_request(secret, timestamp, body),
    }


async def _events(api: Api, lead_id: str) -> list[str]:
    listed = await api.get("/v1/events", params={"limit": 100})
    assert listed.status_code == 200, listed.text
    return [e["type"] for e in listed.json()["data"] if e["data"].get("id") == lead_id]


async def test_a_verified_click_changes_the_lead_and_records_who_acted(
    api: Api, slack_http: httpx.AsyncClient, slack_app: FastAPI, lead_on_a_card: dict[str, Any]
) -> None:
    lead_id = lead_on_a_card["lead"]["id"]
    body = _click(lead_on_a_card["team"], lead_id, "hubwire_qualify")
    pressed = await slack_http.post(
        "/v1/connectors/slack/interactions", content=body, headers=_signed(body)
    )
    assert pressed.status_code == 200, pressed.text
    lead = (await api.get(f"/v1/leads/{lead_id}")).json()
    assert lead["status"] == "qualified"
    assert {"lead.updated", "lead.qualified"} <= set(await _events(api, lead_id))
    async with slack_app.state.services.db.session() as session:
        mapped = await session.scalar(
            select(ExternalRecord).where(ExternalRecord.hubwire_id == lead_id)
        )
    assert mapped is not None and mapped.external_id.endswith("|qualified:U0ADA")


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda body: _signed(body, secret="not-the-secret"), id="forged"),
        pytest.param(lambda body: _signed(body, age=6 * 60), id="stale"),
        pytest.param(
            lambda body: {"content-type": "application/x-www-form-urlencoded"}, id="unsigned"
        ),
    ],
)
async def test_a_forged_or_stale_click_is_refused_and_changes_nothing(
    api: Api,
    slack_http: httpx.AsyncClient,
    lead_on_a_card: dict[str, Any],
    headers: Any,
) -> None:
    lead_id = lead_on_a_card["lead"]["id"]
    before = await _events(api, lead_id)
    body = _click(lead_on_a_card["team"], lead_id, "hubwire_reject")
    refused = await slack_http.post(
        "/v1/connectors/slack/interactions", content=body, headers=headers(body)
    )
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "UNAUTHORIZED"
    assert (await api.get(f"/v1/leads/{lead_id}")).json()["status"] == "new"
    assert await _events(api, lead_id) == before


async def test_a_signed_request_that_is_not_a_button_press_is_a_400(
    slack_http: httpx.AsyncClient, lead_on_a_card: dict[str, Any]
) -> None:
    body = urlencode({"payload": "{not json"}).encode()
    answered = await slack_http.post(
        "/v1/connectors/slack/interactions", content=body, headers=_signed(body)
    )
    assert answered.status_code == 400
    assert answered.json()["error"]["code"] == "INVALID_REQUEST"


def _command(team: str, text: str) -> bytes:
    return urlencode(
        {
            "team_id": team,
            "user_id": "U0ADA",
            "channel_id": "C0LEADS",
            "command": "/hubwire",
            "text": text,
        }
    ).encode()


@pytest.mark.parametrize("query", ["ada@example.com", "ADA@example.com", "+442079460000"])
async def test_the_slash_command_answers_with_the_lead_card(
    slack_http: httpx.AsyncClient, lead_on_a_card: dict[str, Any], query: str
) -> None:
    body = _command(lead_on_a_card["team"], f"lead {query}")
    answered = await slack_http.post(
        "/v1/connectors/slack/commands", content=body, headers=_signed(body)
    )
    assert answered.status_code == 200, answered.text
    reply = answered.json()
    shown = json.dumps(reply["blocks"])
    lead_id = lead_on_a_card["lead"]["id"]
    assert "Ada Lovelace" in shown and "+44 20 7946 0000" in shown and "website" in shown
    assert f"{BASE}/dashboard/leads/{lead_id}" in shown
    assert reply["response_type"] == "ephemeral"


async def test_the_slash_command_says_when_nothing_matches(
    slack_http: httpx.AsyncClient, lead_on_a_card: dict[str, Any]
) -> None:
    for text, expected in (("lead nobody@example.com", "No lead matches"), ("help", "Usage")):
        body = _command(lead_on_a_card["team"], text)
        answered = await slack_http.post(
            "/v1/connectors/slack/commands", content=body, headers=_signed(body)
        )
        assert answered.status_code == 200
        assert expected in answered.json()["text"]


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ({"rules": "all"}, "rules must be a list"),
        ({"rules": [{"events": ["lead.*"]}]}, "rules[0].channel must be a Slack channel id"),
        ({"rules": [{"events": [], "channel": "C0LEADS"}]}, "rules[0].events must be"),
        ({"rules": [{"events": ["job.*"], "channel": "C0LEADS"}]}, "take lead and call events"),
        ({"rules": [{"events": ["lead..x"], "channel": "C0LEADS"}]}, "is not an event type"),
        (
            {"rules": [{"events": ["lead.*"], "channel": "C0LEADS", "filter": {"outcome": ["x"]}}]},
            "filter.outcome applies to call events",
        ),
        (
            {
                "rules": [
                    {"events": ["lead.*"], "channel": "C0LEADS", "filter": {"status": ["hot"]}}
                ]
            },
            "filter.status: the values are new, contacted",
        ),
        (
            {"rules": [{"events": ["call.*"], "channel": "C0CALLS", "filter": {"outcome": ["x"]}}]},
            "filter.outcome: the values are connected, no_answer",
        ),
        ({"rules": [], "digestAfter": 0}, "digestAfter must be a whole number"),
        ({"channel": "C0LEADS"}, "unknown settings: channel"),
    ],
)
async def test_bad_rules_are_refused_with_a_422_naming_the_problem(
    api: Api, lead_on_a_card: dict[str, Any], given: dict[str, Any], problem: str
) -> None:
    connection = lead_on_a_card["connection"]
    refused = await api.patch(f"/v1/connections/{connection}", json={"settings": given})
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    assert any(problem in p for p in error["details"]["problems"]), error
    assert (await api.get(f"/v1/connections/{connection}")).json()["settings"] == {}


async def test_good_rules_are_saved(api: Api, lead_on_a_card: dict[str, Any]) -> None:
    rules = {
        "rules": [
            {"events": ["lead.*"], "channel": "C0LEADS", "filter": {"source": ["website"]}},
            {"events": ["call.ended"], "channel": "C0CALLS", "filter": {"outcome": ["no_answer"]}},
        ],
        "digestAfter": 20,
    }
    connection = lead_on_a_card["connection"]
    saved = await api.patch(f"/v1/connections/{connection}", json={"settings": rules})
    assert saved.status_code == 200, saved.text
    assert saved.json()["settings"] == rules


async def test_creating_a_slack_connection_with_bad_rules_is_a_422(api: Api) -> None:
    refused = await api.post(
        "/v1/connections",
        json={"connector": "slack", "settings": {"rules": [{"channel": "general"}]}},
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["details"]["field"] == "settings"


async def test_the_channels_of_a_slack_connection(
    api: Api, tenant: Tenant, slack_app: FastAPI, slack: Running
) -> None:
    services = slack_app.state.services
    async with services.db.session() as session:
        connection = Connection(
            workspace_id=tenant.id,
            connector="slack",
            status="active",
            auth_type="oauth2",
            account_id="T0SANDBOX",
            base_url=slack.base,
            push_routes={},
            credentials_sealed=seal_credentials(services.secrets, {"access_token": TOKEN}),
            activated_at=utcnow(),
        )
        pending = Connection(
            workspace_id=tenant.id,
            connector="slack",
            status="pending",
            auth_type="oauth2",
            push_routes={},
        )
        session.add_all([connection, pending])
    listed = await api.get(f"/v1/connections/{connection.id}/slack/channels")
    assert listed.status_code == 200, listed.text
    channels = listed.json()["data"]
    assert {"id": "C0LEADS", "name": "leads", "isMember": True} in channels
    assert {"id": "C0RANDOM", "name": "random", "isMember": False} in channels
    waiting = await api.get(f"/v1/connections/{pending.id}/slack/channels")
    assert waiting.status_code == 409
    missing = await api.get("/v1/connections/conn_nope/slack/channels")
    assert missing.status_code == 404

"""The connector kit's contract, and the connector's own calls, against the sandbox."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from connectors.kit import (
    AuthFailed,
    ConnectionContext,
    ConnectorError,
    ProviderRateLimited,
    Record,
    WebhookEndpoint,
)
from connectors.kit.testing import ConnectorContract
from connectors.pipedrive.client import Pipedrive, _error
from connectors.pipedrive.connector import PipedriveConnector, webhook_password
from tests.connectors.pipedrive.conftest import PipedriveSandbox, context, serve

KEY = "hubwire-webhook-key"
COMPANY = "13501337"


def _webhook(entity: str, action: str, entity_id: str, company: str = COMPANY) -> bytes:
    meta = {
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "company_id": company,
        "timestamp": "2026-12-07T01:00:00Z",
        "version": "2.0",
    }
    return json.dumps({"data": {"id": int(entity_id)}, "previous": None, "meta": meta}).encode()


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


class TestPipedrive(ConnectorContract):
    connector = PipedriveConnector()
    samples = {
        "person": [
            Record(
                "person",
                {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+442079460000"},
                hubwire_id="lead_1",
            ),
            Record(
                "person", {"name": "Alan Turing", "email": "alan@example.com"}, hubwire_id="lead_2"
            ),
        ]
    }
    compare_fields = ("name", "email")
    bad_credentials = {"access_token": "revoked"}

    @pytest.fixture
    def connection(self, pipedrive: PipedriveSandbox) -> ConnectionContext:
        return context(pipedrive.url)

    def signed_webhook(self) -> tuple[dict[str, str], bytes, str]:
        body = _webhook("person", "change", "101")
        return _basic("hubwire", webhook_password(KEY, COMPANY)), body, KEY

    def test_webhook_verification(self) -> None:
        """The kit's check, except the tampered body: Pipedrive authenticates webhooks with
        HTTP Basic only, which does not cover the body (the docs say so). A body that
        names another company is refused: the password is per company."""
        headers, body, secret = self.signed_webhook()
        assert self.connector.verify_webhook(headers, body, secret)
        assert not self.connector.verify_webhook(headers, body, secret + "x"), "wrong secret"
        other = _webhook("person", "change", "101", company="999")
        assert not self.connector.verify_webhook(headers, other, secret), "another company"
        assert not self.connector.verify_webhook({}, body, secret), "no credentials"
        wrong_user = _basic("someone", webhook_password(KEY, COMPANY))
        assert not self.connector.verify_webhook(wrong_user, body, secret)
        changes = self.connector.parse_webhook(headers, body)
        assert [(c.object_type, c.external_id, c.action) for c in changes] == [
            ("person", "101", "upsert")
        ]


connector = PipedriveConnector()


def _lead(n: int, **fields: Any) -> Record:
    base = {"name": f"Lead {n}", "email": f"lead{n}@example.com", "phone": None}
    return Record("person", {**base, **fields}, hubwire_id=f"lead_{n}")


async def test_a_retried_create_finds_the_person_and_lead_it_made(
    pipedrive: PipedriveSandbox,
) -> None:
    """A worker that died after Pipedrive accepted a batch pushes it again without the ids:
    no second person, no second Pipedrive lead."""
    ctx = context(pipedrive.url)
    records = [_lead(n) for n in range(3)]
    first = await connector.push(ctx, "person", records)
    again = await connector.push(ctx, "person", records)
    assert [o.external_id for o in again.outcomes] == [o.external_id for o in first.outcomes]
    assert len(pipedrive.store.persons) == 3
    assert len(pipedrive.store.leads) == 3
    # The batch's creates run concurrently, so Pipedrive's order is not the batch's order.
    titles = sorted(lead["title"] for lead in pipedrive.store.leads.values())
    assert titles == [f"Lead {n} (Hubwire)" for n in range(3)]


async def test_a_refused_record_fails_alone_with_pipedrives_message(
    pipedrive: PipedriveSandbox,
) -> None:
    ctx = context(pipedrive.url)
    records = [_lead(1), _lead(2, name="x" * 300), _lead(3)]
    result = await connector.push(ctx, "person", records)
    assert [o.ok for o in result.outcomes] == [True, False, True]
    error = result.outcomes[1].error or ""
    assert "lead_2" in error
    assert "at most 255 characters" in error


async def test_an_update_of_a_person_deleted_in_pipedrive_is_refused(
    pipedrive: PipedriveSandbox,
) -> None:
    ctx = context(pipedrive.url)
    made = await connector.push(ctx, "person", [_lead(1)])
    person_id = made.outcomes[0].external_id
    assert person_id is not None
    pipedrive.delete_person(person_id)
    update = Record("person", {"name": "New"}, hubwire_id="lead_1", external_id=person_id)
    result = await connector.push(ctx, "person", [update])
    assert "Person not found" in (result.outcomes[0].error or "")


async def test_calls_become_call_activities_once(pipedrive: PipedriveSandbox) -> None:
    ctx = context(pipedrive.url)
    person = (await connector.push(ctx, "person", [_lead(1)])).outcomes[0].external_id
    assert person is not None
    call = Record(
        "activity",
        {
            "direction": "outbound",
            "duration_seconds": 125,
            "started_at": "2026-12-01T10:30:00Z",
            "ended_at": "2026-12-01T10:32:05Z",
            "summary": "Wants a demo",
            "transcript_text": "Hello <there>",
        },
        hubwire_id="call_1",
        related={"lead": person},
    )
    first = await connector.push(ctx, "activity", [call])
    again = await connector.push(ctx, "activity", [call])  # a retry without the id
    assert first.outcomes[0].external_id == again.outcomes[0].external_id
    (activity,) = pipedrive.store.activities.values()
    assert activity["type"] == "call"
    assert activity["duration"] == "00:03"
    assert activity["done"] is True
    assert activity["person_id"] == int(person)
    assert (activity["due_date"], activity["due_time"]) == ("2026-12-01", "10:30")
    assert "Wants a demo" in activity["note"]
    assert "Hello &lt;there&gt;" in activity["note"]


async def test_pull_pages_then_reads_only_changes_and_skips_deleted(
    pipedrive: PipedriveSandbox,
) -> None:
    ctx = context(pipedrive.url)
    made = [
        pipedrive.create_person(name=f"P {n}", emails=[{"value": f"p{n}@x.io", "primary": True}])
        for n in range(3)
    ]
    page = await connector.pull(ctx, "person", None)
    assert [r.fields["email"] for r in page.records] == ["p0@x.io", "p1@x.io", "p2@x.io"]
    assert not page.has_more
    # Only the last second read comes again (whole-second times), unchanged.
    quiet = await connector.pull(ctx, "person", page.next_cursor)
    seen = {r.external_id: r.fields for r in page.records}
    assert all(seen[r.external_id] == r.fields for r in quiet.records)
    # Changed in the same second as created: still read.
    pipedrive.update_person(made[1]["id"], name="P one")
    pipedrive.delete_person(made[2]["id"])
    changed = await connector.pull(ctx, "person", quiet.next_cursor)
    names = {r.external_id: r.fields["name"] for r in changed.records}
    assert names[str(made[1]["id"])] == "P one"
    assert str(made[2]["id"]) not in names


async def test_pull_pages_with_start_when_a_sweep_is_long(pipedrive: PipedriveSandbox) -> None:
    for n in range(501):
        pipedrive.store.persons[10_000 + n] = {
            "id": 10_000 + n,
            "name": f"Bulk {n}",
            "first_name": "Bulk",
            "last_name": str(n),
            "owner_id": 1,
            "org_id": None,
            "emails": [{"value": f"b{n}@x.io", "primary": True, "label": "work"}],
            "phones": [],
            "visible_to": 3,
            "_added": 1_800_000_000.0,
            "_updated": 1_800_000_000.0,
        }
    ctx = context(pipedrive.url)
    first = await connector.pull(ctx, "person", None)
    assert len(first.records) == 500 and first.has_more
    second = await connector.pull(ctx, "person", first.next_cursor)
    assert [r.fields["email"] for r in second.records] == ["b500@x.io"]
    assert not second.has_more


async def test_a_name_that_repeats_the_email_pulls_as_no_name(pipedrive: PipedriveSandbox) -> None:
    ctx = context(pipedrive.url)
    await connector.push(ctx, "person", [_lead(1, name=None)])
    (person,) = pipedrive.store.persons.values()
    assert person["name"] == "lead1@example.com"
    (record,) = (await connector.pull(ctx, "person", None)).records
    assert record.fields == {"name": None, "email": "lead1@example.com", "phone": None}


async def test_a_burst_429_is_waited_out_and_the_request_sent_again() -> None:
    # A window long enough that three checks fall in it on a loaded machine too.
    app, server = serve(burst_limit=2, burst_window=5.0)
    with server as url:
        ctx = context(url)
        results = [await connector.check(ctx) for _ in range(3)]
    assert all(r.ok for r in results)
    assert app.state.sandbox.rate_limited >= 1  # the third was refused once, then went


def test_a_burst_429_becomes_provider_rate_limited_with_retry_after() -> None:
    body = {"success": False, "error": "Request over limit", "errorCode": 429}
    response = httpx.Response(
        429, json=body, headers={"retry-after": "2", "x-ratelimit-reset": "2"}
    )
    error = _error(response)
    assert isinstance(error, ProviderRateLimited) and error.retry_after == 2.0
    daily = httpx.Response(429, json=body, headers={"x-daily-ratelimit-token-remaining": "0"})
    assert not isinstance(_error(daily), ProviderRateLimited)


async def test_a_spent_daily_budget_fails_the_step() -> None:
    _, server = serve(daily_tokens=3)
    with server as url:
        ctx = context(url)
        await connector.check(ctx)  # 2 tokens (a v1 single GET)
        with pytest.raises(ConnectorError, match="daily token budget") as caught:
            await connector.check(ctx)
    assert not isinstance(caught.value, ProviderRateLimited)


async def test_revoked_credentials_raise_auth_failed(pipedrive: PipedriveSandbox) -> None:
    with pytest.raises(AuthFailed):
        await connector.push(context(pipedrive.url, token="revoked"), "person", [_lead(1)])


async def test_on_connect_subscribes_and_on_disconnect_unsubscribes(
    pipedrive: PipedriveSandbox,
) -> None:
    ctx = context(pipedrive.url)
    endpoint = WebhookEndpoint("http://hubwire.test/v1/connectors/pipedrive/webhooks", KEY)
    kept = await connector.on_connect(ctx, endpoint)
    again = await connector.on_connect(ctx, endpoint)  # a reconnect keeps the same ones
    assert kept == again
    hooks = pipedrive.store.webhooks
    assert sorted(h["event_object"] for h in hooks.values()) == ["activity", "person"]
    assert {h["version"] for h in hooks.values()} == {"2.0"}
    # The sandbox then sends person changes with those credentials, and they verify.
    pipedrive.create_person(name="Grace Hopper")
    sent = pipedrive.outbox()[-1]
    assert connector.verify_webhook(sent["headers"], sent["body"].encode(), KEY)
    assert connector.webhook_account(sent["headers"], sent["body"].encode()) == COMPANY
    await connector.on_disconnect(context(pipedrive.url, **dict(kept)))
    assert pipedrive.store.webhooks == {}


def test_a_deleted_person_webhook_is_a_deletion() -> None:
    body = _webhook("person", "delete", "77")
    (change,) = connector.parse_webhook({}, body)
    assert (change.object_type, change.external_id, change.action) == ("person", "77", "delete")
    assert connector.parse_webhook({}, _webhook("deal", "change", "5")) == []


class _DropsFirstConnection:
    """A server on loopback that closes its first connection without an answer (as a
    server does to a keep-alive connection it timed out) and answers later ones as
    Pipedrive's ``/v1/users/me``."""

    def __init__(self) -> None:
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        await reader.readuntil(b"\r\n\r\n")
        if self.connections > 1:
            body = json.dumps({"success": True, "data": {"id": 1, "company_id": 2}}).encode()
            head = (
                f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len(body)}"
            )
            writer.write(head.encode() + b"\r\n\r\n" + body)
            await writer.drain()
        writer.close()


@asynccontextmanager
async def _dropping_server() -> AsyncIterator[tuple[_DropsFirstConnection, str]]:
    server = _DropsFirstConnection()
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    try:
        yield server, f"http://127.0.0.1:{port}"
    finally:
        listening.close()
        await listening.wait_closed()


async def test_a_read_cut_off_by_the_server_is_sent_again_once() -> None:
    async with _dropping_server() as (server, url), Pipedrive(context(url)) as api:
        me = await api.me()
    assert (me.id, me.company_id) == (1, 2)
    assert server.connections == 2


async def test_a_create_cut_off_by_the_server_is_not_sent_again() -> None:
    async with _dropping_server() as (server, url), Pipedrive(context(url)) as api:
        with pytest.raises(ConnectorError, match="could not be reached"):
            await api.create_person({"name": "Ada"})
    assert server.connections == 1

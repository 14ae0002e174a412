"""The sync engine with the real Mailchimp connector (mailchimp-marketing) against the
Mailchimp sandbox over loopback, on both backends: an address changed at Mailchimp moves the
lead's email (by the member's contact id on a pull, by the old address of an ``upemail``
webhook), with no second lead, no echo and the consent kept; an unsubscribe at Mailchimp
wins over a later Hubwire edit that did not touch consent, and only an explicit consent
change made after it stands against it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import update

from connectors.kit import REQUEST_URI_HEADER, WebhookEndpoint
from core.connections.credentials import seal_credentials
from core.connections.models import Connection, ExternalRecord
from core.connectors.inbound import rekey_mirrored
from core.database import utcnow
from core.plugins.manager import connector_registry
from sync.engine import pull_connection, push_connection
from sync.engine.pull import save_cursor
from tests.connectors.mailchimp.conftest import (
    LIST_ID,
    TOKEN,
    MailchimpSandbox,
    context,
    serve,
)
from tests.sync.engine_kit import Env, push_routes

MEMBER = "member"
# Before any member: a pull from here reads the whole audience.
ORIGIN = "2000-01-01T00:00:00+00:00|0"


@pytest.fixture
def mailchimp() -> Iterator[MailchimpSandbox]:
    # Webhooks stay in the outbox: a test hands them to Hubwire itself.
    yield from serve(deliver_webhooks=False, check_webhook_urls=False, batch_delay=0.2)


async def _connect(env: Env, sandbox: MailchimpSandbox, **settings: Any) -> tuple[str, str]:
    """A workspace and its active connection to the sandbox's audience, set up as
    connecting sets it up (the COMPANY merge field made, the webhook registered)."""
    workspace = await env.workspace()
    connector = connector_registry()["mailchimp"]
    hooks = WebhookEndpoint("https://hubwire.test/v1/connectors/mailchimp/webhooks", "secret")
    kept = await connector.on_connect(context(sandbox, **settings), hooks)
    async with env.db.session() as session:
        connection = Connection(
            workspace_id=workspace,
            connector="mailchimp",
            status="active",
            auth_type="oauth2",
            base_url=sandbox.url,
            credentials_sealed=seal_credentials(env.secrets, {"access_token": TOKEN}),
            push_routes=push_routes(connector.manifest),
            settings={"listId": LIST_ID, **settings, **kept},
            activated_at=utcnow(),
        )
        session.add(connection)
        await session.flush()
        await save_cursor(session, connection.id, MEMBER, ORIGIN)
        return workspace, connection.id


async def _push(env: Env, connection: str) -> int:
    await env.fan_out()
    stats = await push_connection(env.deps, connection)
    assert stats.failed == 0, stats
    return stats.pushed


async def _rewind(env: Env, connection: str) -> None:
    """The next pull reads every member again."""
    async with env.db.session() as session:
        await save_cursor(session, connection, MEMBER, ORIGIN)


async def _pushed_lead(
    env: Env, sandbox: MailchimpSandbox, email: str, **fields: Any
) -> tuple[str, str, str]:
    workspace, connection = await _connect(env, sandbox)
    (lead_id,) = await env.create_leads(
        workspace,
        {
            "name": "Ada Lovelace",
            "email": email,
            "emailConsent": "granted",
            "emailConsentSource": "website signup form",
            **fields,
        },
    )
    assert await _push(env, connection) == 1
    assert sandbox.members() == {email: "subscribed"}
    return workspace, connection, lead_id


async def test_an_address_changed_at_mailchimp_moves_the_leads_email(
    env: Env, mailchimp: MailchimpSandbox
) -> None:
    workspace, connection, lead_id = await _pushed_lead(env, mailchimp, "ada@old.example")
    before = await env.lead(lead_id)
    assert before is not None

    mailchimp.change_email("ada@old.example", "ada@new.io")
    await _rewind(env, connection)
    stats = await pull_connection(env.deps, connection)

    assert (stats.created, stats.updated) == (0, 1), stats
    [lead] = await env.workspace_leads(workspace)
    assert lead.id == lead_id and lead.email == "ada@new.io"
    assert (lead.email_consent, lead.email_consent_source) == ("granted", "website signup form")
    assert lead.email_consent_at == before.email_consent_at
    member = mailchimp.member("ada@new.io")
    assert member is not None
    assert (await env.id_map(connection, MEMBER))[lead_id] == member["id"]
    # The lead.updated of the move is not sent back: Mailchimp already has it.
    calls = mailchimp.stats()["calls"]
    await env.fan_out()
    pushed = await push_connection(env.deps, connection)
    assert (pushed.pushed, pushed.failed) == (0, 0)
    assert mailchimp.stats()["calls"] == calls
    assert mailchimp.members() == {"ada@new.io": "subscribed"}


async def test_an_upemail_webhook_moves_a_member_known_only_by_its_old_address(
    env: Env, mailchimp: MailchimpSandbox
) -> None:
    """A lead linked before Hubwire kept contact ids: the webhook's old address finds it."""
    workspace, connection, lead_id = await _pushed_lead(env, mailchimp, "grace@old.example")
    async with env.db.session() as session:
        await session.execute(
            update(ExternalRecord)
            .where(ExternalRecord.connection_id == connection)
            .values(external_key=None)
        )

    mailchimp.change_email("grace@old.example", "grace@new.io")
    [sent] = [hook for hook in mailchimp.outbox() if hook["type"] == "upemail"]
    body = sent["body"].encode()
    assert b"data%5Bold_email%5D=grace%40old.example" in body
    connector = connector_registry()["mailchimp"]
    [change] = connector.parse_webhook({REQUEST_URI_HEADER: sent["url"]}, body)
    async with env.db.session() as session:
        assert change.previous_external_id is not None
        moved = await rekey_mirrored(
            session,
            connection_id=connection,
            object_type=change.object_type,
            previous=change.previous_external_id,
            current=change.external_id,
        )
    assert moved
    await _rewind(env, connection)
    stats = await pull_connection(env.deps, connection)

    assert (stats.created, stats.updated) == (0, 1), stats
    [lead] = await env.workspace_leads(workspace)
    assert (lead.id, lead.email, lead.email_consent) == (lead_id, "grace@new.io", "granted")
    assert await _push(env, connection) == 0
    assert mailchimp.members() == {"grace@new.io": "subscribed"}


async def test_an_unsubscribe_wins_over_a_later_edit_that_left_consent_alone(
    env: Env, mailchimp: MailchimpSandbox
) -> None:
    workspace, connection, lead_id = await _pushed_lead(env, mailchimp, "alan@example.com")
    mailchimp.unsubscribe("alan@example.com")
    # Edited in Hubwire after the unsubscribe, before any pull read it.
    await env.update_lead(workspace, lead_id, company="Bletchley Park")

    await _rewind(env, connection)
    stats = await pull_connection(env.deps, connection)

    assert stats.kept == 1, stats  # Hubwire's later edit keeps its fields...
    lead = await env.lead(lead_id)
    assert lead is not None
    assert lead.company == "Bletchley Park"
    # ...but not the consent it never changed.
    assert (lead.email_consent, lead.email_consent_source) == ("revoked", "mailchimp:unsubscribed")
    assert await _push(env, connection) == 1
    member = mailchimp.member("alan@example.com")
    assert member is not None
    assert (member["status"], member["merge_fields"]["COMPANY"]) == (
        "unsubscribed",
        "Bletchley Park",
    )


async def test_an_explicit_consent_after_the_unsubscribe_stands(
    env: Env, mailchimp: MailchimpSandbox
) -> None:
    """A lead sent as transactional unsubscribes at Mailchimp; later it gives consent in
    Hubwire (a form): that consent change is newer and explicit, so Hubwire keeps it, and
    Mailchimp still refuses to subscribe the address (the push reports why)."""
    workspace, connection = await _connect(env, mailchimp, unconsented="transactional")
    (lead_id,) = await env.create_leads(
        workspace, {"name": "Joan Clarke", "email": "joan@example.com"}
    )
    assert await _push(env, connection) == 1
    assert mailchimp.members() == {"joan@example.com": "transactional"}
    mailchimp.unsubscribe("joan@example.com")
    # In a later second: Mailchimp's times have whole seconds, and within the second of
    # the unsubscribe a consent change does not count as later.
    await asyncio.sleep(1.05)
    await env.update_lead(
        workspace, lead_id, email_consent="granted", email_consent_source="newsletter form"
    )

    await _rewind(env, connection)
    stats = await pull_connection(env.deps, connection)

    assert stats.kept == 1, stats
    lead = await env.lead(lead_id)
    assert lead is not None
    assert (lead.email_consent, lead.email_consent_source) == ("granted", "newsletter form")
    await env.fan_out()
    pushed = await push_connection(env.deps, connection)
    assert pushed.failed == 1
    [failure] = [log for log in await env.logs(connection, "push") if log.failed]
    assert "Member In Compliance State" in (failure.message or "")
    assert mailchimp.members() == {"joan@example.com": "unsubscribed"}


async def test_an_unsubscribe_in_the_second_of_the_last_pull_is_read_by_the_next_one(
    env: Env,
) -> None:
    """``last_changed`` has whole seconds and ``since_last_changed`` reads strictly later
    ones: an unsubscribe in the same second as the member's last read change (here every
    change is in one second) must still be read by the next pull, not wait for a change in
    a later second that may never come."""
    for sandbox in serve(
        deliver_webhooks=False, check_webhook_urls=False, batch_delay=0.2, clock=lambda: 1.8e9
    ):
        _, connection, lead_id = await _pushed_lead(env, sandbox, "joan@example.com")
        first = await pull_connection(env.deps, connection)  # reads the subscribe back
        assert first.records == 1, first
        sandbox.unsubscribe("joan@example.com")

        stats = await pull_connection(env.deps, connection)

        lead = await env.lead(lead_id)
        assert lead is not None
        assert (lead.email_consent, lead.email_consent_source) == (
            "revoked",
            "mailchimp:unsubscribed",
        ), stats

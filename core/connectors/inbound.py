"""Inbound provider webhooks: verified with the connector's rules, routed to the connections
of the provider account they are about.

An upsert is not applied from the webhook body: it wakes the connection's incremental pull,
which reads the record with the usual last-write-wins and echo rules (one code path for
changes, whichever way they are noticed). A deletion is applied here: the provider no longer
has the record, so there is nothing to pull."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.connections.models import Connection, ExternalRecord, InboundWebhookEvent, SyncLog
from core.connections.provider_oauth import resolve_client
from core.database import insert_ignoring_conflicts, utcnow
from core.errors import NotFound, Unauthorized
from core.leads.service import LeadNotFound, leads
from core.plugins.context import REQUEST_URI_HEADER
from core.plugins.manager import connector_registry
from core.settings import Settings
from core.tasks import PULL_TASK, enqueue_after_commit

log = logging.getLogger(__name__)


class UnknownConnector(NotFound):
    def __init__(self, slug: str) -> None:
        super().__init__(f"No connector {slug!r} is installed.", details={"connector": slug})


@dataclass(frozen=True, slots=True)
class InboundResult:
    received: int
    connections: int
    duplicate: bool = False
    status: int = 202  # what the provider expects for a verified webhook (its manifest)


class InboundWebhookService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def endpoint(self, slug: str) -> str:
        """The slug of an installed connector that receives webhooks (a provider checking
        the URL before it registers a webhook, as Mailchimp does), else UnknownConnector."""
        connector = connector_registry().get(slug)
        if connector is None or not connector.manifest.webhooks:
            raise UnknownConnector(slug)
        return slug

    async def receive(
        self,
        session: AsyncSession,
        *,
        slug: str,
        path: str,
        headers: Mapping[str, str],
        body: bytes,
    ) -> InboundResult:
        connector = connector_registry().get(slug)
        if connector is None or not connector.manifest.webhooks:
            raise UnknownConnector(slug)
        # The provider signs with Hubwire's app secret there, or the app's webhook signing key
        # (the sandbox's app in demos).
        client = resolve_client(self.settings, connector)
        secret = client.webhook_secret if client is not None else None
        signed = {k.lower(): v for k, v in headers.items()}
        signed[REQUEST_URI_HEADER] = self.settings.public_base_url.rstrip("/") + path
        if secret is None or not connector.verify_webhook(signed, body, secret):
            raise Unauthorized("The webhook signature did not verify.")
        try:
            changes = connector.parse_webhook(signed, body)
            connection_id = connector.webhook_connection(signed, body)
            account = connector.webhook_account(signed, body)
        except (ValueError, KeyError, TypeError) as exc:
            log.info("unparseable %s webhook: %s", slug, exc)
            return InboundResult(0, 0, status=connector.manifest.webhook_status)
        if (account is None and connection_id is None) or not changes:
            return InboundResult(len(changes), 0, status=connector.manifest.webhook_status)
        event_ids = connector.webhook_event_ids(signed, body)
        source = account if account is not None else f"connection:{connection_id}"
        if event_ids and not await _remember_events(session, slug, source, event_ids):
            log.info("%s webhook for %s: its %d event(s) were seen", slug, source, len(event_ids))
            return InboundResult(
                len(changes), 0, duplicate=True, status=connector.manifest.webhook_status
            )
        # A webhook whose URL names its connection goes to that one only.
        routed = (
            Connection.id == connection_id
            if connection_id is not None
            else Connection.account_id == account
        )
        connections = list(
            await session.scalars(
                select(Connection).where(
                    Connection.connector == slug,
                    routed,
                    Connection.status.in_(("active", "paused")),
                )
            )
        )
        for connection in connections:
            deleted = 0
            for change in changes:
                if change.previous_external_id is not None:
                    await rekey_mirrored(
                        session,
                        connection_id=connection.id,
                        object_type=change.object_type,
                        previous=change.previous_external_id,
                        current=change.external_id,
                    )
                if change.action == "delete":
                    deleted += await delete_mirrored(
                        session,
                        connection_id=connection.id,
                        workspace_id=connection.workspace_id,
                        object_type=change.object_type,
                        external_id=change.external_id,
                    )
            if any(change.action == "upsert" for change in changes):
                if connection.status == "active":
                    enqueue_after_commit(session, PULL_TASK, connection.id)
                settle = connector.manifest.webhook_settle_seconds
                if settle > 0:
                    # Read what the provider's reads did not show yet (the sweeper sends it,
                    # to a paused connection once it is resumed).
                    connection.pull_again_at = utcnow() + timedelta(seconds=settle)
            session.add(
                SyncLog(
                    connection_id=connection.id,
                    workspace_id=connection.workspace_id,
                    kind="webhook",
                    processed=len(changes),
                    message=f"{len(changes)} change(s) reported, {deleted} deletion(s) applied",
                )
            )
        return InboundResult(
            len(changes), len(connections), status=connector.manifest.webhook_status
        )


async def delete_mirrored(
    session: AsyncSession,
    *,
    connection_id: str,
    workspace_id: str,
    object_type: str,
    external_id: str,
) -> int:
    """Deletes the Hubwire lead a provider record (now deleted at the provider) mirrors:
    1 when one was deleted. Shared by inbound webhooks and pulls that report deletions."""
    mapped = await session.scalar(
        select(ExternalRecord).where(
            ExternalRecord.connection_id == connection_id,
            ExternalRecord.object_type == object_type,
            ExternalRecord.external_id == external_id,
        )
    )
    if mapped is None:
        return 0
    # The map goes first, so the `lead.deleted` event is not routed back as push work.
    await session.execute(delete(ExternalRecord).where(ExternalRecord.id == mapped.id))
    try:
        await leads.delete(session, workspace_id=workspace_id, lead_id=mapped.hubwire_id)
    except LeadNotFound:
        return 0
    return 1


async def rekey_mirrored(
    session: AsyncSession, *, connection_id: str, object_type: str, previous: str, current: str
) -> bool:
    """Moves the id map row of a provider record the provider re-keyed (``previous`` ->
    ``current``, an address change at Mailchimp), so the pull that follows updates the lead
    it mirrors instead of making a second one. Nothing moves when ``current`` is mapped
    already (a pull matched it first, by its ``external_key``)."""
    rows = {
        row.external_id: row
        for row in await session.scalars(
            select(ExternalRecord).where(
                ExternalRecord.connection_id == connection_id,
                ExternalRecord.object_type == object_type,
                ExternalRecord.external_id.in_((previous, current)),
            )
        )
    }
    if previous not in rows or current in rows:
        return False
    await session.execute(
        update(ExternalRecord)
        .where(ExternalRecord.id == rows[previous].id)
        .values(external_id=current)
    )
    return True


async def _remember_events(
    session: AsyncSession, connector: str, account: str, event_ids: Sequence[str]
) -> bool:
    """Records the event ids; True when at least one was new. The insert skips known ids and
    returns the ones it wrote, so two deliveries of one batch at once act once."""
    rows = [
        {"connector": connector, "account_id": account, "event_id": str(event_id)[:200]}
        for event_id in dict.fromkeys(event_ids)
    ]
    statement = insert_ignoring_conflicts(
        session, InboundWebhookEvent, ["connector", "account_id", "event_id"]
    ).returning(InboundWebhookEvent.event_id)
    written = (await session.execute(statement, rows)).all()
    return bool(written)

"""Inbound provider webhooks: verified with the connector's rules, routed to the connections
of the provider account they are about.

An upsert is not applied from the webhook body: it wakes the connection's incremental pull,
which reads the record with the usual last-write-wins and echo rules (one code path for
changes, whichever way they are noticed). A deletion is applied here: the provider no longer
has the record, so there is nothing to pull."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.connections.models import Connection, ExternalRecord, SyncLog
from core.connections.provider_oauth import resolve_client
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
    status: int = 202  # what the provider expects for a verified webhook (its manifest)


class InboundWebhookService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

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
            account = connector.webhook_account(signed, body)
        except (ValueError, KeyError, TypeError) as exc:
            log.info("unparseable %s webhook: %s", slug, exc)
            return InboundResult(0, 0, connector.manifest.webhook_status)
        if account is None or not changes:
            return InboundResult(len(changes), 0, connector.manifest.webhook_status)
        connections = list(
            await session.scalars(
                select(Connection).where(
                    Connection.connector == slug,
                    Connection.account_id == account,
                    Connection.status.in_(("active", "paused")),
                )
            )
        )
        for connection in connections:
            deleted = 0
            for change in changes:
                if change.action == "delete":
                    deleted += await self._delete(
                        session, connection, change.object_type, change.external_id
                    )
            if any(change.action == "upsert" for change in changes) and (
                connection.status == "active"
            ):
                enqueue_after_commit(session, PULL_TASK, connection.id)
            session.add(
                SyncLog(
                    connection_id=connection.id,
                    workspace_id=connection.workspace_id,
                    kind="webhook",
                    processed=len(changes),
                    message=f"{len(changes)} change(s) reported, {deleted} deletion(s) applied",
                )
            )
        return InboundResult(len(changes), len(connections), connector.manifest.webhook_status)

    async def _delete(
        self, session: AsyncSession, connection: Connection, object_type: str, external_id: str
    ) -> int:
        mapped = await session.scalar(
            select(ExternalRecord).where(
                ExternalRecord.connection_id == connection.id,
                ExternalRecord.object_type == object_type,
                ExternalRecord.external_id == external_id,
            )
        )
        if mapped is None:
            return 0
        # The map goes first, so the `lead.deleted` event is not routed back as push work.
        await session.execute(delete(ExternalRecord).where(ExternalRecord.id == mapped.id))
        try:
            await leads.delete(
                session, workspace_id=connection.workspace_id, lead_id=mapped.hubwire_id
            )
        except LeadNotFound:
            return 0
        return 1

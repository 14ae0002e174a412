"""The credential vault: a connection's decrypted credentials, with the OAuth access token
refreshed before it expires (docs/architecture.md, "Connectors").

Refresh tokens may be single-use (a refresh returns a new one and spends the old): if two
workers refreshed the same connection at once, the second would present a spent token and
the connection would be lost. So a refresh happens under the connection's lock
(``connections:{id}:refresh``, Redis in production), and after acquiring it the worker
re-reads the row in a new session: if another worker refreshed meanwhile, it uses that
token instead of refreshing again. The new credentials are committed before the lock is
released."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.connections.errors import ConnectionNotFound, ConnectionUnavailable
from core.connections.models import UNUSABLE_STATUSES, Connection, SyncLog
from core.connections.provider_oauth import (
    app_credentials,
    oauth_client_config,
    provider_oauth,
    resolve_client,
)
from core.connections.repository import ConnectionRepository
from core.connections.schemas import ConnectionOut
from core.crypto import SecretBox
from core.database import Database, utcnow
from core.events.service import emit
from core.locks import LockProvider
from core.metrics.instruments import token_refresh_failed
from core.plugins.auth import ProviderOAuth, ProviderTokenError
from core.plugins.connector import Connector
from core.plugins.context import CallBudget, ConnectionContext, UnlimitedBudget
from core.plugins.manager import connector_registry
from core.settings import Settings

logger = logging.getLogger(__name__)

# Seconds to wait for (and at most hold) a connection's refresh lock: longer than one token
# request (its timeout is 20 s) so a live holder is never overtaken.
REFRESH_LOCK_SECONDS = 60.0


def refresh_lock_name(connection_id: str) -> str:
    return f"connections:{connection_id}:refresh"


def seal_credentials(box: SecretBox, credentials: dict[str, str]) -> str:
    return box.seal(json.dumps(credentials, separators=(",", ":"), sort_keys=True))


def _connector(slug: str) -> Connector | None:
    return connector_registry().get(slug)


class CredentialVault:
    """Hands the sync engine (and the test endpoint) ready-to-use connection contexts."""

    def __init__(
        self,
        db: Database,
        secrets: SecretBox,
        settings: Settings,
        locks: LockProvider,
        *,
        oauth: ProviderOAuth | None = None,
    ) -> None:
        self.db = db
        self.secrets = secrets
        self.settings = settings
        self.locks = locks
        # Tests may hand in a client; otherwise the installed one (the plugin hook).
        self._oauth = oauth

    async def context(
        self, connection_id: str, *, budget: CallBudget | None = None
    ) -> ConnectionContext:
        """A ConnectionContext with fresh decrypted credentials (refreshing the access token
        under the connection's lock, re-reading the row after acquiring it, when it expires
        within ``token_refresh_margin_seconds``). A connection that is ``pending`` or in
        ``error`` raises :class:`ConnectionUnavailable` (409)."""
        connection = await self._read(connection_id)
        credentials = self._open(connection)
        if connection.auth_type == "oauth2" and self._expiring(connection.token_expires_at):
            connection, credentials = await self._refresh(connection_id, rejected=None)
        return self._context(connection, credentials, budget)

    async def refresh_after_rejection(self, connection_id: str, rejected_access_token: str) -> None:
        """After a 401: refresh unless another worker already replaced that token (re-read
        under the lock). API-key connections have nothing to refresh."""
        connection = await self._read(connection_id)
        if connection.auth_type != "oauth2":
            return
        await self._refresh(connection_id, rejected=rejected_access_token)

    # --- internals ----------------------------------------------------------------------

    async def _read(self, connection_id: str) -> Connection:
        async with self.db.session() as session:
            connection = await ConnectionRepository(session).by_id(connection_id)
        if connection is None:
            raise ConnectionNotFound(connection_id)
        self._ensure_usable(connection)
        return connection

    @staticmethod
    def _ensure_usable(connection: Connection) -> None:
        if connection.status in UNUSABLE_STATUSES:
            raise ConnectionUnavailable(connection.id, connection.status)

    def _open(self, connection: Connection) -> dict[str, str]:
        if not connection.credentials_sealed:
            raise ConnectionUnavailable(connection.id, connection.status, "it has no credentials")
        opened = json.loads(self.secrets.open(connection.credentials_sealed))
        return {str(k): str(v) for k, v in opened.items() if v is not None}

    def _expiring(self, expires_at: datetime | None) -> bool:
        if expires_at is None:
            return False
        margin = timedelta(seconds=self.settings.token_refresh_margin_seconds)
        return expires_at - utcnow() <= margin

    def _context(
        self, connection: Connection, credentials: dict[str, str], budget: CallBudget | None
    ) -> ConnectionContext:
        if connection.auth_type == "oauth2":
            credentials = {**self._app_credentials(connection), **credentials}
        return ConnectionContext(
            connection_id=connection.id,
            workspace_id=connection.workspace_id,
            credentials=credentials,
            base_url=connection.base_url,
            settings=dict(connection.settings or {}),
            hubwire_url=self.settings.public_base_url,
            budget=budget if budget is not None else UnlimitedBudget(),
        )

    def _app_credentials(self, connection: Connection) -> dict[str, str]:
        connector = _connector(connection.connector)
        return app_credentials(
            resolve_client(self.settings, connector) if connector is not None else None
        )

    async def _refresh(
        self, connection_id: str, *, rejected: str | None
    ) -> tuple[Connection, dict[str, str]]:
        """Refreshes under the lock; ``rejected`` is the access token a provider refused
        (None: refresh because it expires). Returns the row and its current credentials."""
        failure: Exception
        async with (
            self.locks.lock(refresh_lock_name(connection_id), REFRESH_LOCK_SECONDS),
            # A new session opened after the lock: it sees what an earlier holder committed.
            self.db.session() as session,
        ):
            connection = await ConnectionRepository(session).by_id(connection_id)
            if connection is None:
                raise ConnectionNotFound(connection_id)
            self._ensure_usable(connection)
            credentials = self._open(connection)
            replaced = (
                not self._expiring(connection.token_expires_at)
                if rejected is None
                else credentials.get("access_token") != rejected
            )
            if replaced:
                # Another worker refreshed while this one waited for the lock.
                return connection, credentials
            try:
                credentials = await self._request_refresh(connection, credentials)
            except ProviderTokenError as exc:
                failure = await self._record_failure(session, connection, exc)
            else:
                connection.credentials_sealed = seal_credentials(self.secrets, credentials)
                connection.refresh_failures = 0
                connection.last_error = None
                await session.flush()
                # Committed by leaving the session block, still inside the lock.
                return connection, credentials
        raise failure

    async def _request_refresh(
        self, connection: Connection, credentials: dict[str, str]
    ) -> dict[str, str]:
        refresh_token = credentials.get("refresh_token")
        if not refresh_token:
            raise ProviderTokenError(
                "The connection has no refresh token; connect it again.", permanent=True
            )
        connector = _connector(connection.connector)
        client = resolve_client(self.settings, connector) if connector is not None else None
        if connector is None or client is None:
            raise ProviderTokenError(
                f"Connector {connection.connector} is not installed or has no OAuth client "
                "configured (HUBWIRE_CONNECTOR_CLIENTS).",
                permanent=True,
            )
        config = oauth_client_config(
            self.settings, connector, client, token_url=connection.token_url
        )
        oauth = self._oauth or provider_oauth()
        tokens = await oauth.refresh(config, refresh_token=refresh_token)
        connection.token_expires_at = tokens.expires_at
        return {
            **credentials,  # what the grant gave besides the tokens (an instance URL)
            **tokens.extra,
            "access_token": tokens.access_token,
            # Providers that do not rotate refresh tokens send none back: keep the old one.
            "refresh_token": tokens.refresh_token or refresh_token,
        }

    async def _record_failure(
        self, session: AsyncSession, connection: Connection, error: ProviderTokenError
    ) -> Exception:
        """Counts a failed refresh; at ``token_refresh_max_failures`` in a row the
        connection goes to ``error`` and ``connection.error`` is emitted. A refresh token
        the provider refuses (``invalid_grant``: the grant was revoked) cannot start working
        again: the connection goes to ``reauthorization_required`` at once. Returns what the
        caller should raise."""
        connection.refresh_failures = (connection.refresh_failures or 0) + 1
        token_refresh_failed(connection.connector)
        message = f"Token refresh failed: {error.message}"[:500]
        connection.last_error = message
        revoked = error.permanent and error.error == "invalid_grant"
        failed_for_good = (
            revoked or connection.refresh_failures >= self.settings.token_refresh_max_failures
        )
        logger.warning(
            "connection %s: token refresh failed (%s of %s): %s",
            connection.id,
            connection.refresh_failures,
            self.settings.token_refresh_max_failures,
            error.message,
        )
        session.add(
            SyncLog(
                connection_id=connection.id,
                workspace_id=connection.workspace_id,
                level="error" if failed_for_good else "warning",
                kind="auth",
                provider_calls=1,
                message=message
                if not failed_for_good
                else f"{message} The connection needs to be connected again."[:500],
            )
        )
        if not failed_for_good:
            await session.flush()
            return error
        # The provider refused the grant itself (revoked, expired: `invalid_grant`): only the
        # user can fix that by connecting again; other failures are the provider's or ours.
        connection.status = "reauthorization_required" if revoked else "error"
        await session.flush()
        await session.refresh(connection)
        emit(
            session,
            workspace_id=connection.workspace_id,
            type="connection.error",
            data=ConnectionOut.model_validate(connection),
        )
        reason = (
            "the provider revoked the grant"
            if revoked
            else f"token refresh failed {connection.refresh_failures} times"
        )
        return ConnectionUnavailable(connection.id, connection.status, reason)

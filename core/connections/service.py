"""Connections: link a workspace to a provider account through a connector (OAuth 2.0
consent or an API key), manage the link, and read what its sync did."""

from __future__ import annotations

import hashlib
import html
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from datetime import time as day_start
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy.ext.asyncio import AsyncSession

from core.connections.credentials import CredentialVault, seal_credentials
from core.connections.errors import (
    ApiKeyRefused,
    ConnectionNotFound,
    ConnectionUnavailable,
    ConnectorNotInstalled,
    InvalidState,
    NoOAuthClient,
    ProviderUnreachable,
)
from core.connections.models import UNUSABLE_STATUSES, Connection, SyncLog
from core.connections.provider_oauth import (
    app_credentials,
    oauth_client_config,
    provider_oauth,
    resolve_client,
)
from core.connections.repository import (
    CONNECTION_SORTING,
    LOG_SORTING,
    ConnectionRepository,
    DayRow,
    SyncItemRepository,
    SyncLogRepository,
)
from core.connections.schemas import (
    ConnectionCreate,
    ConnectionFilters,
    ConnectionOut,
    ConnectionUpdate,
    LogFilters,
    StatsPeriod,
)
from core.crypto import SecretBox
from core.database import utcnow
from core.errors import HubwireError, InvalidRequest, ValidationFailed
from core.events.catalog import EventCatalog
from core.events.service import emit
from core.ids import new_id
from core.jobs.models import Job
from core.jobs.service import jobs
from core.listing import ListParams, PageResult, paginate
from core.plugins.auth import ProviderTokenError
from core.plugins.connector import Connector, WebhookEndpoint
from core.plugins.context import ConnectionContext
from core.plugins.errors import AuthFailed, ConnectorError, ProviderRateLimited
from core.plugins.manager import connector_registry
from core.settings import Settings
from core.tasks import PULL_TASK, PUSH_TASK, enqueue_after_commit

logger = logging.getLogger(__name__)

SYNC_JOB_TYPE = "connection.sync"
# Provider checks made while an API request waits (API-key connect, the callback, test).
CHECK_TIMEOUT = 15.0
CallbackStatus = Literal["active", "denied", "error"]


def state_hash(state: str) -> str:
    """What is stored of an OAuth ``state``: enough to find the connection, useless to forge."""
    return hashlib.sha256(state.encode()).hexdigest()


DAY_SECONDS = 86_400  # a rate limit over this window is a daily allowance (metrics)


def _registry() -> dict[str, Connector]:
    return connector_registry()


def push_routes(connector: Connector, catalog: EventCatalog) -> dict[str, list[str]]:
    """Event type -> the provider objects it pushes, from the manifest (patterns such as
    ``lead.*`` are expanded against the event catalog)."""
    routes: dict[str, list[str]] = {}
    for spec in connector.manifest.objects:
        if not spec.direction.pushes:
            continue
        for event in spec.events:
            for name in catalog.matching(event) if "*" in event else [event]:
                targets = routes.setdefault(name, [])
                if spec.name not in targets:
                    targets.append(spec.name)
    return routes


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """A connector's ``check`` with every failure mode folded in. ``reachable`` is False when
    the provider could not answer (a retry may help), as opposed to refusing."""

    ok: bool
    account: str | None
    detail: str
    latency_ms: int
    reachable: bool = True
    auth_failed: bool = False


async def run_check(connector: Connector, context: ConnectionContext) -> CheckOutcome:
    started = time.perf_counter()

    def elapsed() -> int:
        return int((time.perf_counter() - started) * 1000)

    try:
        result = await connector.check(context)
    except AuthFailed as exc:
        detail = str(exc) or "the credentials were refused"
        return CheckOutcome(False, None, detail, elapsed(), auth_failed=True)
    except ProviderRateLimited:
        return CheckOutcome(False, None, "the provider is rate limiting", elapsed(), False)
    except ConnectorError as exc:
        return CheckOutcome(False, None, str(exc) or type(exc).__name__, elapsed(), False)
    except Exception as exc:
        # A network error, a timeout, a provider error page, or a bug in the connector:
        # reported as an unsuccessful check (with the details in the server log).
        logger.warning("%s check failed", connector.slug, exc_info=True)
        return CheckOutcome(
            False,
            None,
            f"the provider could not be reached ({type(exc).__name__})",
            elapsed(),
            False,
        )
    return CheckOutcome(
        result.ok,
        result.account,
        result.detail or ("ok" if result.ok else "the credentials were refused"),
        elapsed(),
        # Refused without naming the account: the credentials themselves were not accepted
        # (a check that names the account failed for another reason, e.g. missing scopes).
        auth_failed=not result.ok and result.account is None,
    )


@dataclass(frozen=True, slots=True)
class CallbackOutcome:
    """How a consent callback ended: where to send the browser, or what to show."""

    connection_id: str
    connector_title: str
    status: CallbackStatus
    redirect_to: str | None
    error: HubwireError | None = None


def with_query(url: str, params: Mapping[str, str]) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return urlunsplit(parts._replace(query=urlencode([*query, *params.items()])))


def connected_page(title: str) -> str:
    """The page a consent without ``redirectUrl`` ends on."""
    name = html.escape(title)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>Connected {name}</title></head><body>"
        f"<h1>Connected {name}</h1><p>Hubwire can now sync with {name}. "
        "You may close this window.</p></body></html>"
    )


def _day_bounds(period: StatsPeriod) -> tuple[datetime, datetime]:
    start = datetime.combine(period.start, day_start.min, UTC)
    return start, start + timedelta(days=(period.end - period.start).days + 1)


def _totals(rows: list[DayRow]) -> dict[str, int]:
    return {
        "pushed": sum(r.pushed for r in rows),
        "pulled": sum(r.pulled for r in rows),
        "failed": sum(r.failed for r in rows),
        "provider_calls": sum(r.provider_calls for r in rows),
    }


def _days(period: StatsPeriod, rows: list[DayRow]) -> list[dict[str, Any]]:
    by_day: dict[str, list[DayRow]] = {}
    for row in rows:
        by_day.setdefault(row.day, []).append(row)
    return [{"date": day, **_totals(by_day.get(day.isoformat(), []))} for day in period.days]


class ConnectionService:
    def __init__(
        self,
        settings: Settings,
        secrets: SecretBox,
        vault: CredentialVault,
        catalog: EventCatalog,
    ) -> None:
        self.settings = settings
        self.secrets = secrets
        self.vault = vault
        self.catalog = catalog

    # --- connecting -------------------------------------------------------------------

    def _connector(self, slug: str) -> Connector:
        registry = _registry()
        connector = registry.get(slug)
        if connector is None:
            raise ConnectorNotInstalled(slug, registry)
        return connector

    @staticmethod
    def _check_settings(connector: Connector, settings: Mapping[str, Any]) -> None:
        problems = connector.settings_problems(settings)
        if problems:
            raise ValidationFailed(
                f"The {connector.slug} settings are invalid: " + "; ".join(problems),
                details={"field": "settings", "problems": problems},
            )

    def _context(self, connection: Connection, credentials: dict[str, str]) -> ConnectionContext:
        return ConnectionContext(
            connection_id=connection.id,
            workspace_id=connection.workspace_id,
            credentials=credentials,
            base_url=connection.base_url,
            settings=dict(connection.settings or {}),
            hubwire_url=self.settings.public_base_url,
            timeout=CHECK_TIMEOUT,
        )

    async def create(
        self, session: AsyncSession, *, workspace_id: str, data: ConnectionCreate
    ) -> tuple[Connection, str | None]:
        """A pending OAuth connection and its consent URL, or an active API-key connection
        (the key checked with the provider first). Returns (connection, authorize URL)."""
        connector = self._connector(data.connector)
        self._check_settings(connector, data.settings)
        auth_type = connector.manifest.auth.type
        connection = Connection(
            id=new_id("conn"),
            workspace_id=workspace_id,
            connector=connector.slug,
            name=data.name,
            status="pending",
            auth_type=auth_type,
            settings=dict(data.settings),
            field_mapping={},
            concurrency_limit=data.concurrency_limit,
            refresh_failures=0,
            push_routes=push_routes(connector, self.catalog),
        )
        client = resolve_client(self.settings, connector)
        connection.base_url = client.base_url if client is not None else None
        if auth_type == "oauth2":
            if data.api_key is not None:
                raise ValidationFailed(
                    f"Connector {connector.slug} connects through OAuth consent, not a key: "
                    "leave out apiKey and open the authorizeUrl.",
                    details={"field": "apiKey"},
                )
            authorize_url = await self._begin_consent(connector, connection, data.redirect_url)
            ConnectionRepository(session).add(connection)
            await session.flush()
            await session.refresh(connection)
            return connection, authorize_url
        if data.api_key is None:
            raise ValidationFailed(
                f"Connector {connector.slug} connects with an API key: send apiKey.",
                details={"field": "apiKey"},
            )
        outcome = await run_check(connector, self._context(connection, {"api_key": data.api_key}))
        if not outcome.reachable:
            raise ProviderUnreachable(connector.slug, outcome.detail)
        if not outcome.ok:
            raise ApiKeyRefused(connector.slug, outcome.detail)
        credentials = {"api_key": data.api_key}
        connection.credentials_sealed = seal_credentials(self.secrets, credentials)
        ConnectionRepository(session).add(connection)
        await self._connected(session, connector, connection, credentials)
        await self._activate(session, connection, account=outcome.account)
        return connection, None

    async def _begin_consent(
        self, connector: Connector, connection: Connection, redirect_url: object | None
    ) -> str:
        """A new authorization request (state and PKCE verifier kept, hashed and sealed, on
        the connection); returns the provider's consent URL."""
        client = resolve_client(self.settings, connector)
        if client is None:
            raise NoOAuthClient(connector.slug)
        config = oauth_client_config(self.settings, connector, client)
        request = await provider_oauth().authorization_request(config)
        connection.token_url = config.token_url
        connection.oauth_state_hash = state_hash(request.state)
        connection.code_verifier_sealed = self.secrets.seal(request.code_verifier)
        connection.redirect_after = str(redirect_url) if redirect_url else None
        return request.url

    async def reconnect(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        connection_id: str,
        redirect_url: object | None = None,
    ) -> tuple[Connection, str]:
        """A new consent for an OAuth connection whose grant stopped working (or to move it
        to a fresh grant): the connection keeps its id, its id map and its cursors, and is
        active again once the provider's callback completes. Returns (connection, URL)."""
        connection = await self.get(session, workspace_id=workspace_id, connection_id=connection_id)
        connector = self._connector(connection.connector)
        if connection.auth_type != "oauth2":
            raise ValidationFailed(
                f"Connector {connector.slug} connects with an API key: delete this connection "
                "and connect again with the new key.",
                details={"connector": connector.slug},
            )
        authorize_url = await self._begin_consent(connector, connection, redirect_url)
        self._log(session, connection, "info", "reconnect started: waiting for the consent")
        await session.flush()
        await session.refresh(connection)
        return connection, authorize_url

    def _webhook_endpoint(self, connector: Connector) -> WebhookEndpoint | None:
        """Where the provider should send this connector's webhooks, signed with what key."""
        client = resolve_client(self.settings, connector)
        if not connector.manifest.webhooks or client is None or not client.webhook_secret:
            return None
        url = f"{self.settings.public_base_url.rstrip('/')}/v1/connectors/{connector.slug}/webhooks"
        return WebhookEndpoint(url=url, signing_key=client.webhook_secret)

    async def _connected(
        self,
        session: AsyncSession,
        connector: Connector,
        connection: Connection,
        credentials: dict[str, str],
    ) -> None:
        """The connector's ``on_connect`` (a webhook subscription…); the settings it returns
        are kept. A failure is logged: the connection works without it (pulls still run).
        The context carries Hubwire's app credentials too, as ``on_disconnect``'s does (a
        provider whose webhook endpoints belong to the app, like Stripe Connect's)."""
        client = resolve_client(self.settings, connector)
        context = self._context(connection, {**app_credentials(client), **credentials})
        try:
            kept = await connector.on_connect(context, self._webhook_endpoint(connector))
        except Exception as exc:  # any provider failure: the connection stays usable
            logger.warning("%s on_connect for %s failed: %s", connector.slug, connection.id, exc)
            self._log(session, connection, "warning", f"setting up at the provider failed: {exc}")
            return
        if kept:
            connection.settings = {**(connection.settings or {}), **kept}

    async def _disconnecting(self, session: AsyncSession, connection: Connection) -> None:
        """The connector's ``on_disconnect`` with the connection's credentials, if it still
        has usable ones; a failure is logged and does not stop the deletion."""
        connector = _registry().get(connection.connector)
        if connector is None or connection.status == "pending":
            return
        try:
            context = await self.vault.context(connection.id)
            await connector.on_disconnect(replace(context, timeout=CHECK_TIMEOUT))
        except Exception as exc:  # the provider is not asked twice: the row goes anyway
            logger.warning("%s on_disconnect for %s failed: %s", connector.slug, connection.id, exc)

    @staticmethod
    def _log(session: AsyncSession, connection: Connection, level: str, message: str) -> None:
        SyncLogRepository(session).add(
            SyncLog(
                connection_id=connection.id,
                workspace_id=connection.workspace_id,
                kind="auth",
                level=level,
                message=message[:500],
            )
        )

    async def _activate(
        self, session: AsyncSession, connection: Connection, *, account: str | None
    ) -> None:
        """Active from now on: logged, announced (``connection.connected``) and a first
        pull asked for, all with the transaction."""
        first = connection.activated_at is None
        connection.status = "active"
        connection.account_id = account
        connection.activated_at = utcnow()
        connection.last_error = None
        connection.refresh_failures = 0
        connection.oauth_state_hash = None
        connection.code_verifier_sealed = None
        await session.flush()
        SyncLogRepository(session).add(
            SyncLog(
                connection_id=connection.id,
                workspace_id=connection.workspace_id,
                kind="auth",
                message="connected",
            )
        )
        await session.flush()
        await session.refresh(connection)
        emit(
            session,
            workspace_id=connection.workspace_id,
            type="connection.connected",
            data=ConnectionOut.model_validate(connection),
        )
        if not first:
            # Reconnected: what queued meanwhile is pushed, changes since the cursor pulled.
            enqueue_after_commit(session, PULL_TASK, connection.id)
            return
        # New: a full sync brings the provider the workspace's existing leads and calls (not
        # only those created from now on) and Hubwire the provider's records; its progress is
        # the job's, and each pushed batch is in the connection's log.
        job = await self._sync_job(session, connection, full=True)
        SyncLogRepository(session).add(
            SyncLog(
                connection_id=connection.id,
                workspace_id=connection.workspace_id,
                kind="push",
                message=f"backfill started: the workspace's leads and calls (job {job.id})",
            )
        )

    async def callback(
        self,
        session: AsyncSession,
        *,
        state: str,
        code: str | None,
        error: str | None,
        error_description: str | None,
    ) -> CallbackOutcome:
        """Completes (or records the refusal of) the consent ``state`` belongs to."""
        hashed = state_hash(state)
        repo = ConnectionRepository(session)
        connection = await repo.by_state_hash(hashed)
        if connection is None:
            raise InvalidState()
        connector = _registry().get(connection.connector)
        title = connector.manifest.title if connector is not None else connection.connector

        async def failed(
            status: CallbackStatus, message: str, problem: HubwireError
        ) -> CallbackOutcome:
            await repo.record_consent_failure(connection.id, hashed, message)
            return self._outcome(connection, title, status, problem)

        if error:
            message = f"The provider reported `{error[:100]}`" + (
                f": {error_description[:300]}" if error_description else "."
            )
            status: CallbackStatus = "denied" if error == "access_denied" else "error"
            return await failed(status, message, InvalidRequest(message, details={"error": error}))
        if not code:
            raise InvalidRequest(
                "The callback carries neither `code` nor `error`.", details={"param": "code"}
            )
        problem: HubwireError
        if connector is None:
            problem = ConnectorNotInstalled(connection.connector, _registry())
            return await failed("error", problem.message, problem)
        client = resolve_client(self.settings, connector)
        if client is None:
            problem = NoOAuthClient(connector.slug)
            return await failed("error", problem.message, problem)
        config = oauth_client_config(
            self.settings, connector, client, token_url=connection.token_url
        )
        verifier = (
            self.secrets.open(connection.code_verifier_sealed)
            if connection.code_verifier_sealed
            else None
        )
        try:
            tokens = await provider_oauth().exchange_code(config, code=code, code_verifier=verifier)
        except ProviderTokenError as exc:
            message = f"The code exchange failed: {exc.message}"
            problem = ProviderTokenError(message, permanent=exc.permanent, error=exc.error)
            return await failed("error", message, problem)
        credentials = {**tokens.extra, "access_token": tokens.access_token}
        if tokens.refresh_token:
            credentials["refresh_token"] = tokens.refresh_token
        context = self._context(connection, {**app_credentials(client), **credentials})
        outcome = await run_check(connector, context)
        if not outcome.ok:
            message = f"The provider accepted the consent but the check failed: {outcome.detail}"
            problem = (
                InvalidRequest(message)
                if outcome.reachable
                else ProviderUnreachable(connector.slug, outcome.detail)
            )
            return await failed("error", message, problem)
        connection.credentials_sealed = seal_credentials(self.secrets, credentials)
        connection.token_expires_at = tokens.expires_at
        await self._connected(session, connector, connection, credentials)
        await self._activate(session, connection, account=outcome.account)
        return self._outcome(connection, title, "active", None)

    @staticmethod
    def _outcome(
        connection: Connection,
        title: str,
        status: CallbackStatus,
        error: HubwireError | None,
    ) -> CallbackOutcome:
        redirect_to = (
            with_query(connection.redirect_after, {"connection": connection.id, "status": status})
            if connection.redirect_after
            else None
        )
        return CallbackOutcome(connection.id, title, status, redirect_to, error)

    # --- managing ---------------------------------------------------------------------

    async def list(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        filters: ConnectionFilters,
        params: ListParams,
    ) -> PageResult:
        stmt = ConnectionRepository(session).query(workspace_id, filters)
        return await paginate(session, stmt, CONNECTION_SORTING, params)

    async def get(
        self, session: AsyncSession, *, workspace_id: str, connection_id: str
    ) -> Connection:
        connection = await ConnectionRepository(session).get(workspace_id, connection_id)
        if connection is None:
            raise ConnectionNotFound(connection_id)
        return connection

    async def update(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        connection_id: str,
        data: ConnectionUpdate,
    ) -> Connection:
        connection = await self.get(session, workspace_id=workspace_id, connection_id=connection_id)
        given = data.model_fields_set
        if "status" in given and data.status is not None and data.status != connection.status:
            if connection.status not in ("active", "paused"):
                raise ConnectionUnavailable(connection.id, connection.status)
            connection.status = data.status
            if data.status == "active":
                # Work queued while paused flows again.
                enqueue_after_commit(session, PUSH_TASK, connection.id)
        if "name" in given:
            connection.name = data.name
        if "concurrency_limit" in given and data.concurrency_limit is not None:
            connection.concurrency_limit = data.concurrency_limit
        if "field_mapping" in given and data.field_mapping is not None:
            connection.field_mapping = dict(data.field_mapping)
        if "settings" in given and data.settings is not None:
            connector = _registry().get(connection.connector)
            if connector is not None:
                self._check_settings(connector, data.settings)
            connection.settings = dict(data.settings)
        await session.flush()
        await session.refresh(connection)
        return connection

    async def delete(self, session: AsyncSession, *, workspace_id: str, connection_id: str) -> None:
        """Deletes the connection with its sync state; announces ``connection.disconnected``.
        Records already synced stay on both sides."""
        connection = await self.get(session, workspace_id=workspace_id, connection_id=connection_id)
        view = ConnectionOut.model_validate(connection)
        await self._disconnecting(session, connection)
        await ConnectionRepository(session).delete(connection)
        await session.flush()
        emit(session, workspace_id=workspace_id, type="connection.disconnected", data=view)

    async def test(
        self, session: AsyncSession, *, workspace_id: str, connection_id: str
    ) -> dict[str, Any]:
        """Runs the connector's check with the vault's credentials (refreshed if due; once
        more after a refresh when the provider refused the access token) and logs it."""
        connection = await self.get(session, workspace_id=workspace_id, connection_id=connection_id)
        if connection.status in UNUSABLE_STATUSES:
            raise ConnectionUnavailable(connection.id, connection.status)
        connector = _registry().get(connection.connector)
        if connector is None:
            raise ConnectionUnavailable(
                connection.id,
                connection.status,
                f"connector {connection.connector} is no longer installed",
            )
        started = time.perf_counter()
        calls = 1
        try:
            context = await self.vault.context(connection.id)
            outcome = await run_check(connector, context)
            if outcome.auth_failed and connection.auth_type == "oauth2":
                rejected = context.credentials.get("access_token", "")
                await self.vault.refresh_after_rejection(connection.id, rejected)
                outcome = await run_check(connector, await self.vault.context(connection.id))
                calls += 1
        except (ProviderTokenError, ConnectionUnavailable) as exc:
            outcome = CheckOutcome(False, None, exc.message, 0)
        latency = int((time.perf_counter() - started) * 1000)
        SyncLogRepository(session).add(
            SyncLog(
                connection_id=connection.id,
                workspace_id=connection.workspace_id,
                level="info" if outcome.ok else "error",
                kind="test",
                provider_calls=calls,
                duration_ms=latency,
                message=(f"test passed: {outcome.detail}" if outcome.ok else outcome.detail)[:500],
            )
        )
        await session.flush()
        return {
            "ok": outcome.ok,
            "account": outcome.account,
            "detail": outcome.detail,
            "latency_ms": latency,
        }

    async def request_sync(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        connection_id: str,
        full: bool = False,
        object_type: str | None = None,
    ) -> Job:
        """A ``connection.sync`` job (push what is queued, pull what changed; ``full``: pull
        everything and push every lead and call, skipping those in sync)."""
        connection = await self.get(session, workspace_id=workspace_id, connection_id=connection_id)
        if connection.status != "active":
            raise ConnectionUnavailable(connection.id, connection.status)
        if object_type is not None:
            objects = [spec.name for spec in self._connector(connection.connector).manifest.objects]
            if object_type not in objects:
                raise ValidationFailed(
                    f"{connection.connector} has no object {object_type!r} (it has: "
                    f"{', '.join(objects)}).",
                    details={"field": "object", "allowed": objects},
                )
        return await self._sync_job(session, connection, full=full, object_type=object_type)

    async def _sync_job(
        self,
        session: AsyncSession,
        connection: Connection,
        *,
        full: bool,
        object_type: str | None = None,
    ) -> Job:
        job_input: dict[str, Any] = {"connectionId": connection.id}
        if full:
            job_input["full"] = True
        if object_type is not None:
            job_input["object"] = object_type
        return await jobs.create(
            session, workspace_id=connection.workspace_id, type=SYNC_JOB_TYPE, input=job_input
        )

    # --- what the sync did ------------------------------------------------------------

    async def logs(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        connection_id: str,
        filters: LogFilters,
        params: ListParams,
    ) -> PageResult:
        await self.get(session, workspace_id=workspace_id, connection_id=connection_id)
        stmt = SyncLogRepository(session).query(connection_id, filters)
        return await paginate(session, stmt, LOG_SORTING, params)

    async def metrics(
        self, session: AsyncSession, *, workspace_id: str, connection_id: str
    ) -> dict[str, Any]:
        connection = await self.get(session, workspace_id=workspace_id, connection_id=connection_id)
        totals = await SyncLogRepository(session).totals(connection.id)
        items = await SyncItemRepository(session).counts(connection.id)
        moved = totals.pushed + totals.pulled + totals.failed
        connector = _registry().get(connection.connector)
        daily = next(
            (
                limit.requests
                for limit in (connector.manifest.rate_limits if connector else ())
                if limit.window_seconds == DAY_SECONDS and limit.calls is None
            ),
            None,
        )
        used = None
        if daily:
            since = utcnow() - timedelta(seconds=DAY_SECONDS)
            calls = await SyncLogRepository(session).provider_calls_since(connection.id, since)
            used = round(calls / daily, 4)
        return {
            "daily_allowance_used": used,
            "records_pushed": totals.pushed,
            "records_pulled": totals.pulled,
            "failed": totals.failed,
            "provider_calls": totals.provider_calls,
            "pending_items": items.get("pending", 0),
            "failed_items": items.get("failed", 0),
            "last_synced_at": connection.last_synced_at,
            "error_rate": round(totals.failed / moved, 4) if moved else None,
            "average_duration_ms": totals.average_duration_ms,
        }

    async def period_stats(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        connection_id: str,
        period: StatsPeriod,
    ) -> dict[str, Any]:
        connection = await self.get(session, workspace_id=workspace_id, connection_id=connection_id)
        start, end = _day_bounds(period)
        rows = await SyncLogRepository(session).per_day([connection.id], start, end)
        return {
            "connection_id": connection.id,
            "start_date": period.start,
            "end_date": period.end,
            "days": _days(period, rows),
            "totals": _totals(rows),
        }

    async def workspace_period_stats(
        self, session: AsyncSession, *, workspace_id: str, period: StatsPeriod
    ) -> dict[str, Any]:
        connections = await ConnectionRepository(session).in_workspace(workspace_id)
        start, end = _day_bounds(period)
        rows = await SyncLogRepository(session).per_day([c.id for c in connections], start, end)
        by_connection: dict[str, list[DayRow]] = {}
        for row in rows:
            by_connection.setdefault(row.connection_id, []).append(row)
        return {
            "start_date": period.start,
            "end_date": period.end,
            "connections": len(connections),
            "days": _days(period, rows),
            "totals": _totals(rows),
            "per_connection": [
                {
                    "connection_id": c.id,
                    "connector": c.connector,
                    "name": c.name,
                    "totals": _totals(by_connection.get(c.id, [])),
                }
                for c in connections
            ],
        }

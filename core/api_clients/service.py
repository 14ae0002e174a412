from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.api_clients.models import ApiClient
from core.api_clients.repository import API_CLIENT_SORTING, ApiClientRepository
from core.api_clients.schemas import (
    ApiClientCreate,
    ApiClientDashboard,
    ApiClientFilters,
    ApiClientOut,
    ApiClientUpdate,
    KeyCounts,
    RateLimitInfo,
    UsageWindow,
)
from core.api_keys.models import ApiKey
from core.api_keys.service import expiry_state
from core.auth.service import Authenticator
from core.database import after_commit, utcnow
from core.errors import Conflict, NotFound
from core.listing import ListParams, PageResult, paginate
from core.ratelimit.policy import TIER_LIMITS
from core.usage.repository import UsageRepository


class ApiClientNotFound(NotFound):
    def __init__(self, client_id: str) -> None:
        super().__init__(f"API client {client_id} does not exist.", details={"id": client_id})


def _to_columns(data: dict[str, object]) -> dict[str, object]:
    columns = dict(data)
    if "metadata" in columns:
        columns["extra"] = columns.pop("metadata")
    for url_field in ("website", "logo_url"):
        if columns.get(url_field) is not None:
            columns[url_field] = str(columns[url_field])
    if columns.get("redirect_uris") is not None:
        columns["redirect_uris"] = [str(uri) for uri in columns["redirect_uris"]]  # type: ignore[attr-defined]
    return columns


class ApiClientService:
    def __init__(self, authenticator: Authenticator | None = None) -> None:
        self.authenticator = authenticator

    async def create(
        self, session: AsyncSession, *, workspace_id: str, data: ApiClientCreate
    ) -> ApiClient:
        client = ApiClient(workspace_id=workspace_id, **_to_columns(data.model_dump()))
        ApiClientRepository(session).add(client)
        await session.flush()
        return client

    async def list(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        filters: ApiClientFilters,
        params: ListParams,
    ) -> PageResult:
        stmt = ApiClientRepository(session).query(workspace_id, filters)
        return await paginate(session, stmt, API_CLIENT_SORTING, params)

    async def get(self, session: AsyncSession, *, workspace_id: str, client_id: str) -> ApiClient:
        client = await ApiClientRepository(session).get(workspace_id, client_id)
        if client is None:
            raise ApiClientNotFound(client_id)
        return client

    async def update(
        self, session: AsyncSession, *, workspace_id: str, client_id: str, data: ApiClientUpdate
    ) -> ApiClient:
        client = await self.get(session, workspace_id=workspace_id, client_id=client_id)
        for name, value in _to_columns(data.model_dump(exclude_unset=True)).items():
            if value is None and name in {
                "name",
                "contact_email",
                "status",
                "rate_limit_tier",
                "scopes",
                "extra",
                "redirect_uris",
            }:
                continue  # these cannot be cleared, only replaced
            setattr(client, name, value)
        await session.flush()
        await session.refresh(client)
        await self._forget_keys(session, client.id)
        return client

    async def delete(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        client_id: str,
        caller_client_id: str | None = None,
    ) -> None:
        """Deletes the client and its keys. ``caller_client_id``: the client of the key making
        the request; deleting it would revoke that key mid-request, so it is refused."""
        client = await self.get(session, workspace_id=workspace_id, client_id=client_id)
        if client.id == caller_client_id:
            raise Conflict(
                f"This request is authenticated with a key of {client.id}: deleting the client "
                "would revoke that key. Delete it with a key of another client (or revoke its "
                "other keys one by one).",
                details={"id": client.id},
            )
        await self._forget_keys(session, client.id)
        await ApiClientRepository(session).delete(client)
        await session.flush()

    async def dashboard(
        self, session: AsyncSession, *, workspace_id: str, client_id: str
    ) -> ApiClientDashboard:
        client = await self.get(session, workspace_id=workspace_id, client_id=client_id)
        now = utcnow()
        keys = (await session.scalars(select(ApiKey).where(ApiKey.client_id == client.id))).all()
        states = [expiry_state(key, now) for key in keys]
        usage = UsageRepository(session)
        windows = {}
        for label, days in (("day", 1), ("month", 30)):
            total, failed, _, average = await usage.totals(
                workspace_id, client.id, now - timedelta(days=days), now
            )
            windows[label] = UsageWindow(
                requests=int(total),
                errors=int(failed),
                average_response_time_ms=round(float(average), 3),
            )
        limits = TIER_LIMITS[client.rate_limit_tier]
        return ApiClientDashboard(
            client=ApiClientOut.model_validate(client),
            keys=KeyCounts(
                total=len(keys),
                active=states.count("active"),
                revoked=states.count("revoked"),
                expired=states.count("expired"),
            ),
            usage_last_24_hours=windows["day"],
            usage_last_30_days=windows["month"],
            rate_limit=RateLimitInfo(
                tier=client.rate_limit_tier,
                requests_per_minute=limits.per_minute,
                requests_per_hour=limits.per_hour,
                requests_per_day=limits.per_day,
                burst=limits.burst,
            ),
        )

    async def _forget_keys(self, session: AsyncSession, client_id: str) -> None:
        """A client's status and tier are cached with its keys' credentials: drop them."""
        if self.authenticator is None:
            return
        key_ids = list(
            (await session.scalars(select(ApiKey.id).where(ApiKey.client_id == client_id))).all()
        )
        authenticator = self.authenticator

        def forget() -> None:
            for key_id in key_ids:
                authenticator.invalidate(key_id)

        after_commit(session, forget)

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.api_clients.models import ApiClient
from core.api_keys.models import ApiKey
from core.workspaces.models import Workspace


@dataclass(frozen=True, slots=True)
class KeyCredentials:
    """What authentication needs to know about a key, loaded in one query."""

    key_id: str
    workspace_id: str
    client_id: str
    client_status: str
    client_tier: str
    # A key never holds more than its client currently allows, even after the client's
    # scopes are narrowed.
    client_scopes: tuple[str, ...]
    secret_hash: str
    previous_secret_hash: str | None
    previous_secret_expires_at: datetime | None
    environment: str
    status: str
    scopes: tuple[str, ...]
    tier: str | None
    rate_limit_override: int | None
    ip_allowlist: tuple[str, ...]
    expires_at: datetime | None
    # `active`, or `suspended` by the partner that manages the workspace.
    workspace_status: str = "active"


class ApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def credentials(self, key_id: str) -> KeyCredentials | None:
        row = (
            await self.session.execute(
                select(
                    ApiKey,
                    ApiClient.status,
                    ApiClient.rate_limit_tier,
                    ApiClient.scopes,
                    Workspace.status,
                )
                .join(ApiClient, ApiClient.id == ApiKey.client_id)
                .join(Workspace, Workspace.id == ApiKey.workspace_id)
                .where(ApiKey.id == key_id)
            )
        ).first()
        if row is None:
            return None
        key, client_status, client_tier, client_scopes, workspace_status = row
        return KeyCredentials(
            key_id=key.id,
            workspace_id=key.workspace_id,
            client_id=key.client_id,
            client_status=client_status,
            client_tier=client_tier,
            client_scopes=tuple(client_scopes or ()),
            secret_hash=key.secret_hash,
            previous_secret_hash=key.previous_secret_hash,
            previous_secret_expires_at=key.previous_secret_expires_at,
            environment=key.environment,
            status=key.status,
            scopes=tuple(key.scopes or ()),
            tier=key.tier,
            rate_limit_override=key.rate_limit_override,
            ip_allowlist=tuple(key.ip_allowlist or ()),
            expires_at=key.expires_at,
            workspace_status=workspace_status,
        )

    async def get(self, workspace_id: str, key_id: str) -> ApiKey | None:
        return await self.session.scalar(
            select(ApiKey).where(ApiKey.workspace_id == workspace_id, ApiKey.id == key_id)
        )

    def for_client(self, workspace_id: str, client_id: str) -> Select[ApiKey]:
        return select(ApiKey).where(
            ApiKey.workspace_id == workspace_id, ApiKey.client_id == client_id
        )

    def in_workspace(self, workspace_id: str, filters: Mapping[str, Any]) -> Select[ApiKey]:
        stmt = select(ApiKey).where(ApiKey.workspace_id == workspace_id)
        for column in ("client_id", "status", "environment"):
            if filters.get(column) is not None:
                stmt = stmt.where(getattr(ApiKey, column) == filters[column])
        return stmt

    def add(self, key: ApiKey) -> None:
        self.session.add(key)

    async def touch_last_used(self, last_used: Mapping[str, datetime]) -> None:
        for key_id, when in last_used.items():
            await self.session.execute(
                update(ApiKey)
                .where(ApiKey.id == key_id)
                .where((ApiKey.last_used_at.is_(None)) | (ApiKey.last_used_at < when))
                .values(last_used_at=when)
                .execution_options(synchronize_session=False)
            )

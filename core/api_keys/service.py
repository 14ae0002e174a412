from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.api_clients.models import ApiClient
from core.api_clients.repository import ApiClientRepository
from core.api_keys.models import ApiKey
from core.api_keys.repository import ApiKeyRepository
from core.api_keys.schemas import ApiKeyCreate, ApiKeyOut, ApiKeyWithSecret
from core.auth.keys import generate_key, hash_secret, mask, new_secret
from core.auth.service import Authenticator
from core.database import after_commit, utcnow
from core.errors import Forbidden, InvalidRequest, NotFound
from core.listing import ListParams, PageResult, Sorting, paginate

API_KEY_SORTING = Sorting(
    fields={"createdAt": ApiKey.created_at, "name": ApiKey.name}, id_column=ApiKey.id
)


class ApiKeyNotFound(NotFound):
    def __init__(self, key_id: str) -> None:
        super().__init__(f"API key {key_id} does not exist.", details={"id": key_id})


@dataclass(frozen=True, slots=True)
class IssuedKey:
    key: ApiKey
    plaintext: str


def key_view(key: ApiKey) -> dict[str, Any]:
    """The attributes of ``ApiKeyOut`` (masked; the secret is never readable again)."""
    return {
        **{name: getattr(key, name) for name in ApiKeyOut.model_fields if hasattr(key, name)},
        "masked_key": mask(key.prefix),
    }


def issued_view(issued: IssuedKey) -> ApiKeyWithSecret:
    return ApiKeyWithSecret.model_validate({**key_view(issued.key), "key": issued.plaintext})


class ApiKeyService:
    def __init__(
        self, authenticator: Authenticator | None = None, *, default_grace_hours: int = 24
    ) -> None:
        self.authenticator = authenticator
        self.default_grace_hours = default_grace_hours

    async def in_workspace(
        self, session: AsyncSession, *, workspace_id: str, status: str | None = None
    ) -> list[ApiKey]:
        """Every key of the workspace (optionally of one status), oldest first."""
        stmt = ApiKeyRepository(session).in_workspace(workspace_id, {"status": status})
        return list(await session.scalars(stmt.order_by(ApiKey.created_at, ApiKey.id)))

    def _forget(self, session: AsyncSession, key_id: str) -> None:
        if self.authenticator is not None:
            authenticator = self.authenticator
            after_commit(session, lambda: authenticator.invalidate(key_id))

    async def create(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        data: ApiKeyCreate,
        grantor_scopes: frozenset[str] | None,
    ) -> IssuedKey:
        """Issues a key. ``grantor_scopes`` is the caller's own scopes (None for operators):
        nobody can hand out a scope they do not hold."""
        client = await ApiClientRepository(session).get(workspace_id, data.client_id)
        if client is None:
            raise NotFound(
                f"API client {data.client_id} does not exist.", details={"id": data.client_id}
            )
        _check_grant(set(data.scopes), client, grantor_scopes)
        expires_at = data.expires_at
        if data.expires_in_days is not None:
            expires_at = utcnow() + timedelta(days=data.expires_in_days)
        if expires_at is not None and expires_at <= utcnow():
            raise InvalidRequest("expiresAt must be in the future.", details={"field": "expiresAt"})
        new = generate_key(data.environment)
        key = ApiKey(
            id=new.key_id,
            workspace_id=workspace_id,
            client_id=client.id,
            name=data.name,
            prefix=new.prefix,
            secret_hash=new.secret_hash,
            environment=data.environment,
            status="active",
            scopes=list(data.scopes),
            tier=data.tier,
            rate_limit_override=data.rate_limit_override,
            ip_allowlist=list(data.ip_allowlist),
            expires_at=expires_at,
        )
        ApiKeyRepository(session).add(key)
        await session.flush()
        return IssuedKey(key, new.plaintext)

    async def get(self, session: AsyncSession, *, workspace_id: str, key_id: str) -> ApiKey:
        key = await ApiKeyRepository(session).get(workspace_id, key_id)
        if key is None:
            raise ApiKeyNotFound(key_id)
        return key

    async def list_for_client(
        self, session: AsyncSession, *, workspace_id: str, client_id: str, params: ListParams
    ) -> PageResult:
        if await ApiClientRepository(session).get(workspace_id, client_id) is None:
            raise NotFound(f"API client {client_id} does not exist.", details={"id": client_id})
        stmt = ApiKeyRepository(session).for_client(workspace_id, client_id)
        return await paginate(session, stmt, API_KEY_SORTING, params)

    async def revoke(
        self, session: AsyncSession, *, workspace_id: str, key_id: str, client_id: str | None = None
    ) -> ApiKey:
        key = await self.get(session, workspace_id=workspace_id, key_id=key_id)
        if client_id is not None and key.client_id != client_id:
            raise ApiKeyNotFound(key_id)
        if key.status != "revoked":
            key.status = "revoked"
            key.revoked_at = utcnow()
            key.previous_secret_hash = None
            key.previous_secret_expires_at = None
        await session.flush()
        self._forget(session, key.id)
        return key

    async def rotate(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        key_id: str,
        grace_period_hours: int | None,
        grantor_scopes: frozenset[str] | None = None,
    ) -> IssuedKey:
        """A new secret for the same key id; the old one works for the grace period.

        The caller receives a working secret, so like ``create`` it must hold every scope of
        the key (``grantor_scopes`` None is an operator)."""
        if grace_period_hours is None:
            grace_period_hours = self.default_grace_hours
        key = await self.get(session, workspace_id=workspace_id, key_id=key_id)
        if key.status != "active":
            raise InvalidRequest("A revoked key cannot be rotated.", details={"id": key_id})
        if grantor_scopes is not None:
            beyond_grantor = sorted(set(key.scopes) - grantor_scopes)
            if beyond_grantor:
                raise Forbidden(
                    "You cannot rotate a key with scopes your own credential does not hold.",
                    details={"scopes": beyond_grantor},
                )
        secret = new_secret()
        now = utcnow()
        if grace_period_hours > 0:
            key.previous_secret_hash = key.secret_hash
            key.previous_secret_expires_at = now + timedelta(hours=grace_period_hours)
        else:
            key.previous_secret_hash = None
            key.previous_secret_expires_at = None
        key.secret_hash = hash_secret(secret)
        await session.flush()
        self._forget(session, key.id)
        return IssuedKey(key, f"{key.prefix}_{secret}")


def _check_grant(requested: set[str], client: ApiClient, grantor: frozenset[str] | None) -> None:
    beyond_client = sorted(requested - set(client.scopes))
    if beyond_client:
        raise InvalidRequest(
            "A key cannot have scopes its API client does not have.",
            details={"scopes": beyond_client, "clientId": client.id},
        )
    if grantor is not None:
        beyond_grantor = sorted(requested - grantor)
        if beyond_grantor:
            raise Forbidden(
                "You cannot grant scopes your own credential does not hold.",
                details={"scopes": beyond_grantor},
            )


def expiry_state(key: ApiKey, now: datetime) -> str:
    if key.status == "revoked":
        return "revoked"
    if key.expires_at is not None and key.expires_at <= now:
        return "expired"
    return "active"

"""Turns a bearer credential into a Principal, with a short in-process cache."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession

from core.api_keys.repository import ApiKeyRepository, KeyCredentials
from core.auth.keys import ParsedKey, parse_key, secret_matches
from core.database import Database, utcnow
from core.errors import Forbidden, Unauthorized
from core.partners.repository import PartnerCredentials, PartnerRepository
from core.plugins.auth import Principal, TokenAuthenticator
from core.plugins.manager import plugin_manager
from core.workspaces.repository import WorkspaceRepository
from core.workspaces.status import refuse_unless_active

T = TypeVar("T")


def plugin_token_authenticators(db: Database) -> list[TokenAuthenticator]:
    """The authenticators installed plugins register (OAuth and user tokens)."""
    registered: list[list[TokenAuthenticator]] = plugin_manager().hook.hubwire_token_authenticators(
        db=db
    )
    return [authenticator for group in registered for authenticator in group]


class Authenticator:
    """Authenticates API keys (``hw_…``) itself, and any other bearer token through the
    token authenticators of plugins, tried in order.

    Credentials are cached per process for ``cache_seconds`` so the request path does not
    query the database each time. Changes made through this process (revoke, rotate, update)
    invalidate the entry at once; other processes see them within ``cache_seconds``.
    """

    def __init__(
        self,
        db: Database,
        *,
        cache_seconds: float,
        token_authenticators: list[TokenAuthenticator] | None = None,
    ) -> None:
        self.db = db
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, KeyCredentials]] = {}
        self._partner_cache: dict[str, tuple[float, PartnerCredentials]] = {}
        # Workspace statuses for tokens of plugins (API keys carry theirs in their credentials).
        self._status_cache: dict[str, tuple[float, str]] = {}
        self.token_authenticators = (
            plugin_token_authenticators(db)
            if token_authenticators is None
            else token_authenticators
        )

    def invalidate(self, key_id: str) -> None:
        self._cache.pop(key_id, None)

    def invalidate_all(self) -> None:
        """Drops every cached credential (a workspace was suspended or reactivated)."""
        self._cache.clear()
        self._partner_cache.clear()
        self._status_cache.clear()

    async def _cached(
        self,
        cache: dict[str, tuple[float, Any]],
        key: str,
        load: Callable[[AsyncSession], Awaitable[T | None]],
    ) -> T | None:
        """``load``'s answer, kept for ``cache_seconds`` (what is not found is asked again)."""
        now = time.monotonic()
        cached = cache.get(key)
        if cached is not None and now - cached[0] < self.cache_seconds:
            return cast("T | None", cached[1])
        async with self.db.sessionmaker() as session:
            found = await load(session)
        if found is not None and self.cache_seconds > 0:
            if len(cache) > 50_000:
                cache.clear()
            cache[key] = (now, found)
        return found

    async def _credentials(self, key_id: str) -> KeyCredentials | None:
        return await self._cached(
            self._cache, key_id, lambda session: ApiKeyRepository(session).credentials(key_id)
        )

    async def _workspace_status(self, workspace_id: str) -> str | None:
        return await self._cached(
            self._status_cache,
            workspace_id,
            lambda session: WorkspaceRepository(session).status_of(workspace_id),
        )

    async def _partner_credentials(self, key_id: str) -> PartnerCredentials | None:
        return await self._cached(
            self._partner_cache,
            key_id,
            lambda session: PartnerRepository(session).credentials(key_id),
        )

    async def authenticate(self, authorization: str | None, client_ip: str | None) -> Principal:
        if not authorization:
            raise Unauthorized("Send your API key as `Authorization: Bearer <key>`.")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("Use the Bearer scheme: `Authorization: Bearer <key>`.")
        token = token.strip()
        if not token.startswith(("hw_", "hwp_")):
            for authenticator in self.token_authenticators:
                principal = await authenticator.authenticate(token, client_ip)
                if principal is not None:
                    # OAuth and user tokens of a suspended workspace: refused as its keys are.
                    if principal.workspace_id:
                        status = await self._workspace_status(principal.workspace_id)
                        refuse_unless_active(principal.workspace_id, status)
                    return principal
            raise Unauthorized("The API key or token is malformed.")
        parsed = parse_key(token)
        if parsed is None:
            raise Unauthorized("The API key is malformed.")
        if parsed.brand == "hwp":
            return await self._partner(parsed)
        credentials = await self._credentials(parsed.key_id)
        if credentials is None or credentials.environment != parsed.environment:
            raise Unauthorized("The API key is not valid.")
        now = utcnow()
        if not _secret_valid(parsed.secret, credentials, now):
            raise Unauthorized("The API key is not valid.")
        if credentials.status != "active":
            raise Unauthorized("The API key was revoked.")
        if credentials.expires_at is not None and credentials.expires_at <= now:
            raise Unauthorized(f"The API key expired at {credentials.expires_at.isoformat()}.")
        if credentials.client_status != "active":
            raise Unauthorized(f"The API client is {credentials.client_status}.")
        refuse_unless_active(credentials.workspace_id, credentials.workspace_status)
        if credentials.ip_allowlist and not _ip_allowed(client_ip, credentials.ip_allowlist):
            raise Forbidden(
                "Requests from this IP address are not allowed for this key.",
                details={"ip": client_ip},
            )
        return Principal(
            kind="api_key",
            id=credentials.key_id,
            workspace_id=credentials.workspace_id,
            client_id=credentials.client_id,
            scopes=frozenset(credentials.scopes) & frozenset(credentials.client_scopes),
            tier=credentials.tier or credentials.client_tier,
            rate_limit_override=credentials.rate_limit_override,
            environment=credentials.environment,
        )

    async def _partner(self, parsed: ParsedKey) -> Principal:
        credentials = await self._partner_credentials(parsed.key_id)
        if credentials is None or credentials.environment != parsed.environment:
            raise Unauthorized("The API key is not valid.")
        if not secret_matches(parsed.secret, credentials.secret_hash):
            raise Unauthorized("The API key is not valid.")
        if credentials.status != "active":
            raise Unauthorized("The API key was revoked.")
        if credentials.partner_status != "active":
            raise Forbidden(f"The partner account is {credentials.partner_status}.")
        return Principal(
            kind="partner",
            id=credentials.key_id,
            workspace_id="",
            # Usage and the request log count a partner's traffic under its id.
            client_id=credentials.partner_id,
            scopes=frozenset(credentials.scopes),
            tier=credentials.tier,
            rate_limit_override=None,
            environment=credentials.environment,
            partner_id=credentials.partner_id,
        )


def _secret_valid(secret: str, credentials: KeyCredentials, now: datetime) -> bool:
    if secret_matches(secret, credentials.secret_hash):
        return True
    grace_until = credentials.previous_secret_expires_at
    return (
        grace_until is not None
        and grace_until > now
        and secret_matches(secret, credentials.previous_secret_hash)
    )


def _ip_allowed(client_ip: str | None, allowlist: tuple[str, ...]) -> bool:
    if client_ip is None:
        return False
    try:
        address = ipaddress.ip_address(client_ip)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(entry, strict=False) for entry in allowlist)

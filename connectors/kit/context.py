"""What an operation gets to reach the provider: one connection's decrypted credentials and
where to send requests (the real API, or its sandbox in tests and ``make run``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True, slots=True)
class ConnectionContext:
    """Built by the sync engine for each operation; never stored, never logged.

    ``credentials`` holds what the auth type gives (``access_token`` for OAuth 2.0,
    ``api_key`` for keys); ``base_url`` overrides the provider's API root (a sandbox);
    ``settings`` is the connection's non-secret configuration."""

    connection_id: str
    workspace_id: str
    credentials: Mapping[str, str] = field(repr=False)
    base_url: str | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    timeout: float = 30.0

    def credential(self, name: str) -> str:
        try:
            return self.credentials[name]
        except KeyError:
            from connectors.kit.errors import AuthFailed

            raise AuthFailed(f"the connection has no {name!r} credential") from None

    def with_credentials(self, **credentials: str) -> ConnectionContext:
        return replace(self, credentials={**self.credentials, **credentials})

    def http(self, default_base_url: str, **kwargs: Any) -> httpx.AsyncClient:
        """An httpx client for connectors without an official SDK: rooted at ``base_url``
        (or the provider's ``default_base_url``), with this connection's timeout."""
        import httpx

        return httpx.AsyncClient(
            base_url=self.base_url or default_base_url, timeout=self.timeout, **kwargs
        )

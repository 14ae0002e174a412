"""Bearer tokens that are not API keys (OAuth access tokens, user tokens) are checked by
authenticators that plugins register (``hubwire_token_authenticators``)."""

from __future__ import annotations

from typing import Protocol

from core.auth.principal import Principal


class TokenAuthenticator(Protocol):
    async def authenticate(self, token: str, ip: str | None) -> Principal | None:
        """The principal of ``token``; None when the token is not one this authenticator
        issues. Raises ``Unauthorized`` for its own tokens that are revoked or expired."""
        ...

"""The OAuth 2.0 client Hubwire uses towards providers (``oauth/`` owns the provider-connection
consent flows): Authlib's httpx client, authorization code grant with
``state`` and PKCE S256, the code exchange and refresh.

Core reaches it through the ``hubwire_provider_oauth`` hook (``oauth.plugin``) and sees only
``core.connections.provider_oauth.ProviderOAuth``; every provider failure comes out as a
``ProviderTokenError`` saying whether a retry can help."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
from authlib.common.security import generate_token  # type: ignore[import-untyped]
from authlib.deprecate import AuthlibDeprecationWarning  # type: ignore[import-untyped]

from core.plugins.auth import (
    AuthorizationRequest,
    OAuthClientConfig,
    ProviderTokenError,
    TokenSet,
)

with warnings.catch_warnings():
    # Authlib warns on import that it would rather use the `httpx2` package; plain httpx is
    # what Hubwire ships and is still supported.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.base_client import OAuthError  # type: ignore[import-untyped]
    from authlib.integrations.httpx_client import (  # type: ignore[import-untyped]
        AsyncOAuth2Client,
    )

# RFC 6749 §5.2 errors that a retry of the same request cannot fix.
PERMANENT_ERRORS = frozenset(
    {
        "invalid_request",
        "invalid_client",
        "invalid_grant",
        "unauthorized_client",
        "unsupported_grant_type",
        "invalid_scope",
        "access_denied",
    }
)
# HTTP statuses of a token endpoint that mean "this request is wrong" rather than "later".
PERMANENT_STATUSES = frozenset({400, 401, 403, 404})
# Fields of a token answer that are secrets: never copied into TokenSet.extra.
STATE_LENGTH = 40
# RFC 7636 §4.1: 43-128 characters; 48 alphanumerics carry ~285 bits.
CODE_VERIFIER_LENGTH = 48
DEFAULT_TIMEOUT = 20.0


def _refuse_error_responses(response: httpx.Response) -> httpx.Response:
    """Authlib only recognises RFC 6749 error bodies (``{"error": …}``); providers answer
    in their own shapes too (HubSpot: ``{"status": "BAD_REFRESH_TOKEN", "message": …}``).
    Any error status without an ``error`` member is turned into a ProviderTokenError here."""
    if response.status_code < 400:
        return response
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "error" in body:
        return response  # RFC 6749 shape: Authlib raises OAuthError with it
    if response.status_code >= 500 or response.status_code in (408, 429):
        raise ProviderTokenError(
            f"The provider's token endpoint answered HTTP {response.status_code}.",
            permanent=False,
            error=f"http_{response.status_code}",
        )
    code = message = None
    if isinstance(body, dict):
        code = body.get("status") or body.get("code") or body.get("errorCode")
        message = body.get("message") or body.get("error_description")
    raise ProviderTokenError(
        "The provider refused the token request"
        + (f": {message}" if message else f" (HTTP {response.status_code})."),
        permanent=response.status_code in PERMANENT_STATUSES,
        error=str(code) if code else f"http_{response.status_code}",
    )


def _token_set(token: Any, fields: Sequence[str] = ()) -> TokenSet:
    access = token.get("access_token") if isinstance(token, dict) else None
    if not isinstance(access, str) or not access:
        raise ProviderTokenError(
            "The provider's token response has no access_token.", permanent=False
        )
    refresh = token.get("refresh_token")
    expires_at = token.get("expires_at")
    return TokenSet(
        access_token=access,
        refresh_token=refresh if isinstance(refresh, str) and refresh else None,
        expires_at=datetime.fromtimestamp(int(expires_at), UTC)
        if isinstance(expires_at, int | float)
        else None,
        extra={name: token[name] for name in fields if isinstance(token.get(name), str)},
    )


class AuthlibProviderOAuth:
    """``ProviderOAuth`` on Authlib's ``AsyncOAuth2Client``; one short-lived client per call."""

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout

    def _client(self, config: OAuthClientConfig, **extra: Any) -> Any:
        client = AsyncOAuth2Client(
            client_id=config.client_id,
            client_secret=config.client_secret,
            token_endpoint_auth_method=config.token_endpoint_auth_method,
            redirect_uri=config.redirect_uri,
            timeout=self.timeout,
            **extra,
        )
        client.register_compliance_hook("access_token_response", _refuse_error_responses)
        client.register_compliance_hook("refresh_token_response", _refuse_error_responses)
        return client

    async def authorization_request(self, client: OAuthClientConfig) -> AuthorizationRequest:
        state = generate_token(STATE_LENGTH)
        verifier = generate_token(CODE_VERIFIER_LENGTH)
        async with self._client(
            client, scope=" ".join(client.scopes) or None, code_challenge_method="S256"
        ) as oauth:
            url, _ = oauth.create_authorization_url(
                client.authorize_url, state=state, code_verifier=verifier
            )
        return AuthorizationRequest(url=url, state=state, code_verifier=verifier)

    async def exchange_code(
        self, client: OAuthClientConfig, *, code: str, code_verifier: str | None
    ) -> TokenSet:
        extra: dict[str, Any] = {"code_verifier": code_verifier} if code_verifier else {}
        async with self._client(client) as oauth:
            token = await self._call(
                oauth.fetch_token(
                    client.token_url,
                    grant_type="authorization_code",
                    code=code,
                    redirect_uri=client.redirect_uri,
                    **extra,
                )
            )
        return _token_set(token, client.token_fields)

    async def refresh(self, client: OAuthClientConfig, *, refresh_token: str) -> TokenSet:
        async with self._client(client) as oauth:
            token = await self._call(
                oauth.refresh_token(client.token_url, refresh_token=refresh_token)
            )
        tokens = _token_set(token, client.token_fields)
        if tokens.refresh_token == refresh_token:
            # Authlib copies the old refresh token in when the response has none.
            return TokenSet(tokens.access_token, None, tokens.expires_at, tokens.extra)
        return tokens

    @staticmethod
    async def _call(pending: Any) -> Any:
        try:
            return await pending
        except ProviderTokenError:
            raise
        except OAuthError as exc:
            error = str(exc.error or "oauth_error")
            description = f": {exc.description}" if exc.description else "."
            raise ProviderTokenError(
                f"The provider answered `{error}`{description}",
                permanent=error in PERMANENT_ERRORS,
                error=error,
            ) from exc
        except httpx.HTTPStatusError as exc:
            status = exc.response.status_code
            raise ProviderTokenError(
                f"The provider's token endpoint answered HTTP {status}.",
                permanent=status in PERMANENT_STATUSES,
                error=f"http_{status}",
            ) from exc
        except httpx.HTTPError as exc:
            raise ProviderTokenError(
                f"The provider's token endpoint could not be reached ({type(exc).__name__}).",
                permanent=False,
                error="unreachable",
            ) from exc
        except ValueError as exc:
            raise ProviderTokenError(
                "The provider's token endpoint sent a response that is not a token.",
                permanent=False,
                error="bad_response",
            ) from exc

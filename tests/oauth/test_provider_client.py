"""The OAuth client Hubwire uses towards providers (Authlib): the consent URL with state and
PKCE S256, the code exchange with the verifier, refresh, and provider errors mapped to
``ProviderTokenError`` (permanent or not). Against a small RFC 6749 provider and the
HubSpot sandbox, both served over loopback."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from connectors.hubspot.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, create_sandbox
from core.plugins.auth import OAuthClientConfig, ProviderTokenError
from core.plugins.manager import plugin_manager
from oauth.provider_client import AuthlibProviderOAuth
from tests.support.live_server import serve_asgi

CLIENT_ID, CLIENT_SECRET = "hubwire-app", "s3cret"
REDIRECT = "https://hubwire.test/v1/connections/callback"


@dataclass
class Provider:
    """An RFC 6749 + RFC 7636 authorization server, strict about what a client sends."""

    url: str = ""
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    refresh_tokens: set[str] = field(default_factory=set)
    rotate: bool = True
    fail_with: int | None = None
    requests: list[dict[str, str]] = field(default_factory=list)

    def issue_code(self, challenge: str, method: str, redirect_uri: str) -> str:
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"challenge": challenge, "method": method, "redirect": redirect_uri}
        return code

    def tokens(self) -> dict[str, Any]:
        refresh = secrets.token_urlsafe(16)
        self.refresh_tokens.add(refresh)
        return {
            "access_token": secrets.token_urlsafe(16),
            "refresh_token": refresh,
            "token_type": "Bearer",
            "expires_in": 1800,
        }


def _error(error: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": f"{error} (test)"}, status)


def provider_app(provider: Provider) -> FastAPI:
    app = FastAPI()

    @app.post("/token")
    async def token(request: Request) -> JSONResponse:
        form = {k: str(v) for k, v in (await request.form()).items()}
        provider.requests.append(form)
        if provider.fail_with is not None:
            return JSONResponse({"message": "down"}, provider.fail_with)
        # client_secret_post: the credentials are in the form, not a Basic header.
        if "authorization" in request.headers:
            return _error("invalid_request")
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return _error("invalid_client", 401)
        if form.get("grant_type") == "authorization_code":
            grant = provider.codes.pop(form.get("code", ""), None)
            if grant is None or grant["redirect"] != form.get("redirect_uri"):
                return _error("invalid_grant")
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if grant["method"] != "S256" or expected != grant["challenge"]:
                return _error("invalid_grant")
            return JSONResponse(provider.tokens())
        if form.get("grant_type") == "refresh_token":
            refresh = form.get("refresh_token", "")
            if refresh not in provider.refresh_tokens:
                return _error("invalid_grant")
            if not provider.rotate:
                return JSONResponse({"access_token": "fresh", "expires_in": 60})
            provider.refresh_tokens.discard(refresh)
            return JSONResponse(provider.tokens())
        return _error("unsupported_grant_type")

    return app


@pytest.fixture
def provider() -> Iterator[Provider]:
    state = Provider()
    with serve_asgi(provider_app(state)) as url:
        state.url = url
        yield state


def config(url: str, **overrides: Any) -> OAuthClientConfig:
    values: dict[str, Any] = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "authorize_url": "https://provider.example/oauth/authorize?prompt=consent",
        "token_url": f"{url}/token",
        "redirect_uri": REDIRECT,
        "scopes": ("contacts.read", "contacts.write"),
        **overrides,
    }
    return OAuthClientConfig(**values)


async def _code(provider: Provider, client: OAuthClientConfig) -> tuple[str, str]:
    """What the provider's consent page would do: a code bound to the request's challenge."""
    request = await AuthlibProviderOAuth().authorization_request(client)
    query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
    code = provider.issue_code(
        query["code_challenge"], query["code_challenge_method"], query["redirect_uri"]
    )
    return code, request.code_verifier


async def test_the_consent_url_carries_state_and_an_s256_challenge() -> None:
    client = config("http://unused")
    first = await AuthlibProviderOAuth().authorization_request(client)
    second = await AuthlibProviderOAuth().authorization_request(client)
    url = urlsplit(first.url)
    assert (url.scheme, url.netloc, url.path) == ("https", "provider.example", "/oauth/authorize")
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    digest = hashlib.sha256(first.code_verifier.encode()).digest()
    assert query == {
        "prompt": "consent",
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT,
        "scope": "contacts.read contacts.write",
        "state": first.state,
        "code_challenge": base64.urlsafe_b64encode(digest).rstrip(b"=").decode(),
        "code_challenge_method": "S256",
    }
    assert len(first.code_verifier) == 48 and len(first.state) >= 32
    assert first.state != second.state and first.code_verifier != second.code_verifier
    assert CLIENT_SECRET not in first.url
    assert first.state not in repr(first) and first.code_verifier not in repr(first)


async def test_the_code_is_exchanged_with_the_verifier(provider: Provider) -> None:
    client = config(provider.url)
    code, verifier = await _code(provider, client)
    before = datetime.now(UTC)
    tokens = await AuthlibProviderOAuth().exchange_code(client, code=code, code_verifier=verifier)
    assert tokens.access_token and tokens.refresh_token in provider.refresh_tokens
    assert tokens.expires_at is not None
    assert before + timedelta(seconds=1790) <= tokens.expires_at
    assert tokens.expires_at <= datetime.now(UTC) + timedelta(seconds=1801)
    sent = provider.requests[-1]
    assert sent["grant_type"] == "authorization_code" and sent["code_verifier"] == verifier
    assert sent["redirect_uri"] == REDIRECT
    assert tokens.access_token not in repr(tokens)


async def test_a_wrong_verifier_or_spent_code_is_a_permanent_error(provider: Provider) -> None:
    client = config(provider.url)
    code, verifier = await _code(provider, client)
    with pytest.raises(ProviderTokenError) as wrong:
        await AuthlibProviderOAuth().exchange_code(client, code=code, code_verifier="x" * 48)
    assert wrong.value.permanent and wrong.value.error == "invalid_grant"
    assert wrong.value.status == 400 and wrong.value.code == "INVALID_REQUEST"
    with pytest.raises(ProviderTokenError) as spent:
        await AuthlibProviderOAuth().exchange_code(client, code=code, code_verifier=verifier)
    assert spent.value.permanent and "invalid_grant" in spent.value.message


async def test_wrong_client_credentials_are_permanent(provider: Provider) -> None:
    client = config(provider.url, client_secret="wrong")
    code, verifier = await _code(provider, client)
    with pytest.raises(ProviderTokenError) as refused:
        await AuthlibProviderOAuth().exchange_code(client, code=code, code_verifier=verifier)
    assert refused.value.permanent and refused.value.error == "invalid_client"


async def test_refresh_rotates_and_spent_tokens_are_refused(provider: Provider) -> None:
    client = config(provider.url)
    code, verifier = await _code(provider, client)
    first = await AuthlibProviderOAuth().exchange_code(client, code=code, code_verifier=verifier)
    assert first.refresh_token is not None
    second = await AuthlibProviderOAuth().refresh(client, refresh_token=first.refresh_token)
    assert second.refresh_token not in (None, first.refresh_token)
    assert second.access_token != first.access_token
    assert provider.requests[-1]["grant_type"] == "refresh_token"
    assert "scope" not in provider.requests[-1]
    with pytest.raises(ProviderTokenError) as spent:
        await AuthlibProviderOAuth().refresh(client, refresh_token=first.refresh_token)
    assert spent.value.permanent and spent.value.error == "invalid_grant"


async def test_a_refresh_without_a_new_refresh_token_keeps_none(provider: Provider) -> None:
    provider.rotate = False
    provider.refresh_tokens.add("long-lived")
    tokens = await AuthlibProviderOAuth().refresh(config(provider.url), refresh_token="long-lived")
    assert tokens.access_token == "fresh" and tokens.refresh_token is None


@pytest.mark.parametrize("status", [500, 503, 429])
async def test_provider_outages_are_transient(provider: Provider, status: int) -> None:
    provider.fail_with = status
    with pytest.raises(ProviderTokenError) as down:
        await AuthlibProviderOAuth().refresh(config(provider.url), refresh_token="r")
    assert not down.value.permanent and down.value.status == 503
    assert down.value.code == "SERVICE_UNAVAILABLE"


async def test_an_unreachable_provider_is_transient() -> None:
    started = time.monotonic()
    with pytest.raises(ProviderTokenError) as down:
        await AuthlibProviderOAuth(timeout=2).refresh(
            config("http://127.0.0.1:9"), refresh_token="r"
        )
    assert not down.value.permanent and down.value.error == "unreachable"
    assert time.monotonic() - started < 5


async def test_hubspot_token_errors_are_understood() -> None:
    """HubSpot's dated token endpoint answers RFC 6749 (`error`, `error_description`) next
    to its own `status`/`message`; its v1 one, after the sunset, only HubSpot's shape."""
    with serve_asgi(create_sandbox()) as url:
        credentials = {"client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}
        client = config(url, token_url=f"{url}/oauth/2026-03/token", **credentials)
        with pytest.raises(ProviderTokenError) as refused:
            await AuthlibProviderOAuth().refresh(client, refresh_token="never-issued")
        sunset = config(url, token_url=f"{url}/oauth/v1/token", **credentials)
        with pytest.raises(ProviderTokenError) as gone:
            await AuthlibProviderOAuth().refresh(sunset, refresh_token="never-issued")
    assert refused.value.permanent and refused.value.error == "invalid_grant"
    assert "refresh token is invalid, expired or revoked" in refused.value.message
    assert "sunset on 2027-02-16" in gone.value.message


def test_the_oauth_plugin_provides_the_client_through_the_hook() -> None:
    provided = plugin_manager().hook.hubwire_provider_oauth()
    assert isinstance(provided, AuthlibProviderOAuth)

"""A Xero sandbox on loopback (real HTTP) and a Hubwire whose Xero app is the sandbox's."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from connectors.xero.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_WEBHOOK_KEY,
    SandboxConfig,
    create_sandbox,
)
from core.app import create_app
from core.settings import ConnectorClient, Settings
from tests.support.consent import approve
from tests.support.live_server import serve_asgi

BASE = "http://hubwire.test"
REDIRECT = "https://hubwire.test/v1/connections/callback"


async def consent_tokens(url: str) -> dict[str, Any]:
    """Tokens through the sandbox's PKCE consent; a wrong verifier is refused on the way."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode()
    query = {
        "response_type": "code",
        "client_id": DEFAULT_CLIENT_ID,
        "redirect_uri": REDIRECT,
        "scope": "openid offline_access accounting.transactions",
        "state": "s",
        "code_challenge": challenge.rstrip("="),
        "code_challenge_method": "S256",
    }

    async def exchange(code_verifier: str) -> httpx.Response:
        """A fresh consent's code, exchanged with ``code_verifier``."""
        landed = await approve(f"{url}/identity/connect/authorize?{urlencode(query)}")
        data = {
            "grant_type": "authorization_code",
            "code": parse_qs(urlsplit(landed).query)["code"][0],
            "redirect_uri": REDIRECT,
            "code_verifier": code_verifier,
        }
        async with httpx.AsyncClient() as http:
            auth = (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
            return await http.post(f"{url}/connect/token", data=data, auth=auth)

    wrong = await exchange("not-the-verifier")
    assert wrong.status_code == 400 and wrong.json() == {"error": "invalid_grant"}
    # The code was spent by that attempt, as a code is: the good exchange consents again.
    good = await exchange(verifier)
    assert good.status_code == 200, good.text
    return dict(good.json())


class XeroSandbox:
    def __init__(self, url: str) -> None:
        self.url = url

    def state(self) -> dict[str, Any]:
        return dict(httpx.get(f"{self.url}/_sandbox/state", timeout=30).json())

    def expire_tokens(self) -> None:
        assert httpx.post(f"{self.url}/_sandbox/expire").status_code == 204

    def lose(self, resource: str, times: int = 1) -> None:
        """The next ``times`` writes to ``resource`` are made and their answers lost."""
        body = {"resource": resource, "times": times}
        assert httpx.post(f"{self.url}/_sandbox/lose", json=body).status_code == 204

    def webhook(self, events: list[dict[str, Any]], *, bad_key: bool = False) -> dict[str, Any]:
        response = httpx.post(
            f"{self.url}/_sandbox/webhooks", json={"events": events, "badKey": bad_key}
        )
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture
def xero() -> Iterator[XeroSandbox]:
    with serve_asgi(create_sandbox(SandboxConfig())) as url:
        yield XeroSandbox(url)


@pytest.fixture
async def xero_app(settings: Settings, xero: XeroSandbox) -> AsyncIterator[FastAPI]:
    client = ConnectorClient(
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        base_url=xero.url,
        signing_secret=DEFAULT_WEBHOOK_KEY,
    )
    app = create_app(
        settings.model_copy(
            update={
                "connector_clients": {"xero": client},
                "public_base_url": BASE,
                "embedded_worker": False,
            }
        )
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def hubwire(xero_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=xero_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE, timeout=30) as client:
        yield client

"""Fixtures of the OAuth tests: users with a password, registered apps, a PKCE flow."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from core.container import Services
from oauth.deps import SESSION_COOKIE
from oauth.users.service import users
from tests.conftest import Api, Tenant

PASSWORD = "correct horse battery staple"
REDIRECT = "https://app.example/callback"


@dataclass
class Person:
    id: str
    email: str
    password: str
    workspace_id: str


@pytest.fixture
def make_user(services: Services) -> Callable[..., Awaitable[Person]]:
    async def make(tenant: Tenant, role: str = "owner") -> Person:
        email = f"{role}-{secrets.token_hex(4)}@example.com"
        async with services.db.session() as session:
            user = await users.create(
                session, workspace_id=tenant.id, email=email, password=PASSWORD, role=role
            )
        return Person(user.id, email, PASSWORD, tenant.id)

    return make


@pytest.fixture
async def owner(make_user: Callable[..., Awaitable[Person]], tenant: Tenant) -> Person:
    return await make_user(tenant, "owner")


async def register_app(api: Api, **overrides: Any) -> dict[str, Any]:
    body = {
        "name": "Acme CRM <b>",
        "clientType": "confidential",
        "redirectUris": [REDIRECT],
        "scopes": ["leads:read", "leads:write"],
        **overrides,
    }
    response = await api.post("/v1/oauth-apps", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


class Browser:
    """Drives the consent pages like a browser (cookies kept, redirects not followed)."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.cookies = httpx.Cookies()
        self.services: Services = http._transport.app.state.services  # type: ignore[attr-defined]

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        self.http.cookies = self.cookies
        response = await self.http.request(method, url, **kwargs)
        self.cookies.update(response.cookies)
        self.http.cookies = httpx.Cookies()
        return response

    async def login(self, person: Person) -> None:
        # Through the service, not POST /v1/auth/login: every test shares one client IP,
        # and the per-IP login limit (tested on its own) would refuse the eleventh.
        async with self.services.db.session() as session:
            result = await users.login(
                session, limiter=None, email=person.email, password=person.password, ip=None
            )
        self.cookies.set(SESSION_COOKIE, result.session_token)

    async def authorize(self, params: dict[str, str], decision: str = "allow") -> httpx.Response:
        page = await self.request("GET", "/oauth/authorize", params=params)
        assert page.status_code == 200, page.text
        form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
        form = {k: html_unescape(v) for k, v in form.items()}
        form["decision"] = decision
        return await self.request("POST", "/oauth/authorize", data=form)


def html_unescape(value: str) -> str:
    import html

    return html.unescape(value)


def redirect_params(response: httpx.Response) -> dict[str, str]:
    assert response.status_code in (302, 303), response.text
    location = response.headers["location"]
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}

"""Fixtures of the dashboard tests: a browser-like httpx client with a logged-in session.

The dashboard's people are the OAuth server's users: their fixtures (``make_user``, ``owner``)
come from the OAuth tests, imported here so the tests of this folder see them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from core.container import Services
from oauth.deps import SESSION_COOKIE
from oauth.users.service import users
from tests.conftest import Tenant
from tests.oauth.conftest import Person, make_user, owner

__all__ = ["make_user", "owner"]

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Page:
    """Drives the dashboard like a browser without JavaScript: cookies kept, redirects not
    followed, the CSRF token read from the last page's forms."""

    def __init__(self, client: httpx.AsyncClient, services: Services) -> None:
        self.client = client
        self.services = services
        self.csrf = ""

    async def get(self, url: str, **kwargs: object) -> httpx.Response:
        response = await self.client.get(url, **kwargs)  # type: ignore[arg-type]
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    async def post(
        self, url: str, data: dict[str, str | list[str]] | None = None, *, csrf: bool = True
    ) -> httpx.Response:
        form = {**(data or {})}
        if csrf:
            form["csrf_token"] = self.csrf
        return await self.client.post(url, data=form)

    async def login(self, person: Person) -> None:
        """Logs in through the service (every test shares one client IP, and the per-IP
        login limit is tested elsewhere), then opens a page for a CSRF token."""
        async with self.services.db.session() as session:
            result = await users.login(
                session, limiter=None, email=person.email, password=person.password, ip=None
            )
        self.client.cookies.set(SESSION_COOKIE, result.session_token)
        await self.get("/dashboard/login")


@pytest.fixture
async def page(http: httpx.AsyncClient, services: Services) -> AsyncIterator[Page]:
    transport = http._transport
    async with httpx.AsyncClient(transport=transport, base_url="http://hubwire.test") as client:
        yield Page(client, services)


@pytest.fixture
async def member(make_user: Callable[..., Awaitable[Person]], tenant: Tenant) -> Person:
    return await make_user(tenant, "member")

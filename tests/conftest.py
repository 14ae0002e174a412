"""Test fixtures. Every API test runs twice: embedded (SQLite + in-process limiter) and
production-like (PostgreSQL + Redis) when ``HUBWIRE_TEST_POSTGRES_URL`` and
``HUBWIRE_TEST_REDIS_URL`` are set. With ``CI=true`` a missing server fails the run."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from core.api_keys.schemas import ApiKeyCreate
from core.api_keys.service import ApiKeyService
from core.app import create_app
from core.auth.scopes import ALL_SCOPES
from core.container import Services
from core.crypto import new_secret_key
from core.migrations.runner import upgrade_async
from core.settings import Settings
from core.workspaces.service import workspaces
from tests.support import sqlite_writers
from tests.support.servers import postgres_database, redis_url_or_fail

BACKENDS = ["embedded", "postgres"]
TEST_SECRET_KEY = new_secret_key()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests that only make sense on one backend say so with a marker; drop the other variant.
    for item in list(items):
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("backend") if callspec else None
        if backend == "embedded" and item.get_closest_marker("postgres"):
            items.remove(item)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A test that met SQLite's ``database is locked`` reports who held the write lock."""
    outcome = yield
    report = outcome.get_result()
    if (
        report.failed
        and call.excinfo is not None
        and "database is locked" in str(call.excinfo.value)
    ):
        report.sections.append(("SQLite write transactions open", sqlite_writers.report()))


SERVER_VARIABLES = ("HUBWIRE_TEST_POSTGRES_URL", "HUBWIRE_TEST_REDIS_URL", "HUBWIRE_TEST_AMQP_URL")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Says which backends ran: without the servers the PostgreSQL, Redis and RabbitMQ
    variants are skipped, which only the skip count would otherwise tell."""
    missing = [name for name in SERVER_VARIABLES if not os.environ.get(name)]
    if not missing:
        terminalreporter.write_line(
            "backends: embedded (SQLite) and PostgreSQL + Redis + RabbitMQ (all variants ran)"
        )
        return
    terminalreporter.write_line(
        f"backends: embedded (SQLite) only; {', '.join(missing)} not set, so the "
        "PostgreSQL/Redis/RabbitMQ variants were skipped. `make test-all` runs them against "
        "the servers on their default local ports, as CI does."
    )


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
async def settings(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Settings]:
    common: dict[str, Any] = {
        "environment": "test",
        "usage_flush_seconds": 0.2,
        "auth_cache_seconds": 0.0,
        "secret_key": TEST_SECRET_KEY,
        "sweeper_interval_seconds": 0.5,
        # Tests deliver webhooks to receivers on loopback.
        "webhook_allow_private": True,
    }
    if backend == "embedded":
        path: Path = tmp_path_factory.mktemp("db") / "hubwire.db"
        yield Settings(database_url=f"sqlite+aiosqlite:///{path}", redis_url="", **common)
        return
    redis_url = redis_url_or_fail()
    prefix = f"hwtest:{secrets.token_hex(4)}:"
    async with postgres_database() as database_url:
        await upgrade_async(database_url)
        yield Settings(
            database_url=database_url,
            redis_url=redis_url,
            redis_prefix=prefix,
            broker_url=redis_url,
            **common,
        )


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(scope="session")
def services(app: FastAPI) -> Services:
    services: Services = app.state.services
    return services


@pytest.fixture(scope="session")
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://hubwire.test") as client:
        yield client


@dataclass
class Tenant:
    """A workspace with its default client, and a way to mint keys for it."""

    id: str
    slug: str
    client_id: str
    services: Services

    async def key(
        self,
        scopes: list[str] | None = None,
        *,
        tier: str = "enterprise",
        rate_limit_override: int | None = 100_000,
        **extra: Any,
    ) -> str:
        async with self.services.db.session() as session:
            issued = await ApiKeyService().create(
                session,
                workspace_id=self.id,
                data=ApiKeyCreate(
                    client_id=self.client_id,
                    name="test key",
                    scopes=sorted(ALL_SCOPES) if scopes is None else scopes,
                    tier=tier,  # type: ignore[arg-type]
                    rate_limit_override=rate_limit_override,
                    **extra,
                ),
                grantor_scopes=None,
            )
        return issued.plaintext


@pytest.fixture
def make_tenant(services: Services) -> Callable[[], Awaitable[Tenant]]:
    async def make() -> Tenant:
        slug = f"t-{secrets.token_hex(5)}"
        async with services.db.session() as session:
            workspace = await workspaces.create(session, slug=slug, contact_email="ops@example.com")
            client = await workspaces.default_client(session, workspace.id)
            return Tenant(workspace.id, slug, client.id, services)

    return make


@pytest.fixture
async def tenant(make_tenant: Callable[[], Awaitable[Tenant]]) -> Tenant:
    return await make_tenant()


class Api:
    """An httpx client bound to one API key."""

    def __init__(self, http: httpx.AsyncClient, key: str) -> None:
        self.http = http
        self.key = key

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}", **(extra or {})}

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = self.headers(kwargs.pop("headers", None))
        return await self.http.request(method, url, headers=headers, **kwargs)

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", url, **kwargs)

    async def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("PATCH", url, **kwargs)

    async def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("DELETE", url, **kwargs)


@pytest.fixture
async def api(http: httpx.AsyncClient, tenant: Tenant) -> Api:
    """A client with every scope on a fresh workspace."""
    return Api(http, await tenant.key())

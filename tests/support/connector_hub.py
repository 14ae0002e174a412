"""Hubwire in this process, driven as a worker would drive it, against a connector's sandbox
on loopback: connect through the sandbox's OAuth consent, make leads, run the pushes and
pulls a worker would (no worker of its own), and put the database back as a worker killed
mid-push leaves it. The connector end-to-end tests share it (tests/connectors/*)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, func, select, update

from core.app import create_app
from core.connections.models import ExternalRecord, SyncItem
from core.container import Services
from core.settings import ConnectorClient, Settings
from sync.engine import PullStats, PushStats, pull_connection, push_connection
from sync.engine.common import SyncDeps
from sync.pipeline.fanout import fan_out_pending
from sync.runtime import build_sync_deps
from tests.conftest import Api
from tests.support.consent import approve
from tests.support.sync_runs import when_free
from tests.support.tasks import Sent

BASE = "http://hubwire.test"


@asynccontextmanager
async def hubwire_app(
    settings: Settings, connector: str, client: ConnectorClient
) -> AsyncIterator[FastAPI]:
    """Hubwire with its app at ``connector`` pointed at the sandbox (``client.base_url``);
    no worker of its own: the tests run the pushes and pulls a worker would."""
    app = create_app(
        settings.model_copy(
            update={
                "connector_clients": {connector: client},
                "public_base_url": BASE,
                "embedded_worker": False,
            }
        )
    )
    async with app.router.lifespan_context(app):
        yield app


@asynccontextmanager
async def api_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE, timeout=30) as client:
        yield client


class Hubwire:
    """The public API (with a workspace's key) and the sync steps of a worker."""

    def __init__(
        self, http: httpx.AsyncClient, key: str, app: FastAPI, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        self.http, self.key, self.app = http, key, app
        services: Services = app.state.services
        self.services = services
        # Tasks are collected, not sent: the tests run what a worker would.
        monkeypatch.setitem(services.db.session_info, "task_queue", Sent())

    @property
    def deps(self) -> SyncDeps:
        s = self.services
        return build_sync_deps(s.db, s.settings, s.secrets, s.locks, s.redis)

    async def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return await Api(self.http, self.key).request(method, path, **kwargs)

    async def get(self, path: str, **params: Any) -> Any:
        response = await self.api("GET", path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    async def connect(self, connector: str, authorize_prefix: str) -> dict[str, Any]:
        """A connection made through the sandbox's consent page (Approve pressed)."""
        created = await self.api("POST", "/v1/connections", json={"connector": connector})
        assert created.status_code == 201, created.text
        authorize = created.json()["authorizeUrl"]
        assert authorize.startswith(authorize_prefix), authorize
        callback = urlsplit(await approve(authorize))
        landed = await self.http.get(f"{callback.path}?{callback.query}")
        assert landed.status_code < 400, landed.text
        connection: dict[str, Any] = await self.get(f"/v1/connections/{created.json()['id']}")
        assert connection["status"] == "active", connection
        return connection

    async def lead(self, **body: Any) -> dict[str, Any]:
        made = await self.api("POST", "/v1/leads", json=body)
        assert made.status_code == 201, made.text
        lead: dict[str, Any] = made.json()
        return lead

    async def pull(self, connection_id: str) -> PullStats:
        return await when_free(lambda: pull_connection(self.deps, connection_id))

    async def push(self, connection_id: str) -> PushStats:
        await fan_out_pending(self.services.db)
        return await when_free(lambda: push_connection(self.deps, connection_id))

    async def push_all(self, connection_id: str, hubwire_ids: list[str]) -> None:
        """Pushes until the items of these records are done (another worker may take some
        of them: it finds them in the database too)."""
        for _ in range(300):
            await self.push(connection_id)
            async with self.services.db.session() as session:
                pending = await session.scalar(
                    select(func.count())
                    .select_from(SyncItem)
                    .where(SyncItem.hubwire_id.in_(hubwire_ids), SyncItem.done_at.is_(None))
                )
            if not pending:
                return
            await asyncio.sleep(0.1)
        pytest.fail("push items stayed pending")

    async def die_before_commit(self, hubwire_ids: list[str]) -> None:
        """The database as a worker killed after the provider accepted its writes and
        before its commit leaves it: no id map for these records, their items pending."""
        async with self.services.db.session() as session:
            await session.execute(
                delete(ExternalRecord).where(ExternalRecord.hubwire_id.in_(hubwire_ids))
            )
            await session.execute(
                update(SyncItem)
                .where(SyncItem.hubwire_id.in_(hubwire_ids))
                .values(state="pending", done_at=None)
            )

    async def mapped(self, hubwire_ids: list[str]) -> list[str]:
        """The provider ids the id map holds for these records."""
        async with self.services.db.session() as session:
            rows = await session.scalars(
                select(ExternalRecord.external_id).where(ExternalRecord.hubwire_id.in_(hubwire_ids))
            )
            return sorted(rows.all())

    async def events(self, resource_id: str) -> list[str]:
        page = await self.get("/v1/events", sort="timestamp", limit=100)
        return [e["type"] for e in page["data"] if e["data"].get("id") == resource_id]

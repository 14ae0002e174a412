"""What the sync engine tests share: a small CRM (connector + sandbox served over loopback)
that records what it is asked, and a sync environment on a fresh database.

The CRM copies ``tests/connectors/example.py``'s ExampleCrm and adds what the engine's
behaviour shows through: updates and a modification time per contact (last write wins), a
change feed with a sequence cursor, calls and deals with their related contact, edits "by a
user" that are not API calls, request counters, an enforced rate limit with real 429s, a
forced 429, per-record rejections, and a pull that can be made to crash."""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from connectors.kit import (
    ApiKeyAuth,
    AuthFailed,
    CheckResult,
    ConnectionContext,
    Connector,
    ConnectorError,
    Cursor,
    Direction,
    Manifest,
    ObjectSpec,
    ProviderRateLimited,
    PullPage,
    PushOutcome,
    PushResult,
    RateLimit,
    Record,
)
from core.connections.credentials import seal_credentials
from core.connections.models import Connection, ExternalRecord, SyncItem, SyncLog
from core.crypto import SecretBox, build_secret_box, new_secret_key
from core.database import Database, utcnow
from core.leads.models import Lead
from core.leads.schemas import LeadCreate, LeadUpdate
from core.leads.service import leads
from core.locks import build_locks
from core.migrations.runner import upgrade_async
from core.plugins.hookspecs import hookimpl
from core.plugins.manager import plugin_manager
from core.settings import Settings
from core.workspaces.service import workspaces
from sync.engine import SyncDeps
from sync.pipeline.fanout import fan_out_pending
from sync.runtime import build_sync_deps
from tests.support.servers import postgres_database, redis_url_or_fail

C = TypeVar("C", bound=Connector)

API_KEY = "crm-key"
PAGE_SIZE = 2
BATCH = 3
SLUG = "sync_crm"
KINDS = {"contact": "contacts", "call": "calls", "deal": "deals"}


# -- the provider ---------------------------------------------------------------------------


@dataclass
class CrmState:
    """The fake provider's account, inspected and steered by the tests."""

    objects: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {kind: {} for kind in KINDS.values()}
    )
    seq: int = 0
    stats: Counter[str] = field(default_factory=Counter)
    # An enforced limit (requests per window seconds, like the real provider's), or None.
    limit: tuple[int, float] | None = None
    hits: deque[float] = field(default_factory=deque)
    force_429: int = 0  # the next N write calls answer 429 (Retry-After: retry_after)
    retry_after: float = 1.0
    reject_emails: set[str] = field(default_factory=set)
    write_delay: float = 0.0
    inflight: int = 0
    max_inflight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def contacts(self) -> list[dict[str, Any]]:
        return list(self.objects["contacts"].values())

    def by_email(self, email: str) -> dict[str, Any]:
        (found,) = [c for c in self.contacts() if c["fields"].get("email") == email]
        return found

    def _touch(self, obj: dict[str, Any]) -> None:
        self.seq += 1
        obj["seq"] = self.seq
        obj["updated_at"] = time.time()

    def user_edit(self, object_id: str, **fields: Any) -> None:
        """A change made in the provider's own UI: not an API call."""
        with self.lock:
            contact = self.objects["contacts"][object_id]
            contact["fields"].update(fields)
            self._touch(contact)

    def user_create(self, **fields: Any) -> str:
        with self.lock:
            object_id = f"c{len(self.objects['contacts']) + 1}"
            contact = {"id": object_id, "fields": dict(fields), "related": {}}
            self.objects["contacts"][object_id] = contact
            self._touch(contact)
            return object_id

    def _rate_limited(self) -> float | None:
        """Seconds to wait when the call does not fit the limit (then it is not counted)."""
        if self.limit is None:
            return None
        requests, window = self.limit
        now = time.monotonic()
        while self.hits and self.hits[0] <= now - window:
            self.hits.popleft()
        if len(self.hits) >= requests:
            return self.hits[0] + window - now
        self.hits.append(now)
        return None

    def write(self, kind: str, inputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        results = []
        with self.lock:
            store = self.objects[kind]
            for item in inputs:
                fields = dict(item.get("fields") or {})
                if fields.get("email") in self.reject_emails:
                    results.append({"error": f"{fields['email']} is refused"})
                    continue
                object_id = item.get("id")
                if not object_id and kind == "contacts" and fields.get("email"):
                    # Email is unique, like HubSpot: a create of a known email updates it.
                    twin = [
                        c for c in store.values() if c["fields"].get("email") == fields["email"]
                    ]
                    object_id = twin[0]["id"] if twin else None
                if object_id and object_id in store:
                    obj = store[object_id]
                    obj["fields"].update(fields)
                    obj["related"] = dict(item.get("related") or obj["related"])
                else:
                    object_id = f"{kind[0]}{len(store) + 1}"
                    obj = {"id": object_id, "fields": fields, "related": item.get("related") or {}}
                    store[object_id] = obj
                self._touch(obj)
                results.append({"id": object_id})
            self.stats["batch_writes"] += 1
            self.stats["records_written"] += len(inputs)
        return results


def crm_app(state: CrmState) -> FastAPI:
    app = FastAPI()

    @app.middleware("http")
    async def gate(request: Request, call_next: Any) -> Any:
        if request.url.path.startswith("/_sandbox"):
            return await call_next(request)
        if request.headers.get("x-api-key") != API_KEY:
            return JSONResponse({"error": "bad key"}, status_code=401)
        with state.lock:
            state.stats["requests"] += 1
            wait = state._rate_limited()
            if wait is None and state.force_429 and request.method == "POST":
                state.force_429 -= 1
                wait = state.retry_after
            if wait is not None:
                state.stats["rate_limited"] += 1
                return JSONResponse(
                    {"error": "rate limited"},
                    status_code=429,
                    headers={"Retry-After": f"{max(wait, 0.01):.3f}"},
                )
        return await call_next(request)

    @app.post("/{kind}/batch")
    async def batch(kind: str, request: Request) -> dict[str, Any]:
        body = await request.json()
        with state.lock:
            state.inflight += 1
            state.max_inflight = max(state.max_inflight, state.inflight)
        try:
            if state.write_delay:
                await asyncio.sleep(state.write_delay)
            return {"results": state.write(kind, body["records"])}
        finally:
            with state.lock:
                state.inflight -= 1

    @app.get("/contacts")
    def changes(after: int = 0) -> dict[str, Any]:
        with state.lock:
            state.stats["pulls"] += 1
            changed = sorted(
                (c for c in state.contacts() if c["seq"] > after), key=lambda c: c["seq"]
            )
        page = changed[:PAGE_SIZE]
        return {
            "contacts": [
                {"id": c["id"], "fields": c["fields"], "updated_at": c["updated_at"]} for c in page
            ],
            "next": page[-1]["seq"] if page else after,
            "more": len(changed) > PAGE_SIZE,
        }

    @app.get("/_sandbox/stats")
    def stats() -> dict[str, int]:
        return dict(state.stats)

    return app


class SyncCrm(Connector):
    """Contacts both ways, deals and calls pushed, batches of ``BATCH``."""

    manifest = Manifest(
        slug=SLUG,
        title="Sync CRM",
        description="The sync engine tests' CRM.",
        auth=ApiKeyAuth(header="X-Api-Key"),
        events=("lead.created", "lead.updated", "lead.converted", "call.ended"),
        objects=(
            ObjectSpec(
                "contact",
                Direction.BOTH,
                hub_object="lead",
                events=("lead.created", "lead.updated", "lead.converted"),
                batch_size=BATCH,
            ),
            ObjectSpec(
                "deal",
                Direction.PUSH,
                hub_object="lead",
                events=("lead.converted",),
                batch_size=BATCH,
            ),
            ObjectSpec(
                "call", Direction.PUSH, hub_object="call", events=("call.ended",), batch_size=BATCH
            ),
        ),
        rate_limits=(RateLimit(requests=1000, window_seconds=1),),
    )

    def __init__(self) -> None:
        self.pull_calls = 0
        self.crash_on_pull: int | None = None  # the Nth pull call raises (a dying worker)

    def _client(self, connection: ConnectionContext) -> httpx.AsyncClient:
        return connection.http(
            "https://crm.invalid", headers={"X-Api-Key": connection.credential("api_key")}
        )

    @staticmethod
    def _check(response: httpx.Response) -> None:
        if response.status_code == 401:
            raise AuthFailed("the API key was refused")
        if response.status_code == 429:
            raise ProviderRateLimited(retry_after=float(response.headers["Retry-After"]))
        if response.status_code >= 400:
            raise ConnectorError(f"HTTP {response.status_code}")

    async def check(self, connection: ConnectionContext) -> CheckResult:
        return CheckResult(ok=True)

    async def push(
        self, connection: ConnectionContext, object_type: str, records: Sequence[Record]
    ) -> PushResult:
        await connection.before_call()
        async with self._client(connection) as http:
            response = await http.post(
                f"/{KINDS[object_type]}/batch",
                json={
                    "records": [
                        {"id": r.external_id, "fields": dict(r.fields), "related": dict(r.related)}
                        for r in records
                    ]
                },
            )
        self._check(response)
        return PushResult(
            tuple(
                PushOutcome(r.hubwire_id, res.get("id"), res.get("error"))
                for r, res in zip(records, response.json()["results"], strict=True)
            )
        )

    async def pull(
        self, connection: ConnectionContext, object_type: str, cursor: Cursor | None
    ) -> PullPage:
        self.pull_calls += 1
        if self.crash_on_pull is not None and self.pull_calls == self.crash_on_pull:
            raise RuntimeError("the worker died here")
        await connection.before_call()
        async with self._client(connection) as http:
            response = await http.get("/contacts", params={"after": cursor or "0"})
        self._check(response)
        body = response.json()
        return PullPage(
            tuple(
                Record(
                    "contact",
                    c["fields"],
                    external_id=c["id"],
                    updated_at=datetime.fromtimestamp(c["updated_at"], UTC),
                )
                for c in body["contacts"]
            ),
            next_cursor=str(body["next"]),
            has_more=body["more"],
        )


class CrmPlugin:
    def __init__(self, connector: Connector) -> None:
        self.connector = connector

    @hookimpl
    def hubwire_connectors(self) -> list[Connector]:
        return [self.connector]


def registered(connector: C) -> Iterator[C]:
    """``connector`` registered as a plugin while the generator runs (a fixture's body)."""
    plugin = CrmPlugin(connector)
    plugin_manager().register(plugin)
    yield connector
    plugin_manager().unregister(plugin)


def push_routes(manifest: Manifest) -> dict[str, list[str]]:
    routes: dict[str, list[str]] = {}
    for obj in manifest.objects:
        if obj.direction.pushes:
            for event in obj.events:
                routes.setdefault(event, []).append(obj.name)
    return routes


# -- the environment ------------------------------------------------------------------------


@dataclass
class Env:
    """A sync engine on its own database (no worker runs: the tests drive every step)."""

    backend: str
    settings: Settings
    db: Database
    deps: SyncDeps
    redis: Any | None
    secrets: SecretBox

    async def workspace(self) -> str:
        async with self.db.session() as session:
            made = await workspaces.create(
                session, slug=f"s-{secrets.token_hex(5)}", contact_email="ops@example.com"
            )
            return made.id

    async def connect(
        self,
        workspace_id: str,
        base_url: str,
        *,
        connector: Connector,
        status: str = "active",
        concurrency: int = 2,
        api_key: str = API_KEY,
        access_token: str | None = None,
    ) -> str:
        """An active connection to ``base_url``: by API key, or by OAuth (``access_token``)."""
        oauth = access_token is not None
        credentials = {"access_token": access_token} if oauth else {"api_key": api_key}
        async with self.db.session() as session:
            connection = Connection(
                workspace_id=workspace_id,
                connector=connector.slug,
                status=status,
                auth_type="oauth2" if oauth else "api_key",
                base_url=base_url,
                credentials_sealed=seal_credentials(self.secrets, credentials),
                push_routes=push_routes(connector.manifest),
                concurrency_limit=concurrency,
                activated_at=utcnow(),
            )
            session.add(connection)
            await session.flush()
            return connection.id

    async def create_leads(self, workspace_id: str, *payloads: Mapping[str, Any]) -> list[str]:
        async with self.db.session() as session:
            made = [
                await leads.create(session, workspace_id=workspace_id, data=LeadCreate(**p))
                for p in payloads
            ]
            return [lead.id for lead in made]

    async def update_lead(self, workspace_id: str, lead_id: str, **fields: Any) -> None:
        async with self.db.session() as session:
            await leads.update(
                session, workspace_id=workspace_id, lead_id=lead_id, data=LeadUpdate(**fields)
            )

    async def lead(self, lead_id: str) -> Lead | None:
        async with self.db.session() as session:
            return await session.get(Lead, lead_id)

    async def workspace_leads(self, workspace_id: str) -> list[Lead]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(Lead).where(Lead.workspace_id == workspace_id).order_by(Lead.created_at)
            )
            return list(rows)

    async def fan_out(self) -> None:
        """The event dispatcher's run: lead/call events become push items."""
        await fan_out_pending(self.db)

    async def items(self, connection_id: str) -> list[SyncItem]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(SyncItem)
                .where(SyncItem.connection_id == connection_id)
                .order_by(SyncItem.id)
            )
            return list(rows)

    async def id_map(self, connection_id: str, object_type: str = "contact") -> dict[str, str]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(ExternalRecord).where(
                    ExternalRecord.connection_id == connection_id,
                    ExternalRecord.object_type == object_type,
                )
            )
            return {r.hubwire_id: r.external_id for r in rows}

    async def logs(self, connection_id: str, kind: str | None = None) -> list[SyncLog]:
        async with self.db.session() as session:
            stmt = select(SyncLog).where(SyncLog.connection_id == connection_id)
            if kind is not None:
                stmt = stmt.where(SyncLog.kind == kind)
            return list(await session.scalars(stmt.order_by(SyncLog.created_at)))

    async def set_status(self, connection_id: str, status: str) -> None:
        async with self.db.session() as session:
            connection = await session.get(Connection, connection_id)
            assert connection is not None
            connection.status = status


@asynccontextmanager
async def sync_env(backend: str, tmp: Path, **overrides: Any) -> AsyncIterator[Env]:
    """A migrated database (SQLite file, or a fresh PostgreSQL database with Redis) and the
    engine's dependencies built the way a worker builds them."""
    common: dict[str, Any] = {
        "environment": "test",
        "secret_key": new_secret_key(),
        "sync_max_attempts": 3,
        # Retried at once by the next push; the backoff has its own test.
        "sync_retry_base_seconds": 0,
        **overrides,
    }
    if backend == "embedded":
        settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp / 'sync.db'}", **common)
        await upgrade_async(settings.database_url)
        async with _env(backend, settings) as env:
            yield env
        return
    redis_url = redis_url_or_fail()
    async with postgres_database() as database_url:
        await upgrade_async(database_url)
        settings = Settings(
            database_url=database_url,
            redis_url=redis_url,
            redis_prefix=f"hwtest:{secrets.token_hex(4)}:",
            **common,
        )
        async with _env(backend, settings) as env:
            yield env


@asynccontextmanager
async def _env(backend: str, settings: Settings) -> AsyncIterator[Env]:
    import redis.asyncio as aioredis

    db = Database(settings.database_url)
    redis = aioredis.from_url(settings.redis_url) if settings.redis_url else None
    box = build_secret_box(settings)
    deps = build_sync_deps(db, settings, box, build_locks(settings, redis), redis)
    try:
        yield Env(backend, settings, db, deps, redis, box)
    finally:
        if redis is not None:
            await redis.aclose()
        await db.dispose()

"""A small connector used only by the tests (Hubwire ships no fake connectors): an API-key
CRM with contacts that sync both ways, signed webhooks, and a sandbox served over loopback.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Header, HTTPException, Request

from connectors.kit import (
    ApiKeyAuth,
    AuthFailed,
    CheckResult,
    ConnectionContext,
    Connector,
    Cursor,
    Direction,
    InboundChange,
    Manifest,
    ObjectSpec,
    PullPage,
    PushOutcome,
    PushResult,
    RateLimit,
    Record,
)
from core.plugins.hookspecs import hookimpl

API_KEY = "sandbox-key"
PAGE_SIZE = 2


def sandbox_app() -> FastAPI:
    """The provider's API, as much of it as the connector uses."""
    app = FastAPI()
    contacts: list[dict[str, Any]] = []

    def authorize(key: str | None) -> None:
        if key != API_KEY:
            raise HTTPException(401, "bad key")

    @app.get("/me")
    def me(x_api_key: str | None = Header(None)) -> dict[str, str]:
        authorize(x_api_key)
        return {"account": "Sandbox Ltd"}

    @app.post("/contacts/batch")
    async def upsert(request: Request, x_api_key: str | None = Header(None)) -> dict[str, Any]:
        authorize(x_api_key)
        results = []
        for item in (await request.json())["contacts"]:
            contact = {"id": f"c{len(contacts) + 1}", **item}
            contacts.append(contact)
            results.append({"id": contact["id"]})
        return {"results": results}

    @app.get("/contacts")
    def changes(after: int = 0, x_api_key: str | None = Header(None)) -> dict[str, Any]:
        authorize(x_api_key)
        page = contacts[after : after + PAGE_SIZE]
        return {
            "contacts": page,
            "next": after + len(page),
            "more": after + PAGE_SIZE < len(contacts),
        }

    return app


def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class ExampleCrm(Connector):
    manifest = Manifest(
        slug="example_crm",
        title="Example CRM",
        description="A test connector.",
        auth=ApiKeyAuth(header="X-Api-Key"),
        events=("lead.created", "lead.*"),
        objects=(ObjectSpec("contact", Direction.BOTH, "Leads as contacts."),),
        rate_limits=(RateLimit(requests=10, window_seconds=1),),
        webhooks=True,
    )

    def _client(self, connection: ConnectionContext) -> Any:
        return connection.http(
            "https://api.example-crm.invalid",
            headers={"X-Api-Key": connection.credential("api_key")},
        )

    async def check(self, connection: ConnectionContext) -> CheckResult:
        async with self._client(connection) as http:
            response = await http.get("/me")
        if response.status_code == 401:
            return CheckResult(ok=False, detail="the API key was refused")
        response.raise_for_status()
        return CheckResult(ok=True, account=response.json()["account"])

    async def push(
        self, connection: ConnectionContext, object_type: str, records: Sequence[Record]
    ) -> PushResult:
        async with self._client(connection) as http:
            response = await http.post(
                "/contacts/batch", json={"contacts": [dict(r.fields) for r in records]}
            )
        if response.status_code == 401:
            raise AuthFailed("the API key was refused")
        results = response.json()["results"]
        return PushResult(
            tuple(
                PushOutcome(hubwire_id=r.hubwire_id, external_id=res["id"])
                for r, res in zip(records, results, strict=True)
            )
        )

    async def pull(
        self, connection: ConnectionContext, object_type: str, cursor: Cursor | None
    ) -> PullPage:
        async with self._client(connection) as http:
            response = await http.get("/contacts", params={"after": cursor or "0"})
        body = response.json()
        records = tuple(
            Record(
                "contact",
                {k: v for k, v in c.items() if k != "id"},
                external_id=c["id"],
            )
            for c in body["contacts"]
        )
        return PullPage(records, next_cursor=str(body["next"]), has_more=body["more"])

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        return hmac.compare_digest(headers.get("x-signature", ""), sign(body, secret))

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[InboundChange]:
        return [
            InboundChange("contact", e["id"], "upsert", e.get("fields", {}))
            for e in json.loads(body)["events"]
        ]


class ExamplePlugin:
    """What a connector package's plugin module provides, as an object for the tests."""

    def __init__(self, *connectors: Connector) -> None:
        self.connectors = list(connectors) or [ExampleCrm()]

    @hookimpl
    def hubwire_connectors(self) -> list[Connector]:
        return self.connectors

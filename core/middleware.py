"""The request pipeline around every route, as one pure ASGI middleware.

It assigns the request id, enforces the body size limit, adds rate-limit headers decided
by the route's access check, stores idempotent responses before they are sent, records
usage, and turns any unhandled exception into the error envelope.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import orjson
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.container import Services
from core.database import utcnow
from core.errors import HubwireError, PayloadTooLarge, error_body
from core.ids import new_id
from core.metrics.instruments import observe_request, route_label
from core.usage.recorder import UsageEntry

logger = logging.getLogger("hubwire.requests")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# Documentation and liveness probes are not API usage (a load balancer probes every few s).
_UNTRACKED_PREFIXES = ("/docs", "/redoc", "/openapi.json", "/favicon.ico", "/healthz")


class RequestPipeline:
    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services
        self.metrics = services.settings.metrics_enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state: dict[str, Any] = scope.setdefault("state", {})
        headers = _header_map(scope)
        incoming_id = headers.get("x-request-id", "")
        request_id = incoming_id if _REQUEST_ID.match(incoming_id) else new_id("req")
        state["request_id"] = request_id
        settings = self.services.settings
        sizes = {"request": 0, "response": 0, "status": 500}

        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > settings.max_body_bytes:
            await self._send_error(
                send, PayloadTooLarge(details=_size_details(settings.max_body_bytes)), request_id
            )
            sizes["status"] = 413
            self._record(scope, started, sizes, headers)
            return
        if declared is None and scope["method"] in ("POST", "PUT", "PATCH"):
            body = await read_body(receive, settings.max_body_bytes)
            if body is None:
                await self._send_error(
                    send,
                    PayloadTooLarge(details=_size_details(settings.max_body_bytes)),
                    request_id,
                )
                sizes["status"] = 413
                self._record(scope, started, sizes, headers)
                return
            receive = replay_body(body, receive)

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                sizes["request"] += len(message.get("body", b""))
            return message

        held: list[Message] = []
        response_started = False

        async def pipeline_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                sizes["status"] = message["status"]
                out = MutableHeaders(scope=message)
                out["X-Request-Id"] = request_id
                decision = state.get("rate_limit")
                if decision is not None:
                    for name, value in decision.headers().items():
                        out[name] = value
                if state.get("idempotency") is not None:
                    held.append(message)
                    return
            elif message["type"] == "http.response.body":
                sizes["response"] += len(message.get("body", b""))
                if held:
                    held.append(message)
                    if not message.get("more_body", False):
                        await self._complete_idempotent(state, held)
                        for pending in held:
                            await send(pending)
                        held.clear()
                    return
            await send(message)

        try:
            await self.app(scope, counting_receive, pipeline_send)
        except Exception:
            logger.exception(
                "unhandled error in %s %s (%s)", scope["method"], scope["path"], request_id
            )
            if not response_started:
                sizes["status"] = 500
                await self._send_error(send, HubwireError(), request_id)
            elif held:
                state.pop("idempotency", None)
        finally:
            self._record(scope, started, sizes, headers)

    async def _complete_idempotent(self, state: dict[str, Any], held: list[Message]) -> None:
        start = held[0]
        body = b"".join(m.get("body", b"") for m in held[1:])
        content_type = "application/json"
        for name, value in start.get("headers", []):
            if name.lower() == b"content-type":
                content_type = value.decode("latin-1")
        try:
            await self.services.idempotency.complete(
                state["idempotency"], start["status"], body, content_type
            )
        except Exception:
            # The response is still correct; only its replay is lost, so the client may retry.
            logger.exception("could not store the idempotent response")

    async def _send_error(self, send: Send, error: HubwireError, request_id: str) -> None:
        body = orjson.dumps(error_body(error.code, error.message, error.details, request_id))
        await send(
            {
                "type": "http.response.start",
                "status": error.status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"x-request-id", request_id.encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _record(
        self, scope: Scope, started: float, sizes: dict[str, int], headers: dict[str, str]
    ) -> None:
        if self.metrics:
            elapsed = time.perf_counter() - started
            observe_request(scope["method"], route_label(scope), sizes["status"], elapsed)
        if not self.services.settings.usage_tracking_enabled:
            return
        path: str = scope["path"]
        if path.startswith(_UNTRACKED_PREFIXES):
            return
        route = scope.get("route")
        if route is not None and not getattr(route, "include_in_schema", True):
            # Usage is API traffic: pages left out of the OpenAPI spec (the dashboard, the
            # OAuth protocol endpoints) would crowd a workspace's figures with its own
            # browsing.
            return
        state = scope.get("state", {})
        principal = state.get("principal")
        endpoint = getattr(route, "path", None) or "(unmatched)"
        client = scope.get("client")
        self.services.usage.record(
            UsageEntry(
                timestamp=utcnow(),
                workspace_id=(principal.workspace_id or None) if principal else None,
                client_id=principal.client_id if principal else None,
                key_id=(
                    principal.id if principal and principal.kind in ("api_key", "partner") else None
                ),
                request_id=state.get("request_id", ""),
                method=scope["method"],
                endpoint=endpoint[:255],
                status_code=sizes["status"],
                response_time_ms=round((time.perf_counter() - started) * 1000, 3),
                ip=client[0] if client else None,
                user_agent=(headers.get("user-agent") or None) and headers["user-agent"][:512],
                request_bytes=sizes["request"],
                response_bytes=sizes["response"],
            )
        )


def _header_map(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _size_details(limit: int) -> dict[str, Any]:
    return {"maxBytes": limit}


async def read_body(receive: Receive, limit: int | None = None) -> bytes | None:
    """The whole request body, or ``None`` once it grows past ``limit`` bytes."""
    chunks: list[bytes] = []
    total = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        total += len(chunk)
        if limit is not None and total > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay_body(body: bytes, downstream: Receive) -> Receive:
    """Hands the already-read body to the app, then waits on the real channel (disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await downstream()

    return receive

"""The Calendly sandbox's HTTP API: OAuth (auth.calendly.com's paths), the API v2 calls
Hubwire makes, Calendly's errors and rate limit, signed webhooks, and an admin surface
(``/_sandbox``) acting as invitees who book, reschedule and cancel."""

from __future__ import annotations

import base64
import json
import math
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from connectors.calendly.sandbox.config import DEFAULT_SIGNING_KEY, SandboxConfig
from connectors.calendly.sandbox.store import (
    NOT_FOUND,
    Outgoing,
    Store,
    StoreError,
    iso,
    parse_time,
    uuid_of,
)
from connectors.calendly.signature import sign
from connectors.kit.sandboxes import SlidingWindowLimiter, consent_page


class Sandbox:
    """One sandbox instance: its config, account, limiter and webhook sender."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = Store(config, config.clock)
        self.limiter = SlidingWindowLimiter(config.rate_limit, config.rate_window, config.clock)
        self.requests = 0
        self.rate_limited = 0

    async def notify(self, event_name: str, invitee_uuid: str) -> None:
        """Sends ``event_name`` about the invitee to every subscription that wants it,
        signed with that subscription's key (kept in the outbox either way)."""
        store = self.store
        invitee = store.invitee(invitee_uuid)
        event = store.events[uuid_of(invitee["event"])]
        for sub_uuid, subscription in list(store.subscriptions.items()):
            if event_name not in subscription["events"] or subscription["state"] != "active":
                continue
            body = json.dumps(
                {
                    "created_at": iso(store.clock()),
                    "created_by": subscription["creator"],
                    "event": event_name,
                    "payload": {**invitee, "scheduled_event": event},
                },
                separators=(",", ":"),
            )
            signature = sign(body.encode(), store.signing_keys[sub_uuid], int(store.clock()))
            headers = {"content-type": "application/json", "calendly-webhook-signature": signature}
            sent = Outgoing(
                len(store.outbox) + 1, subscription["callback_url"], event_name, headers, body
            )
            store.outbox.append(sent)
            if not self.config.deliver_webhooks:
                continue
            try:
                async with httpx.AsyncClient(timeout=self.config.webhook_timeout) as client:
                    answer = await client.post(sent.url, content=body, headers=headers)
                sent.status = answer.status_code
                if answer.status_code == 410:  # Calendly deletes the subscription at once
                    store.subscriptions.pop(sub_uuid, None)
            except httpx.HTTPError as exc:
                sent.error = f"{type(exc).__name__}: {exc}"


def _error(exc: StoreError, headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"title": exc.title, "message": exc.message}
    if exc.details:
        body["details"] = exc.details
    return JSONResponse(body, status_code=exc.status, headers=headers)


def _invalid(parameter: str, message: str) -> StoreError:
    return StoreError(
        400,
        "Invalid Argument",
        "The supplied parameters are invalid.",
        [{"parameter": parameter, "message": message}],
    )


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _count(request: Request, maximum: int) -> int:
    raw = request.query_params.get("count", "20")
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise _invalid("count", f"must be an integer between 1 and {maximum}")
    return int(raw)


def _paginate(request: Request, rows: list[dict[str, Any]], maximum: int) -> dict[str, Any]:
    """Calendly's collection envelope; ``page_token`` is opaque (here an encoded offset)."""
    count = _count(request, maximum)
    token = request.query_params.get("page_token")
    offset = 0
    if token:
        try:
            offset = int(base64.urlsafe_b64decode(token.encode()).decode())
        except ValueError:
            raise _invalid("page_token", "is invalid") from None
    page = rows[offset : offset + count]

    def link(at: int) -> tuple[str, str]:
        encoded = base64.urlsafe_b64encode(str(at).encode()).decode()
        query = {**request.query_params, "page_token": encoded}
        return str(request.url.replace(query=urlencode(query))), encoded

    next_page = next_token = prev_page = prev_token = None
    if offset + count < len(rows):
        next_page, next_token = link(offset + count)
    if offset > 0:
        prev_page, prev_token = link(max(0, offset - count))
    return {
        "collection": [_public(row) for row in page],
        "pagination": {
            "count": len(page),
            "next_page": next_page,
            "previous_page": prev_page,
            "next_page_token": next_token,
            "previous_page_token": prev_token,
        },
    }


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _time_param(request: Request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        return parse_time(raw)
    except ValueError:
        raise _invalid(name, "must be an ISO 8601 date-time") from None


def create_sandbox(config: SandboxConfig | None = None) -> FastAPI:
    cfg = config or SandboxConfig()
    sandbox = Sandbox(cfg)
    store = sandbox.store
    app = FastAPI(title="Calendly sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sandbox = sandbox

    @app.exception_handler(StoreError)
    async def _store_error(_: Request, exc: StoreError) -> JSONResponse:
        return _error(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # An unsupported call answers as Calendly does, not with a framework body.
        if exc.status_code == 405:
            return _error(StoreError(405, "Method Not Allowed", "The method is not allowed."))
        return _error(StoreError(404, *NOT_FOUND))

    @app.middleware("http")
    async def gate(request: Request, call_next: Any) -> Any:
        path = request.url.path.removeprefix(request.scope.get("root_path", ""))
        if path.startswith(("/oauth/", "/_sandbox")):
            return await call_next(request)
        sandbox.requests += 1
        header = request.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else ""
        state = store.token_state(token)
        if state != "valid":
            message = (
                "The access token expired"
                if state == "expired"
                else ("The access token is invalid")
            )
            return _error(StoreError(401, "Unauthenticated", message))
        decision = sandbox.limiter.hit(store.user["uri"])
        reset = str(max(1, math.ceil(decision.retry_after or cfg.rate_window)))
        limits = {
            "X-RateLimit-Limit": str(decision.limit),
            "X-RateLimit-Remaining": str(decision.remaining),
            "X-RateLimit-Reset": reset,
        }
        if not decision.allowed:
            sandbox.rate_limited += 1
            exc = StoreError(429, "Too Many Requests", "You have exceeded the rate limit.")
            return _error(exc, limits)
        response = await call_next(request)
        response.headers.update(limits)
        return response

    # --- OAuth (auth.calendly.com) ----------------------------------------------------

    # Route names are prefixed: `make run` mounts every sandbox in one app, where url_for
    # finds a name in the first mounted sandbox that has it.
    @app.get("/oauth/authorize", response_class=HTMLResponse, name="calendly_oauth_authorize")
    async def authorize(request: Request) -> HTMLResponse:
        q = request.query_params
        client_id, redirect_uri = q.get("client_id", ""), q.get("redirect_uri", "")
        if client_id != cfg.client_id:
            return HTMLResponse("<h1>Unknown application</h1>", status_code=400)
        if q.get("response_type") != "code":
            return HTMLResponse("<h1>Unsupported response_type</h1>", status_code=400)
        if not redirect_uri or (cfg.redirect_uris and redirect_uri not in cfg.redirect_uris):
            return HTMLResponse("<h1>Redirect URI mismatch</h1>", status_code=400)
        fields = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": q.get("scope", ""),
            "state": q.get("state", ""),
        }
        page = consent_page(
            provider="Calendly",
            account=store.user["email"],
            client_id=client_id,
            scope=fields["scope"],
            action=str(request.url_for("calendly_oauth_decide")),
            fields=fields,
        )
        return HTMLResponse(page)

    @app.post("/oauth/authorize", name="calendly_oauth_decide")
    async def decide(request: Request) -> Response:
        form = await request.form()
        client_id, redirect_uri = str(form.get("client_id", "")), str(form.get("redirect_uri", ""))
        if client_id != cfg.client_id or not redirect_uri:
            return HTMLResponse("<h1>Invalid authorization request</h1>", status_code=400)
        params: dict[str, str] = {}
        if form.get("decision") == "approve":
            params["code"] = store.issue_code(client_id, redirect_uri, str(form.get("scope", "")))
        else:
            params["error"] = "access_denied"
        if form.get("state"):
            params["state"] = str(form.get("state"))
        sep = "&" if "?" in redirect_uri else "?"
        return RedirectResponse(f"{redirect_uri}{sep}{urlencode(params)}", status_code=302)

    @app.post("/oauth/token")
    async def token(request: Request) -> JSONResponse:
        form = {k: str(v) for k, v in (await request.form()).items()}
        client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
        basic = request.headers.get("authorization", "")
        if basic.lower().startswith("basic "):
            decoded = base64.b64decode(basic[6:]).decode()
            client_id, _, client_secret = decoded.partition(":")
        if client_id != cfg.client_id or client_secret != cfg.client_secret:
            return _oauth_error(401, "invalid_client", "Client authentication failed.")
        grant = form.get("grant_type")
        invalid_grant = (
            "The provided authorization grant is invalid, expired, revoked, does not match "
            "the redirection URI used in the authorization request, or was issued to another "
            "client."
        )
        if grant == "authorization_code":
            code = store.codes.pop(form.get("code", ""), None)
            if (
                code is None
                or code.expires_at < store.clock()
                or code.redirect_uri != form.get("redirect_uri")
            ):
                return _oauth_error(400, "invalid_grant", invalid_grant)
            return JSONResponse(store.issue_tokens(code.scope))
        if grant == "refresh_token":
            refresh = form.get("refresh_token", "")
            if refresh not in store.refresh_tokens:
                return _oauth_error(400, "invalid_grant", invalid_grant)
            store.refresh_tokens.discard(refresh)  # single use: rotated on every refresh
            return JSONResponse(store.issue_tokens("default"))
        return _oauth_error(
            400, "unsupported_grant_type", "The authorization grant type is not supported."
        )

    # --- users and organizations ------------------------------------------------------

    @app.get("/users/me")
    async def me() -> dict[str, Any]:
        return {"resource": store.user}

    @app.get("/users/{user_uuid}")
    async def user(user_uuid: str) -> dict[str, Any]:
        if user_uuid != uuid_of(store.user["uri"]):
            raise StoreError(404, *NOT_FOUND)
        return {"resource": store.user}

    @app.get("/organization_memberships")
    async def memberships(request: Request) -> dict[str, Any]:
        q = request.query_params
        if not q.get("user") and not q.get("organization"):
            raise _invalid("organization", "user or organization is required")
        rows = [store.membership]
        if q.get("user") and q["user"] != store.user["uri"]:
            rows = []
        if q.get("organization") and q["organization"] != store.org:
            raise StoreError(403, "Permission Denied", "You do not have permission")
        return _paginate(request, rows, cfg.max_page_size)

    @app.get("/event_types")
    async def event_types(request: Request) -> dict[str, Any]:
        q = request.query_params
        if not q.get("user") and not q.get("organization"):
            raise _invalid("organization", "user or organization is required")
        return _paginate(request, list(store.event_types.values()), cfg.max_page_size)

    # --- scheduled events and invitees ------------------------------------------------

    def _scope(request: Request) -> None:
        q = request.query_params
        if q.get("organization"):
            if q["organization"] != store.org or not store.is_admin:
                raise StoreError(403, "Permission Denied", "You do not have permission")
        elif q.get("user"):
            if q["user"] != store.user["uri"]:
                raise StoreError(403, "Permission Denied", "You do not have permission")
        else:
            raise _invalid("organization", "user or organization is required")

    @app.get("/scheduled_events")
    async def scheduled_events(request: Request) -> dict[str, Any]:
        _scope(request)
        q = request.query_params
        low, high = _time_param(request, "min_start_time"), _time_param(request, "max_start_time")
        status = q.get("status")
        if status not in (None, "active", "canceled"):
            raise _invalid("status", "must be active or canceled")
        sort = q.get("sort", "start_time:asc")
        if sort not in ("start_time:asc", "start_time:desc"):
            raise _invalid("sort", "must be start_time:asc or start_time:desc")
        rows = []
        for event in store.events.values():
            start = parse_time(event["start_time"])
            if (low and start < low) or (high and start > high):
                continue
            if status and event["status"] != status:
                continue
            if q.get("invitee_email") and not any(
                i["email"] == q["invitee_email"] and i["event"] == event["uri"]
                for i in store.invitees.values()
            ):
                continue
            rows.append(event)
        rows.sort(key=lambda e: (e["start_time"], e["uri"]), reverse=sort.endswith("desc"))
        return _paginate(request, rows, cfg.max_page_size)

    @app.get("/scheduled_events/{event_uuid}")
    async def scheduled_event(event_uuid: str) -> dict[str, Any]:
        event = store.events.get(event_uuid)
        if event is None:
            raise StoreError(404, *NOT_FOUND)
        return {"resource": event}

    @app.get("/scheduled_events/{event_uuid}/invitees")
    async def invitees(event_uuid: str, request: Request) -> dict[str, Any]:
        event = store.events.get(event_uuid)
        if event is None:
            raise StoreError(404, *NOT_FOUND)
        q = request.query_params
        sort = q.get("sort", "created_at:asc")
        if sort not in ("created_at:asc", "created_at:desc"):
            raise _invalid("sort", "must be created_at:asc or created_at:desc")
        rows = [
            i
            for i in store.invitees.values()
            if i["event"] == event["uri"]
            and (not q.get("status") or i["status"] == q["status"])
            and (not q.get("email") or i["email"] == q["email"])
        ]
        rows.sort(key=lambda i: (i["created_at"], i["uri"]), reverse=sort.endswith("desc"))
        return _paginate(request, rows, cfg.max_page_size)

    @app.get("/scheduled_events/{event_uuid}/invitees/{invitee_uuid}")
    async def invitee(event_uuid: str, invitee_uuid: str) -> dict[str, Any]:
        found = store.invitees.get(invitee_uuid)
        if found is None or uuid_of(found["event"]) != event_uuid:
            raise StoreError(404, *NOT_FOUND)
        return {"resource": found}

    # --- webhook subscriptions --------------------------------------------------------

    @app.post("/webhook_subscriptions", status_code=201)
    async def create_subscription(request: Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            raise _invalid("body", "must be JSON") from None
        if not isinstance(body, dict):
            raise _invalid("body", "must be an object")
        for name in ("url", "events", "organization", "scope"):
            if not body.get(name):
                raise _invalid(name, "is required")
        url = str(body["url"])
        if not url.startswith(("https://", "http://")):
            raise _invalid("url", "must be a valid URL")
        events = body["events"]
        allowed = {"invitee.created", "invitee.canceled", "routing_form_submission.created"}
        if not isinstance(events, list) or not set(events) <= allowed:
            raise _invalid("events", f"must be a list of {', '.join(sorted(allowed))}")
        scope = body["scope"]
        if scope not in ("user", "organization"):
            raise _invalid("scope", "must be user or organization")
        if body["organization"] != store.org:
            raise StoreError(403, "Permission Denied", "You do not have permission")
        if scope == "user" and body.get("user") != store.user["uri"]:
            raise _invalid("user", "is required for the user scope")
        if scope == "organization" and not store.is_admin:
            raise StoreError(
                403,
                "Permission Denied",
                "You do not have permission to access this resource.",
            )
        if any(s["callback_url"] == url for s in store.subscriptions.values()):
            raise StoreError(409, "Already Exists", "Hook with this url already exists")
        return {"resource": store.subscribe(body, DEFAULT_SIGNING_KEY)}

    @app.get("/webhook_subscriptions")
    async def list_subscriptions(request: Request) -> dict[str, Any]:
        q = request.query_params
        if q.get("organization") != store.org or q.get("scope") not in ("user", "organization"):
            raise _invalid("organization", "organization and scope are required")
        rows = [s for s in store.subscriptions.values() if s["scope"] == q["scope"]]
        return _paginate(request, rows, cfg.max_page_size)

    @app.get("/webhook_subscriptions/{sub_uuid}")
    async def get_subscription(sub_uuid: str) -> dict[str, Any]:
        found = store.subscriptions.get(sub_uuid)
        if found is None:
            raise StoreError(404, *NOT_FOUND)
        return {"resource": found}

    @app.delete("/webhook_subscriptions/{sub_uuid}", status_code=204)
    async def delete_subscription(sub_uuid: str) -> Response:
        if store.subscriptions.pop(sub_uuid, None) is None:
            raise StoreError(404, *NOT_FOUND)
        store.signing_keys.pop(sub_uuid, None)
        return Response(status_code=204)

    # --- admin: invitees booking on Calendly's pages ----------------------------------

    async def _json(request: Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise _invalid("body", "must be a JSON object")
        return body

    def _start(body: dict[str, Any]) -> datetime:
        try:
            return parse_time(str(body["start_time"]))
        except (KeyError, ValueError):
            raise _invalid("start_time", "an ISO 8601 date-time is required") from None

    @app.post("/_sandbox/bookings", status_code=201)
    async def book(request: Request) -> dict[str, Any]:
        """Someone books: ``{"email", "name", "start_time", "timezone",
        "text_reminder_number", "event_type"}`` (an event type uuid, optional)."""
        body = await _json(request)
        if not body.get("email"):
            raise _invalid("email", "is required")
        new = store.book(body, _start(body), body.get("event_type"))
        await sandbox.notify("invitee.created", new)
        return {"resource": store.invitees[new]}

    @app.post("/_sandbox/invitees/{invitee_uuid}/reschedule")
    async def reschedule(invitee_uuid: str, request: Request) -> dict[str, Any]:
        body = await _json(request)
        new = store.reschedule(invitee_uuid, _start(body))
        # Calendly sends both: the old invitee canceled (rescheduled), the new one created.
        await sandbox.notify("invitee.canceled", invitee_uuid)
        await sandbox.notify("invitee.created", new)
        return {"resource": store.invitees[new]}

    @app.post("/_sandbox/invitees/{invitee_uuid}/cancel")
    async def cancel(invitee_uuid: str, request: Request) -> dict[str, Any]:
        body = await _json(request)
        store.cancel(invitee_uuid, str(body.get("reason") or ""))
        await sandbox.notify("invitee.canceled", invitee_uuid)
        return {"resource": store.invitees[invitee_uuid]}

    @app.get("/_sandbox/outbox")
    async def outbox() -> dict[str, Any]:
        return {
            "collection": [
                {
                    "id": o.id,
                    "url": o.url,
                    "event": o.event,
                    "headers": o.headers,
                    "body": o.body,
                    "status": o.status,
                    "error": o.error,
                }
                for o in store.outbox
            ]
        }

    @app.get("/_sandbox/stats")
    async def stats() -> dict[str, int]:
        return {
            "requests": sandbox.requests,
            "rate_limited": sandbox.rate_limited,
            "subscriptions": len(store.subscriptions),
            "events": len(store.events),
        }

    @app.post("/_sandbox/reset", status_code=204)
    async def reset() -> Response:
        store.reset()
        sandbox.limiter.reset()
        return Response(status_code=204)

    return app


__all__ = ["Sandbox", "create_sandbox"]

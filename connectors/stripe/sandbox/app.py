"""The Stripe sandbox's HTTP API: Connect OAuth (connect.stripe.com's paths), the API v1
calls Hubwire makes (account, payment intents, events, webhook endpoints), Stripe's error
body and list objects, its test-mode rate limit, events signed as Stripe signs them, and an
admin surface (``/_sandbox``) acting as customers who pay, fail and get refunds."""

from __future__ import annotations

import base64
import json
import re
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from connectors.kit.sandboxes import SlidingWindowLimiter, consent_page
from connectors.stripe.sandbox.config import SandboxConfig
from connectors.stripe.sandbox.store import Outgoing, Store, StripeError, missing

_CREATED = re.compile(r"^created\[(gt|gte|lt|lte)\]$")
# Stripe's clients send arrays indexed (`expand[0]=…`); Stripe reads `expand[]=…` alike.
_INDEXED = re.compile(r"^(\w+)\[\d+\]$")


def _error(exc: StripeError) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status, headers=_request_id())


def _request_id() -> dict[str, str]:
    import secrets

    return {"Request-Id": f"req_{secrets.token_urlsafe(10)}"}


def _oauth_error(error: str, description: str) -> JSONResponse:
    # connect.stripe.com answers OAuth errors with a flat body, not the API's envelope.
    return JSONResponse({"error": error, "error_description": description}, status_code=400)


class Sandbox:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = Store(config, config.clock)
        self.limiter = SlidingWindowLimiter(config.rate_limit, config.rate_window, config.clock)
        self.requests = 0
        self.rate_limited = 0

    async def emit(self, event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Records the event and sends it, signed, to every Connect endpoint that wants it."""
        event = self.store.record_event(event_type, obj)
        for endpoint in list(self.store.endpoints.values()):
            wanted = endpoint["enabled_events"]
            if endpoint["status"] != "enabled" or not ("*" in wanted or event_type in wanted):
                continue
            sent = self.store.signed(event, endpoint)
            if self.config.deliver_webhooks:
                await self.deliver(sent)
        return event

    async def deliver(self, sent: Outgoing) -> None:
        try:
            async with httpx.AsyncClient(timeout=self.config.webhook_timeout) as client:
                answer = await client.post(sent.url, content=sent.body, headers=sent.headers)
            sent.status = answer.status_code
        except httpx.HTTPError as exc:
            sent.error = f"{type(exc).__name__}: {exc}"


def _list_params(params: dict[str, list[str]]) -> tuple[int, str | None, str | None]:
    raw = params.get("limit", ["10"])[-1]
    try:
        limit = int(raw)
    except ValueError:
        raise StripeError(400, f"Invalid integer: {raw}", param="limit") from None
    if not 1 <= limit <= 100:
        raise StripeError(400, "Invalid limit: must be between 1 and 100", param="limit")
    after = params.get("starting_after", [None])[-1]
    before = params.get("ending_before", [None])[-1]
    if after and before:
        raise StripeError(
            400, "You may only specify one of these parameters: ending_before, starting_after."
        )
    return limit, after, before


def _created_filter(params: dict[str, list[str]]) -> dict[str, int]:
    bounds: dict[str, int] = {}
    for name, values in params.items():
        match = _CREATED.match(name)
        if match:
            try:
                bounds[match.group(1)] = int(values[-1])
            except ValueError:
                raise StripeError(400, f"Invalid integer: {values[-1]}", param=name) from None
    return bounds


def _within(created: int, bounds: dict[str, int]) -> bool:
    checks = {
        "gt": lambda b: created > b,
        "gte": lambda b: created >= b,
        "lt": lambda b: created < b,
        "lte": lambda b: created <= b,
    }
    return all(checks[op](bound) for op, bound in bounds.items())


def _page(
    rows: list[dict[str, Any]], params: dict[str, list[str]], url: str, kind: str
) -> dict[str, Any]:
    """A Stripe list object over ``rows`` (newest first): ``starting_after`` pages to older
    rows, ``ending_before`` to the newer rows just before the given one."""
    limit, after, before = _list_params(params)
    ids = [row["id"] for row in rows]
    if after is not None:
        if after not in ids:
            raise missing(kind, after, "starting_after")
        rest = rows[ids.index(after) + 1 :]
        data, has_more = rest[:limit], len(rest) > limit
    elif before is not None:
        if before not in ids:
            raise missing(kind, before, "ending_before")
        newer = rows[: ids.index(before)]
        data, has_more = newer[-limit:], len(newer) > limit
    else:
        data, has_more = rows[:limit], len(rows) > limit
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


async def _params(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    items = list(request.query_params.multi_items())
    if request.method == "POST":
        items += [(k, str(v)) for k, v in (await request.form()).multi_items()]
    for key, value in items:
        params.setdefault(_INDEXED.sub(r"\1[]", key), []).append(value)
    return params


def create_sandbox(config: SandboxConfig | None = None) -> FastAPI:
    cfg = config or SandboxConfig()
    sandbox = Sandbox(cfg)
    store = sandbox.store
    app = FastAPI(title="Stripe sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sandbox = sandbox

    @app.exception_handler(StripeError)
    async def _stripe_error(_: Request, exc: StripeError) -> JSONResponse:
        return _error(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # An unsupported call answers as Stripe does, not with a framework body.
        path = request.url.path.removeprefix(request.scope.get("root_path", ""))
        return _error(
            StripeError(
                404,
                f"Unrecognized request URL ({request.method}: {path}). Please see "
                "https://stripe.com/docs or we can help at https://support.stripe.com/.",
            )
        )

    @app.middleware("http")
    async def gate(request: Request, call_next: Any) -> Any:
        path = request.url.path.removeprefix(request.scope.get("root_path", ""))
        if not path.startswith("/v1/"):
            return await call_next(request)
        sandbox.requests += 1
        header = request.headers.get("authorization", "")
        key = header[7:] if header.lower().startswith("bearer ") else ""
        if not key and header.lower().startswith("basic "):
            key = base64.b64decode(header[6:]).decode().partition(":")[0]
        if not key:
            return _error(
                StripeError(
                    401,
                    "You did not provide an API key. You need to provide your API key in the "
                    "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                    "YOUR_SECRET_KEY').",
                )
            )
        if key == cfg.client_secret:
            acting = request.headers.get("stripe-account")
            if acting and acting != store.account["id"]:
                return _error(
                    StripeError(
                        403,
                        "The provided key does not have access to account "
                        f"'{acting}' (or that account does not exist). Application access "
                        "may have been revoked.",
                        type="invalid_request_error",
                        code="account_invalid",
                    )
                )
            request.state.role = "account" if acting else "platform"
        elif key in store.tokens:
            request.state.role = "read_only"
        else:
            masked = key[:8] + "*" * max(0, len(key) - 12) + key[-4:]
            return _error(StripeError(401, f"Invalid API Key provided: {masked}"))
        if request.method != "GET" and request.state.role == "read_only":
            return _error(
                StripeError(
                    403,
                    "The provided key does not have the required permissions for this "
                    f"endpoint on account '{store.account['id']}'. This application has "
                    "read-only access.",
                    type="invalid_request_error",
                )
            )
        if not sandbox.limiter.hit(store.account["id"]).allowed:
            sandbox.rate_limited += 1
            # Stripe's 429 carries no Retry-After; the client backs off on its own.
            return _error(
                StripeError(
                    429,
                    "Request rate limit exceeded. You can learn more about rate limits here "
                    "https://stripe.com/docs/rate-limits.",
                    type="invalid_request_error",
                    code="rate_limit",
                )
            )
        response = await call_next(request)
        response.headers.update(_request_id())
        response.headers["Stripe-Version"] = request.headers.get(
            "stripe-version", "2025-09-30.clover"
        )
        return response

    def _account_only(request: Request) -> None:
        if request.state.role == "platform":
            # The platform's own account has no payments in the sandbox.
            raise StripeError(
                400,
                "This sandbox holds payments on the connected account only: send "
                "Stripe-Account or use the account's OAuth access token.",
            )

    # --- Connect OAuth (connect.stripe.com) ----------------------------------------

    @app.get("/oauth/authorize", response_class=HTMLResponse, name="stripe_oauth_authorize")
    async def authorize(request: Request) -> HTMLResponse:
        q = request.query_params
        client_id, redirect_uri = q.get("client_id", ""), q.get("redirect_uri", "")
        if client_id != cfg.client_id:
            return HTMLResponse("<h1>Invalid client_id</h1>", status_code=400)
        if q.get("response_type") != "code":
            return HTMLResponse("<h1>Invalid response_type: must be code</h1>", status_code=400)
        if q.get("scope", "read_only") not in ("read_only", "read_write"):
            return HTMLResponse("<h1>Invalid scope</h1>", status_code=400)
        if not redirect_uri or (cfg.redirect_uris and redirect_uri not in cfg.redirect_uris):
            return HTMLResponse("<h1>Invalid redirect_uri</h1>", status_code=400)
        fields = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": q.get("scope", "read_only"),
            "state": q.get("state", ""),
        }
        page = consent_page(
            provider="Stripe",
            account=store.account["email"],
            client_id=client_id,
            scope=fields["scope"],
            action=str(request.url_for("stripe_oauth_decide")),
            fields=fields,
        )
        return HTMLResponse(page)

    @app.post("/oauth/authorize", name="stripe_oauth_decide")
    async def decide(request: Request) -> Response:
        form = await request.form()
        redirect_uri = str(form.get("redirect_uri", ""))
        if str(form.get("client_id", "")) != cfg.client_id or not redirect_uri:
            return HTMLResponse("<h1>Invalid authorization request</h1>", status_code=400)
        params: dict[str, str] = {}
        if form.get("decision") == "approve":
            scope = str(form.get("scope", "read_only"))
            params["code"] = store.issue_code(scope, redirect_uri)
            params["scope"] = scope
        else:
            params["error"] = "access_denied"
            params["error_description"] = "The user denied your request"
        if form.get("state"):
            params["state"] = str(form.get("state"))
        sep = "&" if "?" in redirect_uri else "?"
        return RedirectResponse(f"{redirect_uri}{sep}{urlencode(params)}", status_code=302)

    @app.post("/oauth/token")
    async def token(request: Request) -> JSONResponse:
        form = {k: str(v) for k, v in (await request.form()).items()}
        secret = form.get("client_secret", "")
        basic = request.headers.get("authorization", "")
        if basic.lower().startswith("basic "):
            secret = base64.b64decode(basic[6:]).decode().partition(":")[0]
        elif basic.lower().startswith("bearer "):
            secret = basic[7:]
        if secret != cfg.client_secret:
            return _oauth_error("invalid_client", f"No such API key: {secret[:8]}…")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            code = store.codes.pop(form.get("code", ""), None)
            if code is None or code.expires_at < store.clock():
                return _oauth_error(
                    "invalid_grant", f"Authorization code does not exist: {form.get('code')}"
                )
            return JSONResponse(store.issue_token(code.scope))
        if grant == "refresh_token":
            refresh = form.get("refresh_token", "")
            if refresh not in store.refresh_tokens:
                return _oauth_error("invalid_grant", f"Refresh token does not exist: {refresh}")
            # Stripe's refresh tokens are reusable: a refresh mints a new access token.
            return JSONResponse(store.issue_token(form.get("scope", "read_only")))
        return _oauth_error("unsupported_grant_type", f"Unsupported grant type: {grant}")

    # --- API v1 ------------------------------------------------------------------------

    @app.get("/v1/account")
    async def account() -> dict[str, Any]:
        return store.account

    @app.get("/v1/payment_intents")
    async def list_intents(request: Request) -> dict[str, Any]:
        _account_only(request)
        params = await _params(request)
        bounds = _created_filter(params)
        rows = [i for i in reversed(store.intents.values()) if _within(i["created"], bounds)]
        page = _page(rows, params, "/v1/payment_intents", "payment_intent")
        expand = params.get("expand[]", [])
        page["data"] = [store.expanded(i, expand, "data.") for i in page["data"]]
        return page

    @app.get("/v1/payment_intents/{intent_id}")
    async def get_intent(intent_id: str, request: Request) -> dict[str, Any]:
        _account_only(request)
        expand = (await _params(request)).get("expand[]", [])
        return store.expanded(store.intent(intent_id), expand, "")

    @app.get("/v1/events")
    async def list_events(request: Request) -> dict[str, Any]:
        _account_only(request)
        params = await _params(request)
        types = set(params.get("types[]", [])) | set(params.get("type", []))
        if len(params.get("types[]", [])) > 20:
            raise StripeError(400, "You may pass at most 20 event types.", param="types")
        bounds = _created_filter(params)
        rows = [
            e
            for e in reversed(store.events)
            if (not types or e["type"] in types) and _within(e["created"], bounds)
        ]
        return _page(rows, params, "/v1/events", "event")

    @app.get("/v1/events/{event_id}")
    async def get_event(event_id: str, request: Request) -> dict[str, Any]:
        _account_only(request)
        for event in store.events:
            if event["id"] == event_id:
                return event
        raise missing("event", event_id)

    @app.get("/v1/webhook_endpoints")
    async def list_endpoints(request: Request) -> dict[str, Any]:
        rows = [
            {k: v for k, v in e.items() if k != "secret"}
            for e in reversed(store.endpoints.values())
        ]
        return _page(rows, await _params(request), "/v1/webhook_endpoints", "webhook_endpoint")

    @app.post("/v1/webhook_endpoints")
    async def create_endpoint(request: Request) -> dict[str, Any]:
        params = await _params(request)
        url = params.get("url", [""])[-1]
        events = params.get("enabled_events[]", [])
        if not url:
            raise StripeError(
                400, "Missing required param: url.", code="parameter_missing", param="url"
            )
        if not url.startswith(("https://", "http://")):
            raise StripeError(
                400, "Invalid URL: must be an http or https URL", code="url_invalid", param="url"
            )
        if not events:
            raise StripeError(
                400,
                "Missing required param: enabled_events.",
                code="parameter_missing",
                param="enabled_events",
            )
        return store.add_endpoint(url, events, connect=params.get("connect", [""])[-1] == "true")

    # --- admin: customers paying, failing, refunded ------------------------------------

    async def _json(request: Request) -> dict[str, Any]:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise StripeError(400, "Invalid JSON body") from None
        return body if isinstance(body, dict) else {}

    @app.post("/_sandbox/payments", status_code=201)
    async def pay(request: Request) -> dict[str, Any]:
        """A customer pays (``outcome``: ``succeeded`` or ``failed``); ``checkout`` makes it
        a Checkout Session's payment. Emits the events Stripe sends, unless ``silent``."""
        body = await _json(request)
        person = {k: body.get(k) for k in ("email", "name", "phone")}
        outcome = body.get("outcome", "succeeded")
        intent, _ = store.pay(
            amount=int(body.get("amount", 1000)),
            currency=str(body.get("currency", "gbp")),
            outcome=outcome,
            person=person,
            description=body.get("description"),
        )
        if not body.get("silent"):
            kind = "succeeded" if outcome == "succeeded" else "payment_failed"
            await sandbox.emit(f"payment_intent.{kind}", intent)
            if body.get("checkout") and outcome == "succeeded":
                await sandbox.emit("checkout.session.completed", store.checkout(intent, person))
        return intent

    @app.post("/_sandbox/payment_intents/{intent_id}/refund")
    async def refund(intent_id: str, request: Request) -> dict[str, Any]:
        body = await _json(request)
        charge = store.refund(intent_id, body.get("amount"))
        if not body.get("silent"):
            await sandbox.emit("charge.refunded", charge)
        return charge

    @app.post("/_sandbox/events/{event_id}/resend")
    async def resend(event_id: str) -> dict[str, Any]:
        """Stripe retries a delivery it thinks failed: the same event, signed anew."""
        event = next((e for e in store.events if e["id"] == event_id), None)
        if event is None:
            raise missing("event", event_id)
        for endpoint in store.endpoints.values():
            sent = store.signed(event, endpoint)
            if cfg.deliver_webhooks:
                await sandbox.deliver(sent)
        return event

    @app.get("/_sandbox/outbox")
    async def outbox() -> dict[str, Any]:
        return {
            "data": [
                {
                    "id": m.id,
                    "url": m.url,
                    "event_id": m.event_id,
                    "type": m.event_type,
                    "headers": m.headers,
                    "body": m.body,
                    "status": m.status,
                    "error": m.error,
                }
                for m in store.outbox
            ]
        }

    @app.get("/_sandbox/stats")
    async def stats() -> dict[str, int]:
        return {
            "requests": sandbox.requests,
            "rate_limited": sandbox.rate_limited,
            "payment_intents": len(store.intents),
            "events": len(store.events),
            "endpoints": len(store.endpoints),
        }

    return app


def set_webhook_target(app: FastAPI, url: str) -> None:
    """``make run``: the platform's Connect endpoint is Hubwire's inbound URL."""
    sandbox: Sandbox = app.state.sandbox
    if not any(e["url"] == url for e in sandbox.store.endpoints.values()):
        sandbox.store.add_endpoint(url, list(sandbox.config.endpoint_events), connect=True)

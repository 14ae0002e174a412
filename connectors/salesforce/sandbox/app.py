"""The sandbox's HTTP surface: OAuth 2.0 (web-server flow with PKCE, refresh, revoke), the
REST API parts the connector uses (``/limits``, sObject Collections upsert, SOQL ``query``
and ``queryAll`` with ``nextRecordsUrl``, sObject delete), Salesforce's error bodies, the
daily allowance and the concurrency cap; ``/_sandbox/*`` admin endpoints for tests and
``make run`` (a user's edit, a deletion, stats, revoking a grant, expiring a session)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from connectors.kit.sandboxes import consent_page
from connectors.salesforce.sandbox.config import API_VERSION, ORG_ID, SandboxConfig
from connectors.salesforce.sandbox.soql import SoqlError, parse
from connectors.salesforce.sandbox.store import COLLECTION_MAX, ApiError, Store

DATA = f"/services/data/v{API_VERSION}"


@dataclass
class Grant:
    refresh_token: str
    revoked: bool = False


@dataclass
class Sandbox:
    config: SandboxConfig
    store: Store
    tokens: dict[str, tuple[Grant | None, float]] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    codes: dict[str, tuple[str, str, str]] = field(
        default_factory=dict
    )  # code: (client, uri, challenge)
    in_flight: int = 0
    peak_in_flight: int = 0  # the most API requests in flight at once (the bench's figure)

    def issue(self, grant: Grant) -> str:
        token = f"{ORG_ID}!" + secrets.token_urlsafe(32)
        self.tokens[token] = (grant, self.store.clock() + self.config.access_token_seconds)
        return token

    def authenticate(self, request: Request) -> None:
        header = request.headers.get("authorization", "")
        token = header.removeprefix("Bearer ").strip()
        if token in self.config.static_tokens:
            return
        entry = self.tokens.get(token)
        if entry is None or entry[1] <= self.store.clock() or (entry[0] and entry[0].revoked):
            raise ApiError(401, "INVALID_SESSION_ID", "Session expired or invalid")


def _error(exc: ApiError) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status)


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _base(request: Request) -> str:
    """The sandbox's own root (the mount path included): the instance URL it hands out."""
    base, root = str(request.base_url).rstrip("/"), request.scope.get("root_path", "")
    return base if not root or base.endswith(root) else base + root


def _oauth(sandbox: Sandbox) -> APIRouter:
    router = APIRouter(prefix="/services/oauth2")

    @router.get("/authorize", response_class=HTMLResponse)
    async def authorize(request: Request) -> Response:
        q = request.query_params
        if q.get("client_id") != sandbox.config.client_id:
            return _oauth_error("invalid_client_id", "client identifier invalid")
        if q.get("response_type") != "code":
            return _oauth_error("unsupported_response_type", "response type not supported")
        fields = {
            k: q.get(k, "")
            for k in ("client_id", "redirect_uri", "state", "code_challenge", "scope")
        }
        return HTMLResponse(
            consent_page(
                provider="Salesforce",
                account=ORG_ID,
                client_id=fields["client_id"],
                scope=fields["scope"],
                action=str(request.url_for("sf_consent")),
                fields=fields,
            )
        )

    @router.post("/authorize", name="sf_consent")
    async def consent(
        decision: str = Form(),
        client_id: str = Form(),
        redirect_uri: str = Form(),
        state: str = Form(""),
        code_challenge: str = Form(""),
        scope: str = Form(""),
    ) -> Response:
        if decision != "approve":
            query = {"error": "access_denied", "error_description": "end-user denied authorization"}
        else:
            code = "aPrx" + secrets.token_urlsafe(24)
            sandbox.codes[code] = (client_id, redirect_uri, code_challenge)
            query = {"code": code}
        if state:
            query["state"] = state
        return RedirectResponse(f"{redirect_uri}?{urlencode(query)}", status_code=302)

    @router.post("/token")
    async def token(request: Request) -> Response:
        form = dict(await request.form())
        if (
            form.get("client_id") != sandbox.config.client_id
            or form.get("client_secret") != sandbox.config.client_secret
        ):
            return _oauth_error("invalid_client", "invalid client credentials")
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            entry = sandbox.codes.pop(str(form.get("code", "")), None)
            if entry is None or entry[1] != form.get("redirect_uri"):
                return _oauth_error("invalid_grant", "invalid authorization code")
            verifier = str(form.get("code_verifier", ""))
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if entry[2] and challenge != entry[2]:
                return _oauth_error("invalid_grant", "invalid code verifier")
            grant = Grant("5Aep" + secrets.token_urlsafe(40))
            sandbox.grants[grant.refresh_token] = grant
            return JSONResponse(_token_body(request, sandbox, grant, refresh=True))
        if grant_type == "refresh_token":
            held = sandbox.grants.get(str(form.get("refresh_token", "")))
            if held is None or held.revoked:
                return _oauth_error("invalid_grant", "expired access/refresh token")
            # Salesforce does not rotate refresh tokens by default: none is sent back.
            return JSONResponse(_token_body(request, sandbox, held, refresh=False))
        return _oauth_error("unsupported_grant_type", "grant type not supported")

    @router.post("/revoke")
    async def revoke(token: str = Form()) -> Response:
        grant = sandbox.grants.get(token) or (sandbox.tokens.get(token, (None, 0))[0])
        if grant is None:
            return _oauth_error("unsupported_token_type", "this token type is not supported")
        grant.revoked = True
        return Response(status_code=200)

    return router


def _token_body(
    request: Request, sandbox: Sandbox, grant: Grant, *, refresh: bool
) -> dict[str, Any]:
    issued = str(int(sandbox.store.clock() * 1000))
    access = sandbox.issue(grant)
    body = {
        "access_token": access,
        "signature": base64.b64encode(hashlib.sha256(access.encode()).digest()).decode(),
        "scope": "api refresh_token",
        "instance_url": _base(request),
        "id": f"{_base(request)}/id/{ORG_ID}/0055g00000SANDBOX",
        "token_type": "Bearer",
        "issued_at": issued,
    }
    if refresh:
        body["refresh_token"] = grant.refresh_token
    return body


def _data(sandbox: Sandbox) -> APIRouter:
    router = APIRouter(prefix=DATA)
    store = sandbox.store

    @router.get("/limits")
    @router.get("/limits/")
    async def limits() -> dict[str, Any]:
        daily = sandbox.config.daily_api_requests
        return {
            "DailyApiRequests": {"Max": daily, "Remaining": max(0, daily - store.api_requests)},
            "ConcurrentAsyncGetReportInstances": {"Max": 200, "Remaining": 200},
        }

    @router.patch("/composite/sobjects/{obj}/{ext_field}")
    async def upsert(obj: str, ext_field: str, request: Request) -> Any:
        body = await request.json()
        records = body.get("records") if isinstance(body, dict) else None
        if not isinstance(records, list):
            raise ApiError(
                400,
                "JSON_PARSER_ERROR",
                "Cannot deserialize instance of SObjectCollectionRequest from the body",
            )
        if len(records) > COLLECTION_MAX:
            raise ApiError(
                400,
                "EXCEEDED_ID_LIMIT",
                "Record limit reached. Cannot submit more "
                f"than {COLLECTION_MAX} records into this call",
            )
        spec = store.spec(obj)
        if ext_field not in spec or not ext_field.endswith("__c"):
            raise ApiError(
                404,
                "NOT_FOUND",
                f"Provided external ID field does not exist or is not accessible: {ext_field}",
            )
        for record in records:
            if not isinstance(record, dict) or (record.get("attributes") or {}).get("type") != obj:
                raise ApiError(400, "INVALID_TYPE", "Must send a concrete entity type.")
            store.check_fields(obj, record)
        all_or_none = bool(body.get("allOrNone"))
        with store.lock:
            snapshot = {k: dict(v) for k, v in store.records[obj].items()}
            results = [store.upsert(obj, ext_field, r) for r in records]
            if all_or_none and not all(r["success"] for r in results):
                store.records[obj] = snapshot
                results = [
                    r
                    if not r["success"]
                    else {
                        "success": False,
                        "errors": [
                            {
                                "statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                                "message": "Record rolled back because not all records "
                                "were valid and the request was using AllOrNone header",
                                "fields": [],
                            }
                        ],
                    }
                    for r in results
                ]
            store.upsert_calls += 1
            store.upserted_records += len(records)
        return results

    @router.get("/query")
    @router.get("/query/")
    async def query(q: str) -> Any:
        return _run(q, all_rows=False)

    @router.get("/queryAll")
    @router.get("/queryAll/")
    async def query_all(q: str) -> Any:
        return _run(q, all_rows=True)

    @router.get("/query/{locator}")
    @router.get("/queryAll/{locator}")
    async def query_more(locator: str) -> Any:
        return store.more(locator)

    def _run(q: str, *, all_rows: bool) -> Any:
        try:
            parsed = parse(q)
        except SoqlError as exc:
            raise ApiError(400, exc.code, str(exc)) from exc
        return store.query(parsed, all_rows=all_rows)

    @router.delete("/sobjects/{obj}/{record_id}")
    async def delete(obj: str, record_id: str) -> Response:
        store.delete(obj, record_id)
        return Response(status_code=204)

    @router.patch("/sobjects/{obj}/{record_id}")
    async def update(obj: str, record_id: str, request: Request) -> Response:
        store.edit(obj, record_id, await request.json())
        return Response(status_code=204)

    return router


def _admin(sandbox: Sandbox) -> APIRouter:
    router = APIRouter(prefix="/_sandbox")
    store = sandbox.store

    @router.get("/stats")
    async def stats() -> dict[str, Any]:
        return {
            "api_requests": store.api_requests,
            "refused": store.refused,
            "upsert_calls": store.upsert_calls,
            "upserted_records": store.upserted_records,
            "peak_in_flight": sandbox.peak_in_flight,
        }

    @router.get("/records/{obj}")
    async def records(obj: str) -> list[dict[str, Any]]:
        return list(store.records[obj].values())

    @router.patch("/records/{obj}/{record_id}")
    async def edit(obj: str, record_id: str, request: Request) -> dict[str, Any]:
        return store.edit(obj, record_id, await request.json())

    @router.delete("/records/{obj}/{record_id}")
    async def delete(obj: str, record_id: str) -> Response:
        store.delete(obj, record_id)
        return Response(status_code=204)

    @router.post("/revoke-all")
    async def revoke_all() -> dict[str, int]:
        for grant in sandbox.grants.values():
            grant.revoked = True
        return {"revoked": len(sandbox.grants)}

    @router.post("/expire-sessions")
    async def expire() -> dict[str, int]:
        sandbox.tokens = {t: (g, 0.0) for t, (g, _) in sandbox.tokens.items()}
        return {"expired": len(sandbox.tokens)}

    return router


def create_sandbox(config: SandboxConfig | None = None) -> FastAPI:
    config = config or SandboxConfig()
    store = Store(clock=config.clock or time.time)
    sandbox = Sandbox(config, store)
    app = FastAPI(title="Salesforce sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sandbox = sandbox

    @app.exception_handler(ApiError)
    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return _error(exc)

    @app.middleware("http")
    async def api_gate(request: Request, call_next: Any) -> Response:
        # The REST API (not OAuth, not the admin endpoints) counts against the org's daily
        # allowance and its concurrency cap, and needs a session.
        path, root = request.scope["path"], request.scope.get("root_path", "")
        if not path.removeprefix(root).startswith("/services/data/"):
            passed: Response = await call_next(request)
            return passed
        try:
            sandbox.authenticate(request)
        except ApiError as exc:
            return _error(exc)
        if store.api_requests >= config.daily_api_requests:
            store.refused += 1
            return _error(ApiError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))
        if sandbox.in_flight >= config.max_concurrent:
            store.refused += 1
            return _error(
                ApiError(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.")
            )
        store.api_requests += 1
        sandbox.in_flight += 1
        sandbox.peak_in_flight = max(sandbox.peak_in_flight, sandbox.in_flight)
        try:
            response: Response = await call_next(request)
        finally:
            sandbox.in_flight -= 1
        response.headers["Sforce-Limit-Info"] = (
            f"api-usage={store.api_requests}/{config.daily_api_requests}"
        )
        return response

    app.include_router(_oauth(sandbox))
    app.include_router(_data(sandbox))
    app.include_router(_admin(sandbox))

    @app.api_route("/{path:path}", methods=["GET", "POST", "PATCH", "PUT", "DELETE"])
    async def not_found(path: str) -> Response:
        return _error(ApiError(404, "NOT_FOUND", "The requested resource does not exist"))

    return app

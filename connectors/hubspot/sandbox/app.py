"""The HubSpot sandbox's HTTP API: OAuth, CRM v3 objects/batch/search, v4 associations,
rate limits with real 429s and an admin surface (``/_sandbox``) acting as a HubSpot user."""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import BackgroundTasks, Depends, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from connectors.hubspot.sandbox.config import SandboxConfig
from connectors.hubspot.sandbox.ratelimit import SlidingWindowLimiter
from connectors.hubspot.sandbox.store import (
    ASSOCIATION_TYPES,
    OBJECT_TYPES,
    SINGULAR,
    Change,
    CrmObject,
    Store,
    StoreError,
    iso,
)
from connectors.hubspot.sandbox.webhooks import WebhookSender
from connectors.kit.sandboxes import consent_page


class Sandbox:
    """One sandbox instance: its config, account state, limiter and webhook sender."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = Store(clock=config.clock)
        self.limiter = SlidingWindowLimiter(
            config.rate_limit_max, config.rate_limit_interval, config.clock
        )
        self.webhooks = WebhookSender(config)

    def reset(self) -> None:
        self.store.reset()
        self.limiter.reset()


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        category: str,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.category = status, message, category
        self.headers = headers or {}
        self.extra = extra or {}


def _error_body(message: str, category: str, **extra: Any) -> dict[str, Any]:
    return {
        "status": "error",
        "message": message,
        "correlationId": str(uuid.uuid4()),
        "category": category,
        **extra,
    }


def _oauth_error(status: str, message: str) -> JSONResponse:
    # HubSpot's token endpoint puts the error code in ``status`` (BAD_AUTH_CODE, ...).
    body = {"status": status, "message": message, "correlationId": str(uuid.uuid4())}
    return JSONResponse(body, status_code=400)


def _list_param(request: Request, name: str) -> list[str] | None:
    values = request.query_params.getlist(name)
    if not values:
        return None
    return [v for value in values for v in value.split(",") if v]


def _sort_key(value: str | None) -> tuple[int, float | str]:
    """Orders and compares property values: numbers and dates numerically, else as text."""
    if value is None or value == "":
        return (2, "")
    text = value.strip()
    try:
        return (0, float(text))
    except ValueError:
        pass
    try:
        return (0, datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        return (1, text.lower())


def _matches(obj: CrmObject, flt: dict[str, Any]) -> bool:
    name = str(flt.get("propertyName", ""))
    op = str(flt.get("operator", "EQ"))
    actual = obj.id if name in ("hs_object_id", "id") else obj.properties.get(name)
    if op == "HAS_PROPERTY":
        return bool(actual)
    if op == "NOT_HAS_PROPERTY":
        return not actual
    if op == "CONTAINS_TOKEN":
        token = str(flt.get("value", "")).lower().strip("*")
        return bool(actual) and token in (actual or "").lower()
    if op in ("IN", "NOT_IN"):
        values = {_sort_key(str(v)) for v in flt.get("values") or []}
        return (_sort_key(actual) in values) == (op == "IN")
    have, want = _sort_key(actual), _sort_key(str(flt.get("value", "")))
    if op == "EQ":
        return have == want
    if op == "NEQ":
        return have != want
    if have[0] != want[0] or have[0] == 2:
        return False
    if op == "BETWEEN":
        high = _sort_key(str(flt.get("highValue", "")))
        return have[0] == high[0] and want[1] <= have[1] <= high[1]  # type: ignore[operator]
    compare = {
        "GT": lambda a, b: a > b,
        "GTE": lambda a, b: a >= b,
        "LT": lambda a, b: a < b,
        "LTE": lambda a, b: a <= b,
    }.get(op)
    if compare is None:
        raise ApiError(400, f"Unsupported operator {op}", "VALIDATION_ERROR")
    return bool(compare(have[1], want[1]))


def create_sandbox(config: SandboxConfig | None = None) -> FastAPI:
    """A FastAPI app faking the HubSpot endpoints Hubwire uses. Mountable under any prefix;
    the instance is at ``app.state.sandbox`` (its ``store`` is the inspection API)."""
    cfg = config or SandboxConfig()
    sandbox = Sandbox(cfg)
    app = FastAPI(title="HubSpot sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sandbox = sandbox
    store = sandbox.store

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        body = _error_body(exc.message, exc.category, **exc.extra)
        return JSONResponse(body, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StoreError)
    async def _store_error(_: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse(_error_body(exc.message, exc.category), status_code=exc.status)

    def object_type(name: str) -> str:
        if name not in OBJECT_TYPES:
            raise ApiError(400, f"Unable to infer object type from: {name}", "VALIDATION_ERROR")
        return name

    async def json_body(request: Request) -> dict[str, Any]:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError as exc:
            raise ApiError(400, "Invalid input JSON on line 1", "VALIDATION_ERROR") from exc
        if not isinstance(body, dict):
            raise ApiError(400, "Invalid input JSON: expected an object", "VALIDATION_ERROR")
        return body

    def authenticate(request: Request, response: Response) -> str:
        """Checks the bearer token and counts the request; returns the app's client id."""
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        client_id = cfg.static_tokens.get(token)
        if client_id is None:
            grant = store.access_grant(token) if token else None
            if grant is None:
                raise ApiError(
                    401,
                    "Authentication credentials not found. This API supports OAuth 2.0 "
                    "authentication.",
                    "INVALID_AUTHENTICATION",
                )
            if grant.expires_at is not None and grant.expires_at <= cfg.clock():
                raise ApiError(
                    401,
                    "The OAuth token used to make this call expired "
                    f"{math.ceil(cfg.clock() - grant.expires_at)} second(s) ago.",
                    "EXPIRED_AUTHENTICATION",
                )
            client_id = grant.client_id
        decision = sandbox.limiter.hit(client_id)
        store.count_request(rate_limited=not decision.allowed)
        headers = {
            "X-HubSpot-RateLimit-Max": str(decision.limit),
            "X-HubSpot-RateLimit-Remaining": str(decision.remaining),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(decision.interval_ms),
        }
        if not decision.allowed:
            headers["Retry-After"] = str(decision.retry_after)
            raise ApiError(
                429,
                "You have reached your ten_secondly_rolling limit.",
                "RATE_LIMITS",
                headers=headers,
                extra={"errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING"},
            )
        response.headers.update(headers)
        return client_id

    def notify(background: BackgroundTasks, changes: list[Change], source: str) -> None:
        if changes:
            background.add_task(sandbox.webhooks.send, changes, source)

    def render(obj: CrmObject, props: list[str] | None, assoc: list[str] | None) -> dict[str, Any]:
        body = obj.to_json(props)
        if assoc:
            found: dict[str, Any] = {}
            for to_type in assoc:
                links = store.associated(obj.object_type, obj.id, to_type)
                if links:
                    label = f"{SINGULAR[obj.object_type]}_to_{SINGULAR[to_type]}"
                    found[to_type] = {"results": [{"id": a.to_id, "type": label} for a in links]}
            body["associations"] = found
        return body

    def parse_associations(raw: Any) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        for item in raw or []:
            to_id = str((item.get("to") or {}).get("id", ""))
            types = item.get("types") or [{}]
            for spec in types:
                out.append((to_id, int(spec.get("associationTypeId") or 0)))
        return out

    def batch_inputs(body: dict[str, Any]) -> list[dict[str, Any]]:
        inputs = body.get("inputs")
        if not isinstance(inputs, list):
            raise ApiError(400, "Invalid input JSON: inputs is required", "VALIDATION_ERROR")
        if len(inputs) > cfg.max_batch_inputs:
            raise ApiError(
                400,
                f"Batch input size {len(inputs)} exceeds the limit of {cfg.max_batch_inputs}.",
                "VALIDATION_ERROR",
            )
        return [i if isinstance(i, dict) else {} for i in inputs]

    def batch_result(
        results: list[dict[str, Any]], started: float, missing: list[str] | None = None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "status": "COMPLETE",
            "results": results,
            "startedAt": iso(started),
            "completedAt": iso(cfg.clock()),
        }
        if missing:
            body["numErrors"] = 1
            body["errors"] = [
                {
                    "status": "error",
                    "category": "OBJECT_NOT_FOUND",
                    "message": "Could not get some objects, they may be deleted or not exist.",
                    "context": {"ids": missing},
                }
            ]
        return body

    # --- OAuth ------------------------------------------------------------------------
    @app.get("/oauth/authorize", response_class=HTMLResponse, name="oauth_authorize")
    async def authorize(request: Request) -> HTMLResponse:
        q = request.query_params
        client_id, redirect_uri = q.get("client_id", ""), q.get("redirect_uri", "")
        oauth_app = cfg.app(client_id)
        if oauth_app is None:
            return HTMLResponse("<h1>Unknown app</h1>", status_code=400)
        if not redirect_uri or (
            oauth_app.redirect_uris and redirect_uri not in oauth_app.redirect_uris
        ):
            return HTMLResponse("<h1>Redirect URI mismatch</h1>", status_code=400)
        scope = " ".join(filter(None, [q.get("scope", ""), q.get("optional_scope", "")]))
        fields = {"client_id": client_id, "redirect_uri": redirect_uri, "scope": scope}
        fields["state"] = q.get("state", "")
        page = consent_page(
            provider="HubSpot",
            account=f"portal {cfg.portal_id}",
            client_id=client_id,
            scope=scope,
            action=str(request.url_for("oauth_decide")),
            fields=fields,
        )
        return HTMLResponse(page)

    @app.post("/oauth/authorize", name="oauth_decide")
    async def decide(request: Request) -> Response:
        form = await request.form()
        client_id, redirect_uri = str(form.get("client_id", "")), str(form.get("redirect_uri", ""))
        oauth_app = cfg.app(client_id)
        if oauth_app is None or (
            oauth_app.redirect_uris and redirect_uri not in oauth_app.redirect_uris
        ):
            return HTMLResponse("<h1>Invalid authorization request</h1>", status_code=400)
        params: dict[str, str] = {}
        if form.get("decision") == "approve":
            scopes = tuple(str(form.get("scope", "")).split())
            params["code"] = store.issue_code(client_id, redirect_uri, scopes, cfg.auth_code_ttl)
        else:
            params["error"] = "access_denied"
        if form.get("state"):
            params["state"] = str(form.get("state"))
        sep = "&" if "?" in redirect_uri else "?"
        return RedirectResponse(f"{redirect_uri}{sep}{urlencode(params)}", status_code=302)

    @app.post("/oauth/v1/token")
    async def token(request: Request) -> JSONResponse:
        form = await request.form()

        def get(key: str) -> str:
            return str(form.get(key, "") or "")

        oauth_app = cfg.app(get("client_id"))
        if oauth_app is None:
            return _oauth_error("BAD_CLIENT_ID", "missing or invalid client_id")
        if get("client_secret") != oauth_app.client_secret:
            return _oauth_error("BAD_CLIENT_SECRET", "missing or invalid client_secret")
        grant_type = get("grant_type")
        if grant_type == "authorization_code":
            code = store.spend_code(get("code"))
            if code is None or code.client_id != oauth_app.client_id:
                return _oauth_error("BAD_AUTH_CODE", "missing or unknown auth code")
            if code.redirect_uri != get("redirect_uri"):
                return _oauth_error("BAD_REDIRECT_URI", "redirect_uri does not match")
            access, refresh = store.issue_tokens(
                oauth_app.client_id, code.scopes, cfg.access_token_ttl
            )
        elif grant_type == "refresh_token":
            refresh = get("refresh_token")
            grant = store.refresh_grant(refresh)
            if grant is None or grant.client_id != oauth_app.client_id:
                return _oauth_error("BAD_REFRESH_TOKEN", "missing or unknown refresh token")
            if cfg.rotate_refresh_tokens:
                # Spent under the store's lock: of two concurrent refreshes, one loses.
                successor = store.rotate_refresh_token(refresh)
                if successor is None:
                    return _oauth_error("BAD_REFRESH_TOKEN", "missing or unknown refresh token")
                refresh = successor
            access = store.issue_access_token(refresh, cfg.access_token_ttl)
            store.count_refresh()
        else:
            return _oauth_error(
                "BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token"
            )
        return JSONResponse(
            {
                "access_token": access,
                "refresh_token": refresh,
                "expires_in": cfg.access_token_ttl,
                "token_type": "bearer",
            }
        )

    @app.get("/oauth/v1/access-tokens/{token}")
    async def access_token_info(token: str) -> JSONResponse:
        grant = store.access_grant(token)
        if grant is None or (grant.expires_at is not None and grant.expires_at <= cfg.clock()):
            raise ApiError(404, "access token not found or expired", "OBJECT_NOT_FOUND")
        oauth_app = cfg.app(grant.client_id)
        return JSONResponse(
            {
                "token": token,
                "hub_id": cfg.portal_id,
                "hub_domain": cfg.hub_domain,
                "user_id": 1,
                "user": "sandbox-user@hubwire.test",
                "app_id": oauth_app.app_id if oauth_app else 0,
                "scopes": list(grant.scopes),
                "token_type": "access",
                "expires_in": max(0, int((grant.expires_at or 0) - cfg.clock())),
            }
        )

    @app.get("/oauth/v1/refresh-tokens/{token}")
    async def refresh_token_info(token: str) -> JSONResponse:
        grant = store.refresh_grant(token)
        if grant is None:
            raise ApiError(404, "refresh token not found", "OBJECT_NOT_FOUND")
        oauth_app = cfg.app(grant.client_id)
        return JSONResponse(
            {
                "token": token,
                "hub_id": cfg.portal_id,
                "user_id": 1,
                "user": "sandbox-user@hubwire.test",
                "client_id": grant.client_id,
                "scopes": list(grant.scopes),
                "token_type": "refresh",
                "app_id": oauth_app.app_id if oauth_app else 0,
            }
        )

    @app.delete("/oauth/v1/refresh-tokens/{token}", status_code=204)
    async def revoke_refresh_token(token: str) -> Response:
        if not store.revoke_refresh_token(token):
            raise ApiError(404, "refresh token not found", "OBJECT_NOT_FOUND")
        return Response(status_code=204)

    # --- CRM v3 objects ---------------------------------------------------------------
    crm = "/crm/v3/objects/{type_name}"

    @app.get(crm)
    async def list_objects(
        type_name: str, request: Request, _: str = Depends(authenticate)
    ) -> dict[str, Any]:
        kind = object_type(type_name)
        q = request.query_params
        limit = int(q.get("limit", "10"))
        if not 0 < limit <= cfg.max_page_size:
            raise ApiError(400, f"limit must be 1..{cfg.max_page_size}", "VALIDATION_ERROR")
        rows, nxt = store.page(
            kind, after=q.get("after"), limit=limit, archived=q.get("archived") == "true"
        )
        props, assoc = _list_param(request, "properties"), _list_param(request, "associations")
        body: dict[str, Any] = {"results": [render(o, props, assoc) for o in rows]}
        if nxt is not None:
            link = str(request.url.include_query_params(after=nxt))
            body["paging"] = {"next": {"after": nxt, "link": link}}
        return body

    @app.post(crm, status_code=201)
    async def create_object(
        type_name: str,
        request: Request,
        background: BackgroundTasks,
        _: str = Depends(authenticate),
    ) -> dict[str, Any]:
        kind = object_type(type_name)
        body = await json_body(request)
        obj, change = store.create(
            kind, body.get("properties") or {}, parse_associations(body.get("associations"))
        )
        notify(background, [change], "INTEGRATION")
        return obj.to_json(list(obj.properties))

    @app.post(crm + "/search")
    async def search(
        type_name: str, request: Request, _: str = Depends(authenticate)
    ) -> dict[str, Any]:
        kind = object_type(type_name)
        body = await json_body(request)
        limit = int(body.get("limit") or 10)
        if not 0 < limit <= cfg.max_search_limit:
            raise ApiError(400, f"limit must be 1..{cfg.max_search_limit}", "VALIDATION_ERROR")
        groups = body.get("filterGroups") or []
        query = str(body.get("query") or "").lower()
        rows = [
            o
            for o in store.all(kind)
            if store.searchable(o)
            and (
                not groups or any(all(_matches(o, f) for f in g.get("filters", [])) for g in groups)
            )
            and (not query or any(query in v.lower() for v in o.properties.values()))
        ]
        rows.sort(key=lambda o: int(o.id))
        for sort in reversed(body.get("sorts") or []):
            if isinstance(sort, str):
                name, desc = sort.lstrip("-"), sort.startswith("-")
            else:
                name = str(sort.get("propertyName", ""))
                desc = str(sort.get("direction", "ASCENDING")).upper() == "DESCENDING"

            def by(obj: CrmObject, prop: str = name) -> tuple[int, float | str]:
                return _sort_key(obj.properties.get(prop))

            rows.sort(key=by, reverse=desc)
        start = int(body.get("after") or 0)
        props = body.get("properties") or None
        result: dict[str, Any] = {
            "total": len(rows),
            "results": [o.to_json(props) for o in rows[start : start + limit]],
        }
        if start + limit < len(rows):
            result["paging"] = {"next": {"after": str(start + limit)}}
        return result

    @app.post(crm + "/batch/{action}")
    async def batch(
        type_name: str,
        action: str,
        request: Request,
        background: BackgroundTasks,
        _: str = Depends(authenticate),
    ) -> Response:
        kind = object_type(type_name)
        body = await json_body(request)
        inputs = batch_inputs(body)
        started = cfg.clock()
        if action in ("create", "update"):
            store.count_batch_write(len(inputs))
        if action == "create":
            made, changes = store.create_many(
                kind,
                [
                    (i.get("properties") or {}, parse_associations(i.get("associations")))
                    for i in inputs
                ],
            )
            notify(background, changes, "INTEGRATION")
            results = [o.to_json(list(o.properties)) for o in made]
            return JSONResponse(batch_result(results, started), status_code=201)
        if action == "update":
            updated = []
            for item in inputs:
                obj, change = store.update(kind, str(item.get("id")), item.get("properties") or {})
                updated.append(obj.to_json(list(obj.properties)))
                notify(background, [change], "INTEGRATION")
            return JSONResponse(batch_result(updated, started))
        if action == "read":
            props = body.get("properties") or None
            id_property = body.get("idProperty")
            found, missing = [], []
            for item in inputs:
                wanted = str(item.get("id"))
                if id_property:
                    match = next(
                        (o for o in store.all(kind) if o.properties.get(id_property) == wanted),
                        None,
                    )
                else:
                    match = store.get(kind, wanted)
                    match = match if match and not match.archived else None
                if match is None:
                    missing.append(wanted)
                else:
                    found.append(match.to_json(props))
            status = 207 if missing else 200
            return JSONResponse(batch_result(found, started, missing), status_code=status)
        if action == "archive":
            archived = [store.archive(kind, str(i.get("id"))) for i in inputs]
            notify(background, [c for c in archived if c], "INTEGRATION")
            return Response(status_code=204)
        raise ApiError(404, f"Unknown batch action {action}", "OBJECT_NOT_FOUND")

    @app.get(crm + "/{object_id}")
    async def get_object(
        type_name: str, object_id: str, request: Request, _: str = Depends(authenticate)
    ) -> dict[str, Any]:
        kind = object_type(type_name)
        q = request.query_params
        id_property = q.get("idProperty")
        if id_property:
            match = next(
                (o for o in store.all(kind) if o.properties.get(id_property) == object_id), None
            )
            if match is None:
                raise ApiError(404, "resource not found", "OBJECT_NOT_FOUND")
            obj = match
        else:
            obj = store.read(kind, object_id, archived=q.get("archived") == "true")
        return render(obj, _list_param(request, "properties"), _list_param(request, "associations"))

    @app.patch(crm + "/{object_id}")
    async def update_object(
        type_name: str,
        object_id: str,
        request: Request,
        background: BackgroundTasks,
        _: str = Depends(authenticate),
    ) -> dict[str, Any]:
        kind = object_type(type_name)
        body = await json_body(request)
        obj, change = store.update(kind, object_id, body.get("properties") or {})
        notify(background, [change], "INTEGRATION")
        return obj.to_json(list(obj.properties))

    @app.delete(crm + "/{object_id}", status_code=204)
    async def archive_object(
        type_name: str,
        object_id: str,
        background: BackgroundTasks,
        _: str = Depends(authenticate),
    ) -> Response:
        change = store.archive(object_type(type_name), object_id)
        notify(background, [change] if change else [], "INTEGRATION")
        return Response(status_code=204)

    # --- CRM v4 associations ----------------------------------------------------------
    v4 = "/crm/v4/objects/{from_type}/{object_id}/associations/{to_type}"

    @app.get(v4)
    async def list_associations(
        from_type: str, object_id: str, to_type: str, _: str = Depends(authenticate)
    ) -> dict[str, Any]:
        source, target = object_type(from_type), object_type(to_type)
        store.read(source, object_id)
        links = store.associated(source, object_id, target)
        return {
            "results": [
                {
                    "toObjectId": int(a.to_id),
                    "associationTypes": [
                        {"category": "HUBSPOT_DEFINED", "typeId": a.type_id, "label": None}
                    ],
                }
                for a in links
            ]
        }

    @app.put("/crm/v4/objects/{from_type}/{object_id}/associations/default/{to_type}/{to_id}")
    async def associate_default(
        from_type: str, object_id: str, to_type: str, to_id: str, _: str = Depends(authenticate)
    ) -> dict[str, Any]:
        source, target = object_type(from_type), object_type(to_type)
        store.associate_default(source, object_id, target, to_id)
        type_id = ASSOCIATION_TYPES[(source, target)]
        return {
            "status": "COMPLETE",
            "results": [
                {
                    "from": {"id": object_id},
                    "to": {"id": to_id},
                    "associationSpec": {
                        "associationCategory": "HUBSPOT_DEFINED",
                        "associationTypeId": type_id,
                    },
                }
            ],
            "startedAt": iso(cfg.clock()),
            "completedAt": iso(cfg.clock()),
        }

    # --- admin: act as a HubSpot user (no auth, no rate limit) ------------------------
    @app.post("/_sandbox/objects/{type_name}", status_code=201)
    async def user_create(
        type_name: str, request: Request, background: BackgroundTasks
    ) -> dict[str, Any]:
        body = await json_body(request)
        obj, change = store.create(object_type(type_name), body.get("properties") or {})
        notify(background, [change], "CRM_UI")
        return obj.to_json(list(obj.properties))

    @app.get("/_sandbox/objects/{type_name}")
    async def user_list(type_name: str) -> dict[str, Any]:
        """Every live object of a type, as a HubSpot user browsing the CRM sees them (no
        token, not rate limited: for demos and tests)."""
        return {
            "results": [o.to_json(list(o.properties)) for o in store.all(object_type(type_name))]
        }

    @app.patch("/_sandbox/objects/{type_name}/{object_id}")
    async def user_update(
        type_name: str, object_id: str, request: Request, background: BackgroundTasks
    ) -> dict[str, Any]:
        body = await json_body(request)
        kind = object_type(type_name)
        obj, change = store.update(kind, object_id, body.get("properties") or {})
        # Sandbox only: this change reaches the search index that many seconds late.
        lag = body.get("indexLagSeconds")
        if isinstance(lag, int | float) and lag > 0:
            store.delay_search(kind, object_id, float(lag))
        notify(background, [change], "CRM_UI")
        return obj.to_json(list(obj.properties))

    @app.put("/_sandbox/webhooks")
    async def set_webhook_target(request: Request) -> dict[str, Any]:
        body = await json_body(request)
        target = body.get("targetUrl")
        sandbox.webhooks.target_url = str(target) if target else None
        return {"targetUrl": sandbox.webhooks.target_url}

    @app.get("/_sandbox/webhooks/deliveries")
    async def deliveries() -> dict[str, Any]:
        return {
            "results": [
                {"url": d.url, "status": d.status, "error": d.error, "body": json.loads(d.body)}
                for d in sandbox.webhooks.deliveries
            ]
        }

    @app.get("/_sandbox/stats")
    async def stats() -> dict[str, int]:
        return asdict(store.stats())

    @app.post("/_sandbox/reset", status_code=204)
    async def reset() -> Response:
        sandbox.reset()
        return Response(status_code=204)

    return app

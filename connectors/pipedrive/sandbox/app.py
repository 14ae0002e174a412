"""The Pipedrive sandbox's HTTP API: OAuth (oauth.pipedrive.com's paths, ``api_domain`` in
the token answer), the API v1/v2 calls Hubwire makes with Pipedrive's error bodies, the
token-based rate limits (a 2-second burst window per user and a daily token budget per
company) with their headers, webhooks v2 sent with HTTP Basic credentials, and an admin
surface (``/_sandbox``) acting as a salesperson editing persons in Pipedrive's UI."""

from __future__ import annotations

import base64
import json
import re
import secrets
from datetime import date
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from connectors.kit.sandboxes import SlidingWindowLimiter, consent_page
from connectors.pipedrive.sandbox.config import SandboxConfig
from connectors.pipedrive.sandbox.store import (
    ApiError,
    Outgoing,
    Store,
    iso,
    parse_v1_time,
)

# Token costs per call (Pipedrive's "Rate limiting" page: API v2 calls cost less than v1's).
COSTS = {
    ("v1", "get"): 2,
    ("v1", "list"): 20,
    ("v1", "write"): 10,
    ("v1", "delete"): 6,
    ("v2", "get"): 1,
    ("v2", "list"): 10,
    ("v2", "write"): 5,
    ("v2", "delete"): 3,
    ("v2", "search"): 20,
}
PERSON_FIELDS = {
    "name",
    "owner_id",
    "org_id",
    "emails",
    "phones",
    "visible_to",
    "label_ids",
    "marketing_status",
    "custom_fields",
    "add_time",
}
LEAD_FIELDS = {
    "title",
    "owner_id",
    "label_ids",
    "person_id",
    "organization_id",
    "value",
    "expected_close_date",
    "visible_to",
    "was_seen",
    "origin_id",
    "channel",
    "channel_id",
}
ACTIVITY_FIELDS = {
    "subject",
    "type",
    "owner_id",
    "deal_id",
    "lead_id",
    "org_id",
    "project_id",
    "due_date",
    "due_time",
    "duration",
    "busy",
    "done",
    "location",
    "participants",
    "attendees",
    "public_description",
    "priority",
    "note",
}
ACTIVITY_TYPES = {"call", "meeting", "task", "deadline", "email", "lunch"}
EMAIL_LABELS = {"work", "home", "other"}
NAME_LIMIT = 255
HHMM = re.compile(r"^\d{2}:[0-5]\d$")
WEBHOOK_OBJECTS = {"activity", "deal", "lead", "note", "organization", "person", "product", "*"}
WEBHOOK_ACTIONS = {"create", "change", "delete", "*"}
MAX_WEBHOOKS = 40  # per user
MAX_LIST_LIMIT = 500


def _invalid(message: str) -> ApiError:
    return ApiError(400, f"Validation failed: {message}", code="ERR_SCHEMA_VALIDATION_FAILED")


def _not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} not found")


def _ok(data: Any, status: int = 200, additional: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"success": True, "data": data}
    if additional is not None:
        body["additional_data"] = additional
    return JSONResponse(body, status_code=status)


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _cost(method: str, path: str) -> int:
    version = "v2" if path.startswith("/api/v2/") else "v1"
    if path.endswith("/search"):
        return COSTS[("v2", "search")]
    if method == "DELETE":
        return COSTS[(version, "delete")]
    if method in ("POST", "PATCH", "PUT"):
        return COSTS[(version, "write")]
    single = re.search(r"/(\d+|[0-9a-f-]{36}|me)$", path) is not None
    return COSTS[(version, "get" if single else "list")]


class Sandbox:
    """One sandbox: config, company data, burst limiter, daily budget, webhook sender."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = Store(config, config.clock)
        self.limiter = SlidingWindowLimiter(config.burst, config.burst_window, config.clock)
        self.requests = 0
        self.rate_limited = 0
        self.budget_day = self._day()
        self.target_url: str | None = None  # `make run`: where Hubwire listens (unused here)

    def _day(self) -> str:
        return iso(self.config.clock())[:10]

    def spend(self, tokens: int) -> int | None:
        """Spends ``tokens`` of today's budget; the tokens left, or None when it is spent
        (the budget resets at midnight UTC)."""
        today = self._day()
        if today != self.budget_day:
            self.budget_day, self.store.tokens_spent = today, 0
        left = self.config.daily_budget - self.store.tokens_spent
        if left < tokens:
            return None
        self.store.tokens_spent += tokens
        return left - tokens

    async def notify(
        self, entity: str, action: str, data: dict[str, Any] | None, previous: dict[str, Any] | None
    ) -> None:
        """Sends a webhooks v2 message to every subscription that wants it, with the
        subscription's HTTP Basic credentials (kept in the outbox either way)."""
        store, cfg = self.store, self.config
        entity_id = (data or previous or {}).get("id")
        for hook in list(store.webhooks.values()):
            if hook["event_object"] not in (entity, "*") or hook["event_action"] not in (
                action,
                "*",
            ):
                continue
            body = json.dumps(
                {
                    "data": data,
                    "previous": previous,
                    "meta": {
                        "action": action,
                        "company_id": str(cfg.company_id),
                        "correlation_id": secrets.token_hex(8),
                        "entity_id": str(entity_id),
                        "entity": entity,
                        "id": secrets.token_hex(16),
                        "is_bulk_edit": False,
                        "timestamp": iso(store.clock()),
                        "type": "general",
                        "user_id": str(cfg.user_id),
                        "version": "2.0",
                        "webhook_id": str(hook["id"]),
                        "webhook_owner_id": str(cfg.user_id),
                        "attempt": 1,
                        "host": f"{cfg.company_domain}.pipedrive.com",
                    },
                },
                separators=(",", ":"),
            )
            headers = {"content-type": "application/json"}
            if hook["_password"] is not None:
                pair = f"{hook['http_auth_user']}:{hook['_password']}".encode()
                headers["authorization"] = "Basic " + base64.b64encode(pair).decode()
            sent = Outgoing(
                len(store.outbox) + 1, hook["subscription_url"], action, entity, headers, body
            )
            store.outbox.append(sent)
            if not cfg.deliver_webhooks:
                continue
            try:
                async with httpx.AsyncClient(timeout=cfg.webhook_timeout) as client:
                    answer = await client.post(sent.url, content=body, headers=headers)
                sent.status = answer.status_code
            except httpx.HTTPError as exc:
                sent.error = f"{type(exc).__name__}: {exc}"


def _oauth_error(status: int, error: str, message: str) -> JSONResponse:
    return JSONResponse({"success": False, "error": error, "message": message}, status_code=status)


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise ApiError(400, "Invalid JSON in request body", code="ERR_INVALID_JSON") from None
    if not isinstance(body, dict):
        raise _invalid("the body must be a JSON object")
    return body


def _unknown(body: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise _invalid(f"Parameter '{unknown[0]}' is not allowed for this request")


def _int_param(request: Request, name: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not 0 <= int(raw) <= maximum:
        raise _invalid(f"Parameter '{name}' must be an integer between 0 and {maximum}")
    return int(raw)


def _contacts(value: Any, name: str) -> list[dict[str, Any]]:
    """``emails``/``phones``: ``[{"value", "primary", "label"}]``, one primary at most."""
    if not isinstance(value, list):
        raise _invalid(f"Parameter '{name}' must be an array")
    out: list[dict[str, Any]] = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("value"), str):
            raise _invalid(f"Parameter '{name}' items must be objects with a string 'value'")
        label = item.get("label", "work")
        if label not in EMAIL_LABELS and not (name == "phones" and label == "mobile"):
            raise _invalid(f"Parameter '{name}.label' must be one of work, home, other")
        out.append(
            {"value": item["value"], "primary": bool(item.get("primary", False)), "label": label}
        )
    if sum(1 for item in out if item["primary"]) > 1:
        raise _invalid(f"Parameter '{name}' may have only one primary item")
    if out and not any(item["primary"] for item in out):
        out[0]["primary"] = True
    return out


def create_sandbox(config: SandboxConfig | None = None) -> FastAPI:
    cfg = config or SandboxConfig()
    sandbox = Sandbox(cfg)
    store = sandbox.store
    app = FastAPI(title="Pipedrive sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sandbox = sandbox

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # An unsupported call answers as Pipedrive does, not with a framework body.
        if exc.status_code == 405:
            return JSONResponse(ApiError(405, "Method not allowed").body(), status_code=405)
        return JSONResponse(ApiError(404, "Unknown method .").body(), status_code=404)

    def _root(request: Request) -> str:
        # Under `make run` the sandbox is mounted: its root is the mount's path
        # (scope["root_path"], /sandbox/pipedrive), which the request's path includes.
        root = request.url.replace(path=request.scope.get("root_path", ""), query="")
        return str(root).rstrip("/")

    @app.middleware("http")
    async def gate(request: Request, call_next: Any) -> Any:
        path = request.url.path.removeprefix(request.scope.get("root_path", ""))
        if not path.startswith(("/v1/", "/api/v2/")):
            return await call_next(request)
        sandbox.requests += 1
        header = request.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else ""
        if store.token_state(token) != "valid":
            return JSONResponse(ApiError(401, "unauthorized access").body(), status_code=401)
        decision = sandbox.limiter.hit(str(cfg.user_id))
        burst = {
            "x-ratelimit-limit": str(decision.limit),
            "x-ratelimit-remaining": str(decision.remaining),
            "x-ratelimit-reset": str(max(1, decision.retry_after or int(cfg.burst_window))),
        }
        if not decision.allowed:
            sandbox.rate_limited += 1
            headers = {**burst, "retry-after": str(decision.retry_after)}
            body = ApiError(429, "Request over limit").body()
            return JSONResponse(body, status_code=429, headers=headers)
        left = sandbox.spend(_cost(request.method, path))
        if left is None:
            sandbox.rate_limited += 1
            body = ApiError(
                429, "Daily token budget exceeded. The budget resets at midnight UTC."
            ).body()
            headers = {**burst, "x-daily-ratelimit-token-remaining": "0"}
            return JSONResponse(body, status_code=429, headers=headers)
        response = await call_next(request)
        response.headers.update({**burst, "x-daily-ratelimit-token-remaining": str(left)})
        return response

    # --- OAuth (oauth.pipedrive.com) ------------------------------------------------

    # Route names are prefixed: `make run` mounts every sandbox in one app.
    @app.get("/oauth/authorize", response_class=HTMLResponse, name="pipedrive_oauth_authorize")
    async def authorize(request: Request) -> HTMLResponse:
        q = request.query_params
        client_id, redirect_uri = q.get("client_id", ""), q.get("redirect_uri", "")
        if client_id != cfg.client_id:
            return HTMLResponse("<h1>Invalid client_id</h1>", status_code=400)
        if not redirect_uri or (cfg.redirect_uris and redirect_uri not in cfg.redirect_uris):
            return HTMLResponse("<h1>Invalid redirect_uri</h1>", status_code=400)
        fields = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": q.get("scope", ""),
            "state": q.get("state", ""),
        }
        page = consent_page(
            provider="Pipedrive",
            account=f"{cfg.company_name} ({cfg.user_email})",
            client_id=client_id,
            scope=fields["scope"],
            action=str(request.url_for("pipedrive_oauth_decide")),
            fields=fields,
        )
        return HTMLResponse(page)

    @app.post("/oauth/authorize", name="pipedrive_oauth_decide")
    async def decide(request: Request) -> Response:
        form = await request.form()
        client_id, redirect_uri = str(form.get("client_id", "")), str(form.get("redirect_uri", ""))
        if client_id != cfg.client_id or not redirect_uri:
            return HTMLResponse("<h1>Invalid authorization request</h1>", status_code=400)
        params: dict[str, str] = {}
        if form.get("decision") == "approve":
            params["code"] = store.issue_code(redirect_uri, str(form.get("scope", "")) or "base")
        else:
            params["error"] = "user_denied"
        if form.get("state"):
            params["state"] = str(form.get("state"))
        sep = "&" if "?" in redirect_uri else "?"
        return RedirectResponse(f"{redirect_uri}{sep}{urlencode(params)}", status_code=302)

    def _client_ok(request: Request, form: dict[str, str]) -> bool:
        # Pipedrive takes the app's credentials as HTTP Basic (its OAuth guide); the
        # form-body variant is refused like a missing client.
        basic = request.headers.get("authorization", "")
        if not basic.lower().startswith("basic "):
            return False
        try:
            client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return client_id == cfg.client_id and secret == cfg.client_secret

    @app.post("/oauth/token")
    async def token(request: Request) -> JSONResponse:
        form = {k: str(v) for k, v in (await request.form()).items()}
        if not _client_ok(request, form):
            return _oauth_error(401, "invalid_client", "Invalid client credentials")
        grant_type = form.get("grant_type")
        domain = cfg.api_domain or _root(request)
        if grant_type == "authorization_code":
            code = store.codes.pop(form.get("code", ""), None)
            if code is None or code.expires_at < store.clock():
                return _oauth_error(
                    400, "invalid_grant", "Invalid grant: authorization code is invalid"
                )
            if code.redirect_uri != form.get("redirect_uri"):
                return _oauth_error(400, "invalid_grant", "Invalid grant: redirect_uri is invalid")
            new = store.new_grant(code.scope)
            return JSONResponse({**store.issue_access(new), "api_domain": domain})
        if grant_type == "refresh_token":
            grant = store.grant_of_refresh(form.get("refresh_token", ""))
            if grant is None:
                return _oauth_error(400, "invalid_grant", "Invalid grant: refresh token is invalid")
            # Pipedrive keeps the refresh token (it is not rotated) and returns it again.
            return JSONResponse({**store.issue_access(grant), "api_domain": domain})
        return _oauth_error(400, "unsupported_grant_type", "Unsupported grant type")

    @app.post("/oauth/revoke")
    async def revoke(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        if not _client_ok(request, form):
            return _oauth_error(401, "invalid_client", "Invalid client credentials")
        grant = store.grant_of_refresh(form.get("token", ""))
        if grant is not None:
            grant.revoked = True
        for g in store.grants:
            if form.get("token") in g.access_tokens:
                g.access_tokens.pop(form["token"])
        return Response(status_code=200)

    # --- users ------------------------------------------------------------------------

    @app.get("/v1/users/me")
    async def me(request: Request) -> JSONResponse:
        return _ok(
            {
                "id": cfg.user_id,
                "name": cfg.user_name,
                "email": cfg.user_email,
                "company_id": cfg.company_id,
                "company_name": cfg.company_name,
                "company_domain": cfg.company_domain,
                "company_country": "GB",
                "locale": "en_GB",
                "timezone_name": "Europe/London",
                "active_flag": True,
                "is_admin": 1,
            }
        )

    # --- persons (API v2) -------------------------------------------------------------

    def _person_input(body: dict[str, Any], *, create: bool) -> dict[str, Any]:
        _unknown(body, PERSON_FIELDS)
        out: dict[str, Any] = {}
        if create and not isinstance(body.get("name"), str):
            raise _invalid("Parameter 'name' is required")
        if "name" in body:
            name = body["name"]
            if not isinstance(name, str) or not name.strip():
                raise _invalid("Parameter 'name' must be a non-empty string")
            if len(name) > NAME_LIMIT:
                raise _invalid(f"Parameter 'name' must be at most {NAME_LIMIT} characters")
            out["name"] = name.strip()
        for name in ("emails", "phones"):
            if name in body:
                out[name] = _contacts(body[name], name)
        if "org_id" in body:
            out["org_id"] = body["org_id"]
        return out

    def _split(name: str) -> tuple[str, str | None]:
        first, _, last = name.partition(" ")
        return first, last.strip() or None

    async def _save_person(person: dict[str, Any], previous: dict[str, Any] | None) -> None:
        person["first_name"], person["last_name"] = _split(person["name"])
        person["update_time"] = iso(store.clock())
        person["_updated"] = store.clock()
        store.persons[person["id"]] = person
        await sandbox.notify(
            "person", "change" if previous else "create", _public(person), previous
        )

    async def create_person(data: dict[str, Any]) -> dict[str, Any]:
        now = store.clock()
        person: dict[str, Any] = {
            "id": store.next_id("person"),
            "name": data["name"],
            "first_name": None,
            "last_name": None,
            "owner_id": cfg.user_id,
            "org_id": data.get("org_id"),
            "emails": data.get("emails", []),
            "phones": data.get("phones", []),
            "visible_to": 3,
            "label_ids": [],
            "is_deleted": False,
            "add_time": iso(now),
            "update_time": iso(now),
            "_added": now,
            "_updated": now,
        }
        await _save_person(person, None)
        return person

    async def update_person(person_id: int, data: dict[str, Any]) -> dict[str, Any]:
        person = store.persons.get(person_id)
        if person is None:
            raise _not_found("Person")
        previous = _public(person)
        await _save_person({**person, **data}, previous)
        return store.persons[person_id]

    async def delete_person(person_id: int) -> None:
        person = store.persons.pop(person_id, None)
        if person is None:
            raise _not_found("Person")
        person = {**person, "is_deleted": True, "_updated": store.clock()}
        person["update_time"] = iso(store.clock())
        store.deleted_persons[person_id] = person
        await sandbox.notify("person", "delete", None, _public(person))

    def _write(records: int = 1) -> None:
        store.writes += 1
        store.records_written += records

    @app.post("/api/v2/persons")
    async def post_person(request: Request) -> JSONResponse:
        data = _person_input(await _body(request), create=True)
        _write()
        return _ok(_public(await create_person(data)))

    @app.get("/api/v2/persons/search")
    async def search_persons(request: Request) -> JSONResponse:
        q = request.query_params
        term = q.get("term", "")
        exact = q.get("exact_match") in ("true", "1")
        if len(term) < (1 if exact else 2):
            raise _invalid("Parameter 'term' must be at least 2 characters long")
        fields = set((q.get("fields") or "custom_fields,email,notes,phone,name").split(","))
        if not fields <= {"custom_fields", "email", "notes", "phone", "name"}:
            raise _invalid("Parameter 'fields' has an invalid value")
        limit = _int_param(request, "limit", 100, MAX_LIST_LIMIT) or 100
        needle = term.lower()

        def hit(value: str) -> bool:
            return value.lower() == needle if exact else needle in value.lower()

        items = []
        for person in store.persons.values():
            values: list[str] = []
            if "name" in fields:
                values.append(person["name"])
            if "email" in fields:
                values += [e["value"] for e in person["emails"]]
            if "phone" in fields:
                values += [p["value"] for p in person["phones"]]
            if any(hit(v) for v in values):
                items.append(
                    {
                        "result_score": 1.0,
                        "item": {
                            "id": person["id"],
                            "type": "person",
                            "name": person["name"],
                            "emails": [e["value"] for e in person["emails"]],
                            "phones": [p["value"] for p in person["phones"]],
                            "update_time": person["update_time"],
                        },
                    }
                )
        return _ok({"items": items[:limit]}, additional={"next_cursor": None})

    def _person_id(raw: str) -> int:
        if not raw.isdigit():
            raise _invalid("Parameter 'id' must be an integer")
        return int(raw)

    @app.get("/api/v2/persons/{person_id}")
    async def get_person(person_id: str) -> JSONResponse:
        person = store.persons.get(_person_id(person_id))
        if person is None:
            raise _not_found("Person")
        return _ok(_public(person))

    @app.patch("/api/v2/persons/{person_id}")
    async def patch_person(person_id: str, request: Request) -> JSONResponse:
        data = _person_input(await _body(request), create=False)
        _write()
        return _ok(_public(await update_person(_person_id(person_id), data)))

    @app.delete("/api/v2/persons/{person_id}")
    async def remove_person(person_id: str) -> JSONResponse:
        pid = _person_id(person_id)
        await delete_person(pid)
        return _ok({"id": pid})

    # --- leads (API v1) ---------------------------------------------------------------

    @app.post("/v1/leads", status_code=201)
    async def post_lead(request: Request) -> JSONResponse:
        body = await _body(request)
        _unknown(body, LEAD_FIELDS)
        title = body.get("title")
        if not isinstance(title, str) or not title.strip():
            raise ApiError(400, "Validation failed: title: Parameter 'title' is required")
        person_id, org_id = body.get("person_id"), body.get("organization_id")
        if person_id is None and org_id is None:
            raise ApiError(
                400, "A lead must always be linked to a person or an organization or both"
            )
        if person_id is not None and person_id not in store.persons:
            raise ApiError(400, "Person with the given ID does not exist")
        now = iso(store.clock())
        lead = {
            "id": store.new_lead_id(),
            "title": title.strip(),
            "owner_id": cfg.user_id,
            "creator_id": cfg.user_id,
            "label_ids": body.get("label_ids", []),
            "person_id": person_id,
            "organization_id": org_id,
            "source_name": "API",
            "origin": "API",
            "channel": body.get("channel"),
            "is_archived": False,
            "was_seen": False,
            "value": body.get("value"),
            "expected_close_date": body.get("expected_close_date"),
            "next_activity_id": None,
            "add_time": now,
            "update_time": now,
            "visible_to": "3",
            "cc_email": f"{cfg.company_domain}@pipedrivemail.com",
        }
        store.leads[lead["id"]] = lead
        _write()
        return _ok(lead, status=201)

    @app.get("/v1/leads")
    async def list_leads(request: Request) -> JSONResponse:
        q = request.query_params
        limit = _int_param(request, "limit", 100, MAX_LIST_LIMIT) or 100
        start = _int_param(request, "start", 0, 10**9)
        rows = list(store.leads.values())
        if q.get("person_id"):
            rows = [r for r in rows if str(r["person_id"]) == q["person_id"]]
        page = rows[start : start + limit]
        more = start + limit < len(rows)
        pagination = {"start": start, "limit": limit, "more_items_in_collection": more}
        if more:
            pagination["next_start"] = start + limit
        return _ok(page, additional={"pagination": pagination})

    # --- activities (API v2) ----------------------------------------------------------

    @app.post("/api/v2/activities")
    async def post_activity(request: Request) -> JSONResponse:
        body = await _body(request)
        _unknown(body, ACTIVITY_FIELDS)
        kind = body.get("type", "task")
        if kind not in ACTIVITY_TYPES:
            raise _invalid(f"Parameter 'type' must be one of {', '.join(sorted(ACTIVITY_TYPES))}")
        for name in ("duration", "due_time"):
            if (
                name in body
                and body[name] is not None
                and not (isinstance(body[name], str) and HHMM.match(body[name]))
            ):
                raise _invalid(f"Parameter '{name}' must be in HH:MM format")
        if "due_date" in body and body["due_date"] is not None:
            try:
                date.fromisoformat(str(body["due_date"]))
            except ValueError:
                raise _invalid("Parameter 'due_date' must be in YYYY-MM-DD format") from None
        if "done" in body and not isinstance(body["done"], bool):
            raise _invalid("Parameter 'done' must be a boolean")
        participants = body.get("participants", [])
        if not isinstance(participants, list) or not all(
            isinstance(p, dict) and isinstance(p.get("person_id"), int) for p in participants
        ):
            raise _invalid("Parameter 'participants' must be an array of {person_id, primary}")
        for p in participants:
            if p["person_id"] not in store.persons:
                raise ApiError(400, f"Person with id {p['person_id']} does not exist")
        primary = next((p["person_id"] for p in participants if p.get("primary")), None)
        if primary is None and participants:
            primary = participants[0]["person_id"]
        now = iso(store.clock())
        activity = {
            "id": store.next_id("activity"),
            "subject": str(body.get("subject") or kind.capitalize()),
            "type": kind,
            "owner_id": cfg.user_id,
            "is_deleted": False,
            "add_time": now,
            "update_time": now,
            "deal_id": body.get("deal_id"),
            "lead_id": body.get("lead_id"),
            "person_id": primary,
            "org_id": body.get("org_id"),
            "due_date": body.get("due_date"),
            "due_time": body.get("due_time"),
            "duration": body.get("duration"),
            "busy": bool(body.get("busy", False)),
            "done": bool(body.get("done", False)),
            "participants": [
                {"person_id": p["person_id"], "primary": p["person_id"] == primary}
                for p in participants
            ],
            "note": body.get("note"),
        }
        store.activities[activity["id"]] = activity
        _write()
        await sandbox.notify("activity", "create", activity, None)
        return _ok(activity)

    @app.patch("/api/v2/activities/{activity_id}")
    async def patch_activity(activity_id: str, request: Request) -> JSONResponse:
        body = await _body(request)
        _unknown(body, ACTIVITY_FIELDS - {"participants", "attendees"})
        activity = store.activities.get(int(activity_id)) if activity_id.isdigit() else None
        if activity is None:
            raise _not_found("Activity")
        for name in ("duration", "due_time"):
            if body.get(name) is not None and not (
                isinstance(body[name], str) and HHMM.match(body[name])
            ):
                raise _invalid(f"Parameter '{name}' must be in HH:MM format")
        if "done" in body and not isinstance(body["done"], bool):
            raise _invalid("Parameter 'done' must be a boolean")
        previous = dict(activity)
        activity.update(body)
        activity["update_time"] = iso(store.clock())
        _write()
        await sandbox.notify("activity", "change", activity, previous)
        return _ok(activity)

    @app.get("/api/v2/activities")
    async def list_activities(request: Request) -> JSONResponse:
        q = request.query_params
        limit = _int_param(request, "limit", 100, MAX_LIST_LIMIT) or 100
        rows = sorted(store.activities.values(), key=lambda a: a["id"])
        if q.get("person_id"):
            rows = [a for a in rows if str(a["person_id"]) == q["person_id"]]
        cursor = q.get("cursor")
        if cursor:
            try:
                after = int(base64.b64decode(cursor).decode())
            except ValueError:
                raise _invalid("Parameter 'cursor' is invalid") from None
            rows = [a for a in rows if a["id"] > after]
        page = rows[:limit]
        next_cursor = (
            base64.b64encode(str(page[-1]["id"]).encode()).decode() if len(rows) > limit else None
        )
        return _ok(page, additional={"next_cursor": next_cursor})

    # --- recents (API v1) -------------------------------------------------------------

    @app.get("/v1/recents")
    async def recents(request: Request) -> JSONResponse:
        q = request.query_params
        raw = q.get("since_timestamp")
        if not raw:
            raise ApiError(400, "since_timestamp is required")
        try:
            since = parse_v1_time(raw)
        except ValueError:
            raise ApiError(400, "since_timestamp must be in format YYYY-MM-DD HH:MM:SS") from None
        items = q.get("items", "person")
        if items != "person":
            raise ApiError(400, "The sandbox serves recents of items=person only")
        limit = _int_param(request, "limit", 100, MAX_LIST_LIMIT) or 100
        start = _int_param(request, "start", 0, 10**9)
        rows = store.changed_persons(since)
        page = rows[start : start + limit]
        more = start + limit < len(rows)
        pagination: dict[str, Any] = {
            "start": start,
            "limit": limit,
            "more_items_in_collection": more,
        }
        if more:
            pagination["next_start"] = start + limit
        data = [{"item": "person", "id": row["id"], "data": row} for _, row in page]
        last = page[-1][1]["update_time"] if page else None
        additional = {
            "since_timestamp": raw,
            "last_timestamp_on_page": last,
            "pagination": pagination,
        }
        return _ok(data, additional=additional)

    # --- webhooks (API v1) ------------------------------------------------------------

    def _hook_out(hook: dict[str, Any]) -> dict[str, Any]:
        return {
            **_public(hook),
            "http_auth_password": None if hook["_password"] is None else "******",
        }

    @app.post("/v1/webhooks", status_code=201)
    async def post_webhook(request: Request) -> JSONResponse:
        body = await _body(request)
        url = body.get("subscription_url")
        errors = []
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            errors.append("subscription_url must be a valid URL")
        if body.get("event_action") not in WEBHOOK_ACTIONS:
            errors.append("event_action must be one of create, change, delete, *")
        if body.get("event_object") not in WEBHOOK_OBJECTS:
            errors.append("event_object is invalid")
        if body.get("version", "2.0") not in ("1.0", "2.0"):
            errors.append("version must be 1.0 or 2.0")
        if errors:
            raise ApiError(400, "Validation failed: " + "; ".join(errors))
        if len(store.webhooks) >= MAX_WEBHOOKS:
            raise ApiError(400, f"You can have up to {MAX_WEBHOOKS} webhooks")
        hook = {
            "id": store.next_id("webhook"),
            "company_id": cfg.company_id,
            "owner_id": cfg.user_id,
            "user_id": cfg.user_id,
            "event_action": body["event_action"],
            "event_object": body["event_object"],
            "subscription_url": url,
            "version": body.get("version", "2.0"),
            "is_active": 1,
            "add_time": iso(store.clock()),
            "remove_time": None,
            "type": "general",
            "http_auth_user": body.get("http_auth_user"),
            "_password": body.get("http_auth_password"),
            "remove_reason": None,
            "last_delivery_time": None,
            "last_http_status": None,
            "admin_id": cfg.user_id,
        }
        store.webhooks[hook["id"]] = hook
        return JSONResponse(
            {"success": True, "status": "ok", "data": _hook_out(hook)}, status_code=201
        )

    @app.get("/v1/webhooks")
    async def list_webhooks() -> JSONResponse:
        data = [_hook_out(h) for h in store.webhooks.values()]
        return JSONResponse({"success": True, "status": "ok", "data": data})

    @app.delete("/v1/webhooks/{hook_id}")
    async def delete_webhook(hook_id: str) -> JSONResponse:
        if not hook_id.isdigit() or store.webhooks.pop(int(hook_id), None) is None:
            raise _not_found("Webhook")
        return JSONResponse({"success": True, "status": "ok"})

    # --- admin: a salesperson working in Pipedrive's UI -------------------------------

    @app.post("/_sandbox/persons", status_code=201)
    async def ui_create(request: Request) -> JSONResponse:
        data = _person_input(await _body(request), create=True)
        return _ok(_public(await create_person(data)), status=201)

    @app.patch("/_sandbox/persons/{person_id}")
    async def ui_update(person_id: str, request: Request) -> JSONResponse:
        data = _person_input(await _body(request), create=False)
        return _ok(_public(await update_person(_person_id(person_id), data)))

    @app.delete("/_sandbox/persons/{person_id}")
    async def ui_delete(person_id: str) -> JSONResponse:
        pid = _person_id(person_id)
        await delete_person(pid)
        return _ok({"id": pid})

    @app.post("/_sandbox/revoke", status_code=204)
    async def ui_revoke() -> Response:
        """The company's admin uninstalls the app: every grant is revoked."""
        store.revoke_all()
        return Response(status_code=204)

    @app.get("/_sandbox/outbox")
    async def outbox() -> dict[str, Any]:
        return {
            "data": [
                {
                    "id": o.id,
                    "url": o.url,
                    "action": o.action,
                    "entity": o.entity,
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
            "batch_writes": store.writes,
            "batch_records": store.records_written,
            "tokens_spent": store.tokens_spent,
            "persons": len(store.persons),
            "leads": len(store.leads),
            "activities": len(store.activities),
            "webhooks": len(store.webhooks),
        }

    @app.post("/_sandbox/reset", status_code=204)
    async def reset() -> Response:
        store.reset()
        sandbox.limiter.reset()
        return Response(status_code=204)

    return app


__all__ = ["Sandbox", "create_sandbox"]

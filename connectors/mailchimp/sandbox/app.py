"""The Mailchimp sandbox app: OAuth (authorize, token, metadata), the Marketing API under
the account's data center (``/<dc>/3.0``), batch operations that finish asynchronously with
a tar.gz of results, webhooks as Mailchimp posts them, and an admin surface
(``/_sandbox``) acting as subscribers who unsubscribe, bounce or change their address."""

from __future__ import annotations

import base64
import io
import json
import re
import secrets
import tarfile
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from connectors.kit.sandboxes import consent_page
from connectors.mailchimp.sandbox.config import SandboxConfig
from connectors.mailchimp.sandbox.errors import (
    ApiError,
    bad_json,
    not_found,
    too_many_connections,
    unauthorized,
)
from connectors.mailchimp.sandbox.store import Batch, Store, subscriber_hash

Handler = Callable[[Store, re.Match[str], dict[str, str], Any], Any]
_ROUTES: list[tuple[str, re.Pattern[str], Handler]] = []


def _route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _ROUTES.append((method, re.compile(f"^{pattern}/?$"), handler))
        return handler

    return register


_M = r"/lists/(?P<list>[^/]+)/members/(?P<member>[^/]+)"


@_route("GET", r"/lists")
def _lists(s: Store, m: re.Match[str], q: dict[str, str], b: Any) -> Any:
    return s.lists(q)


@_route("GET", r"/lists/(?P<list>[^/]+)")
def _list(s: Store, m: re.Match[str], q: dict[str, str], b: Any) -> Any:
    return s.get_list(m["list"])


@_route("GET", r"/lists/(?P<list>[^/]+)/members")
def _members(s: Store, m: re.Match[str], q: dict[str, str], b: Any) -> Any:
    return s.list_members(m["list"], q)


@_route("GET", _M)
def _get_member(s: Store, m: re.Match[str], q: dict[str, str], b: Any) -> Any:
    return s.get_member(m["list"], m["member"])


@_route("PUT", _M)
def _put_member(s: Store, m: re.Match[str], q: dict[str, str], b: Any) -> Any:
    return s.put_member(m["list"], m["member"], b)


@_route("PATCH", _M)
def _patch_member(s: Store, m: re.Match[str], q: dict[str, str], b: Any) -> Any:
    return s.patch_member(m["list"], m["member"], b)


@_route("DELETE", _M)
def _delete_member(s: Store, m: re.Match[str], q: dict[str, str], b: Any) -> Any:
    return s.delete_member(m["list"], m["member"])


@_route("POST", _M + r"/tags")
def _tags(s: Store, m: re.Match[str], q: dict[str, str], b: Any) -> Any:
    return s.member_tags(m["list"], m["member"], b)


@_route("GET", r"/lists/(?P<list>[^/]+)/merge-fields")
def _merge_fields(s: Store, m: re.Match[str], q: dict[str, str], b: Any) -> Any:
    return s.merge_fields(m["list"])


@_route("POST", r"/lists/(?P<list>[^/]+)/merge-fields")
def _add_merge_field(s: Store, m: re.Match[str], q: dict[str, str], b: Any) -> Any:
    return s.add_merge_field(m["list"], b)


@_route("GET", r"/lists/(?P<list>[^/]+)/webhooks")
def _webhooks(s: Store, m: re.Match[str], q: dict[str, str], b: Any) -> Any:
    return s.webhooks(m["list"])


@_route("POST", r"/lists/(?P<list>[^/]+)/webhooks")
def _add_webhook(s: Store, m: re.Match[str], q: dict[str, str], b: Any) -> Any:
    return s.add_webhook(m["list"], b)


@_route("DELETE", r"/lists/(?P<list>[^/]+)/webhooks/(?P<hook>[^/]+)")
def _delete_webhook(s: Store, m: re.Match[str], q: dict[str, str], b: Any) -> Any:
    return s.delete_webhook(m["list"], m["hook"])


def dispatch(store: Store, method: str, path: str, query: dict[str, str], body: Any) -> Any:
    """Runs one API operation (``path`` below ``/3.0``); ``None`` is a 204."""
    for verb, pattern, handler in _ROUTES:
        match = pattern.match(path)
        if match and verb == method:
            with store.lock:
                return handler(store, match, query, body)
    raise not_found()


class Sandbox:
    """The app's state: the store, issued tokens and codes, in-flight calls per account."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = Store(config)
        self.tokens: dict[str, str] = dict(config.static_tokens)
        self.codes: dict[str, tuple[str, str]] = {}
        self.in_flight = 0
        self.in_flight_lock = threading.Lock()
        self.root = ""  # where the sandbox is served, learnt from the first request
        # Webhooks a 410 disabled: no more posts (Mailchimp shows them disabled in its UI;
        # its API's webhook object has no such field).
        self.disabled_webhooks: set[str] = set()
        if config.check_webhook_urls:
            self.store.url_answers = self._answers

    def _answers(self, url: str) -> bool:
        try:
            return httpx.get(url, timeout=self.config.webhook_timeout).status_code == 200
        except httpx.HTTPError:
            return False

    def account_token(self, request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() in ("bearer", "oauth") and value in self.tokens:
            return value
        if scheme.lower() == "basic":
            try:
                key = base64.b64decode(value).decode().partition(":")[2]
            except ValueError:
                return None
            token, _, dc = key.rpartition("-")
            return token if token in self.tokens and dc == self.config.dc else None
        return None

    def results_url(self, batch: Batch) -> str:
        return f"{self.root}/_sandbox/batch-results/{batch.id}.tar.gz"

    def batch_json(self, batch: Batch) -> dict[str, Any]:
        self.advance(batch)
        finished = len(batch.results) if batch.status == "finished" else 0
        return {
            "id": batch.id,
            "status": batch.status,
            "total_operations": len(batch.operations),
            "finished_operations": finished,
            "errored_operations": batch.errored,
            "submitted_at": _iso(batch.submitted),
            "completed_at": _iso(batch.completed) if batch.completed else "",
            "response_body_url": self.results_url(batch) if batch.status == "finished" else "",
        }

    def advance(self, batch: Batch) -> None:
        """Mailchimp runs a batch some time after it was submitted: ``pending`` until
        ``batch_delay`` passed, then every operation runs and it is ``finished``."""
        if batch.status == "finished":
            return
        if self.config.clock() - batch.submitted < self.config.batch_delay:
            return
        for op in batch.operations:
            batch.results.append(self._run(op))
        batch.errored = sum(1 for r in batch.results if r["status_code"] >= 400)
        batch.status, batch.completed = "finished", self.config.clock()

    def _run(self, op: dict[str, Any]) -> dict[str, Any]:
        try:
            body = json.loads(op["body"]) if op.get("body") else None
        except ValueError:
            error = bad_json()
            return _result(op, error.status, error.body())
        path = op["path"].split("?", 1)[0]
        params = {str(k): str(v) for k, v in (op.get("params") or {}).items()}
        try:
            answer = dispatch(self.store, op["method"], path, params, body)
        except ApiError as exc:
            return _result(op, exc.status, exc.body())
        return _result(op, 204 if answer is None else 200, answer)

    def results_archive(self, batch: Batch) -> bytes:
        """The tar.gz Mailchimp leaves at ``response_body_url``: JSON files, each an array of
        ``{status_code, operation_id, response}`` (``response`` a JSON string)."""
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            chunk = 1000
            for n, start in enumerate(range(0, max(len(batch.results), 1), chunk)):
                data = json.dumps(batch.results[start : start + chunk]).encode()
                info = tarfile.TarInfo(f"{batch.id}/{n}.json")
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
        return buffer.getvalue()

    def send_webhook(self, list_id: str, kind: str, source: str, data: dict[str, Any]) -> None:
        """Posts ``kind`` to the list's webhooks that want it, form-encoded as Mailchimp
        does (``data[merges][FNAME]``), without any signature."""
        fired = datetime.fromtimestamp(self.config.clock(), UTC).strftime("%Y-%m-%d %H:%M:%S")
        pairs = [("type", kind), ("fired_at", fired), *_flatten("data", data)]
        body = urlencode(pairs)
        audience = self.store.audiences[list_id]
        for hook in list(audience.webhooks.values()):
            if hook["id"] in self.disabled_webhooks:
                continue
            if not hook["events"].get(kind) or not hook["sources"].get(source):
                continue
            entry = {"url": hook["url"], "body": body, "type": kind, "status": None, "attempts": 0}
            self.store.outbox.append(entry)
            if self.config.deliver_webhooks:
                # Off the request: the receiver may be this very process (`make run`).
                threading.Thread(target=self._deliver, args=(entry, hook), daemon=True).start()

    def _deliver(self, entry: dict[str, Any], hook: dict[str, Any]) -> None:
        """Posts the webhook, and again after each of ``webhook_retry_delays`` while it
        fails; a ``410`` disables the webhook for every later change (Mailchimp, 2021)."""
        for wait in (0.0, *self.config.webhook_retry_delays):
            time.sleep(wait)
            entry["attempts"] += 1
            try:
                response = httpx.post(
                    entry["url"],
                    content=entry["body"],
                    headers={
                        "content-type": "application/x-www-form-urlencoded",
                        "user-agent": "MailChimp",
                    },
                    timeout=self.config.webhook_timeout,
                )
            except httpx.HTTPError:
                entry["status"] = 0
                continue
            entry["status"] = response.status_code
            if response.status_code == 410:
                self.disabled_webhooks.add(hook["id"])
                return
            if response.is_success:
                return


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _result(op: dict[str, Any], status: int, body: Any) -> dict[str, Any]:
    return {
        "status_code": status,
        "operation_id": op.get("operation_id"),
        "response": json.dumps(body) if body is not None else "",
    }


def _flatten(prefix: str, value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in _flatten(f"{prefix}[{k}]", v)]
    return [(prefix, "" if value is None else str(value))]


def create_sandbox(config: SandboxConfig | None = None) -> FastAPI:
    config = config or SandboxConfig()
    sandbox = Sandbox(config)
    app = FastAPI(title="Mailchimp sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sandbox = sandbox

    @app.middleware("http")
    async def _account_limits(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # Where this app is served, its mount path included (`make run` mounts it).
        url = request.url
        sandbox.root = f"{url.scheme}://{url.netloc}{request.scope.get('root_path', '')}"
        if "/3.0/" not in request.url.path:
            return await call_next(request)
        with sandbox.in_flight_lock:
            sandbox.store.calls += 1
            if sandbox.in_flight >= config.max_connections:
                sandbox.store.refused_429 += 1
                return too_many_connections(config.max_connections).response()
            sandbox.in_flight += 1
        try:
            return await call_next(request)
        finally:
            with sandbox.in_flight_lock:
                sandbox.in_flight -= 1

    # -- OAuth 2.0 (https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/)

    @app.get("/oauth2/authorize", response_model=None)
    def authorize(request: Request) -> HTMLResponse | JSONResponse:
        q = request.query_params
        if q.get("client_id") != config.client_id or q.get("response_type") != "code":
            return JSONResponse({"error": "invalid_client"}, status_code=400)
        fields = {k: v for k, v in q.items()}
        return HTMLResponse(
            consent_page(
                provider="Mailchimp",
                account=config.account_name,
                client_id=config.client_id,
                scope="",
                action=f"{sandbox.root}/oauth2/authorize",
                fields=fields,
            )
        )

    @app.post("/oauth2/authorize")
    async def decide(request: Request) -> RedirectResponse:
        form = await request.form()
        redirect = str(form.get("redirect_uri", ""))
        state = str(form.get("state", ""))
        if form.get("decision") != "approve":
            return RedirectResponse(
                f"{redirect}?{urlencode({'error': 'access_denied', 'state': state})}", 303
            )
        code = secrets.token_urlsafe(16)
        sandbox.codes[code] = (str(form.get("client_id", "")), redirect)
        return RedirectResponse(f"{redirect}?{urlencode({'code': code, 'state': state})}", 303)

    @app.post("/oauth2/token")
    async def token(request: Request) -> JSONResponse:
        form = await request.form()
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        header = request.headers.get("authorization", "")
        if header.lower().startswith("basic "):
            decoded = base64.b64decode(header[6:]).decode()
            client_id, _, client_secret = decoded.partition(":")
        if client_id != config.client_id or client_secret != config.client_secret:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        if form.get("grant_type") != "authorization_code":
            # Mailchimp's tokens do not expire: there is no refresh grant.
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        issued = sandbox.codes.pop(str(form.get("code", "")), None)
        if issued is None or issued[1] != form.get("redirect_uri"):
            return JSONResponse(
                {"error": "invalid_grant", "error_description": "Invalid authorization code"},
                status_code=400,
            )
        access = secrets.token_hex(16)
        sandbox.tokens[access] = config.client_id
        return JSONResponse({"access_token": access, "expires_in": 0, "scope": None})

    @app.get("/oauth2/metadata")
    def metadata(request: Request) -> JSONResponse:
        if sandbox.account_token(request) is None:
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        return JSONResponse(
            {
                "dc": config.dc,
                "role": "owner",
                "accountname": config.account_name,
                "user_id": config.user_id,
                "login": {
                    "email": config.login_email,
                    "login_id": config.user_id,
                    "login_name": config.login_email,
                    "login_email": config.login_email,
                },
                "login_url": "https://login.mailchimp.com",
                "api_endpoint": f"{sandbox.root}/{config.dc}",
            }
        )

    # -- the Marketing API ---------------------------------------------------------------

    async def _body(request: Request) -> Any:
        raw = await request.body()
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise bad_json() from None

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    def _authorize(request: Request, dc: str) -> None:
        if dc != config.dc or sandbox.account_token(request) is None:
            raise unauthorized()

    @app.post("/{dc}/3.0/batches")
    async def start_batch(dc: str, request: Request) -> JSONResponse:
        _authorize(request, dc)
        with sandbox.store.lock:
            batch = sandbox.store.start_batch(await _body(request))
            return JSONResponse(sandbox.batch_json(batch))

    @app.get("/{dc}/3.0/batches/{batch_id}")
    def batch_status(dc: str, batch_id: str, request: Request) -> JSONResponse:
        _authorize(request, dc)
        with sandbox.store.lock:
            batch = sandbox.store.batches.get(batch_id)
            if batch is None:
                raise not_found()
            return JSONResponse(sandbox.batch_json(batch))

    @app.api_route("/{dc}/3.0/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def api(dc: str, path: str, request: Request) -> Response:
        _authorize(request, dc)
        body = await _body(request) if request.method in ("POST", "PUT", "PATCH") else None
        # In a thread: registering a webhook calls its URL, which may be this very process.
        answer = await run_in_threadpool(
            dispatch, sandbox.store, request.method, "/" + path, dict(request.query_params), body
        )
        return Response(status_code=204) if answer is None else JSONResponse(answer)

    # -- results, as on Mailchimp's storage (no auth: a pre-signed URL) -------------------

    @app.get("/_sandbox/batch-results/{batch_id}.tar.gz")
    def batch_results(batch_id: str) -> Response:
        batch = sandbox.store.batches.get(batch_id)
        if batch is None or batch.status != "finished":
            return Response(status_code=404)
        sandbox.store.downloads += 1
        return Response(sandbox.results_archive(batch), media_type="application/x-gzip")

    # -- admin: what subscribers do at Mailchimp ------------------------------------------

    async def _admin(request: Request) -> tuple[str, dict[str, Any]]:
        body = await request.json()
        return str(body.get("list_id") or config.list_id), body

    @app.post("/_sandbox/unsubscribe")
    async def unsubscribe(request: Request) -> JSONResponse:
        list_id, body = await _admin(request)
        with sandbox.store.lock:
            audience = sandbox.store.audiences[list_id]
            member = audience.members[subscriber_hash(body["email"])]
            member.status, member.changed = "unsubscribed", config.clock()
            data = {
                "action": "unsub",
                "reason": "manual",
                "id": subscriber_hash(member.email),
                "list_id": list_id,
                "email": member.email,
                "email_type": member.email_type,
                "merges": {"EMAIL": member.email, **member.merge_fields},
            }
        sandbox.send_webhook(list_id, "unsubscribe", "user", data)
        return JSONResponse(sandbox.store.member_json(audience, member))

    @app.post("/_sandbox/clean")
    async def clean(request: Request) -> JSONResponse:
        list_id, body = await _admin(request)
        with sandbox.store.lock:
            audience = sandbox.store.audiences[list_id]
            member = audience.members[subscriber_hash(body["email"])]
            member.status, member.changed = "cleaned", config.clock()
            data = {"list_id": list_id, "reason": "hard", "email": member.email}
        sandbox.send_webhook(list_id, "cleaned", "admin", data)
        return JSONResponse(sandbox.store.member_json(audience, member))

    @app.post("/_sandbox/change-email")
    async def change_email(request: Request) -> JSONResponse:
        list_id, body = await _admin(request)
        with sandbox.store.lock:
            answer = sandbox.store.patch_member(
                list_id, subscriber_hash(body["old_email"]), {"email_address": body["new_email"]}
            )
        data = {
            "list_id": list_id,
            "new_id": answer["id"],
            "new_email": body["new_email"],
            "old_email": body["old_email"],
        }
        sandbox.send_webhook(list_id, "upemail", "user", data)
        return JSONResponse(answer)

    @app.get("/_sandbox/members/{email}")
    def member(email: str) -> Response:
        """A member of the default audience, as the API shows it (what a user sees)."""
        with sandbox.store.lock:
            audience = sandbox.store.audiences[config.list_id]
            found = audience.members.get(subscriber_hash(email))
            if found is None:
                raise not_found()
            return JSONResponse(sandbox.store.member_json(audience, found))

    @app.get("/_sandbox/outbox")
    def outbox() -> JSONResponse:
        return JSONResponse({"outbox": sandbox.store.outbox})

    @app.get("/_sandbox/stats")
    def stats() -> JSONResponse:
        store = sandbox.store
        statuses = Counter(m.status for a in store.audiences.values() for m in a.members.values())
        return JSONResponse(
            {
                "calls": store.calls,
                "downloads": store.downloads,
                "http_429": store.refused_429,
                "batches": len(store.batches),
                "operations": sum(len(b.operations) for b in store.batches.values()),
                "members": sum(statuses.values()),
                "statuses": dict(statuses),
            }
        )

    @app.post("/_sandbox/reset", status_code=204)
    def reset() -> Response:
        sandbox.store.reset()
        return Response(status_code=204)

    return app

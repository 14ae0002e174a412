"""The Slack sandbox: ``oauth.v2.access``, ``auth.test``, ``conversations.list``,
``chat.postMessage`` and ``chat.update`` as Slack answers them (HTTP 200 with
``{"ok": false, "error": ...}`` for refusals, HTTP 429 ``ratelimited`` with ``Retry-After``
past a method's tier or a channel's message rate), plus admin endpoints that act as a Slack
user: press a card's button or run ``/hubwire``, sent to Hubwire signed like Slack does."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

DEFAULT_CLIENT_ID = "sandbox-slack-client-id"
DEFAULT_CLIENT_SECRET = "sandbox-slack-client-secret"  # noqa: S105 - a fake app's secret
DEFAULT_SIGNING_SECRET = "sandbox-slack-signing-secret"  # noqa: S105 - a fake app's secret
TEAM_ID, TEAM_NAME, BOT_USER = "T0SANDBOX", "Hubwire Sandbox", "U0HUBWIRE"
ALL_SCOPES = ("chat:write", "channels:read", "commands")
# The bot scope each method needs (Slack's method reference, "Required scopes").
METHOD_SCOPES = {
    "conversations.list": "channels:read",
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
}
MAX_TEXT = 40_000  # chat.postMessage: msg_too_long past this
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
# Per-minute limits of the methods' tiers (Slack's docs: Tier 2 20+, Tier 3 50+, Tier 4
# 100+ a minute; auth.test and oauth.v2.access are generous).
METHOD_TIERS = {
    "oauth.v2.access": 100,
    "auth.test": 100,
    "conversations.list": 20,
    "chat.update": 50,
    # chat.postMessage is limited per channel instead (``channel_rate``).
}


@dataclass(frozen=True)
class SandboxConfig:
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    signing_secret: str = DEFAULT_SIGNING_SECRET
    # chat.postMessage: messages a second per channel, with a short burst allowance.
    channel_rate: float = 1.0
    channel_burst: int = 3
    method_limits: Mapping[str, int] = field(default_factory=lambda: dict(METHOD_TIERS))
    # (id, name, the bot is a member)
    channels: tuple[tuple[str, str, bool], ...] = (
        ("C0GENERAL", "general", True),
        ("C0LEADS", "leads", True),
        ("C0CALLS", "calls", True),
        ("C0VIP", "vip-leads", True),
        ("C0RANDOM", "random", False),
    )
    # Archived channels: listed unless exclude_archived, refuse posts with is_archived.
    archived: tuple[str, ...] = ()
    hubwire_url: str | None = None  # Hubwire's /v1/connectors/slack root
    # Bot tokens known from the start (as if the app were installed already).
    static_tokens: tuple[str, ...] = ()
    clock: Callable[[], float] = time.time


def sign_request(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's request signature: ``v0=`` hex HMAC-SHA256 of ``v0:<timestamp>:<body>``."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackSandbox:
    """The workspace's state, in memory."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.hubwire_url = config.hubwire_url
        self.reset()

    def reset(self) -> None:
        self.codes: dict[str, tuple[str, tuple[str, ...]]] = {}  # code -> (redirect, scopes)
        # token -> its scopes; static tokens have every scope the app asks for.
        self.tokens: dict[str, tuple[str, ...]] = {t: ALL_SCOPES for t in self.config.static_tokens}
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.calls: dict[str, deque[float]] = defaultdict(deque)
        self.channel_allowance: dict[str, tuple[float, float]] = {}
        self.stats = {"requests": 0, "rate_limited": 0, "posted": 0, "updated": 0}
        self.sequence = 0

    def next_ts(self) -> str:
        self.sequence += 1
        return f"{int(self.config.clock())}.{self.sequence:06d}"

    def method_allowed(self, method: str) -> float | None:
        """None when the call fits its tier, else the seconds to wait."""
        limit = self.config.method_limits.get(method)
        if limit is None:
            return None
        now, calls = self.config.clock(), self.calls[method]
        while calls and calls[0] <= now - 60.0:
            calls.popleft()
        if len(calls) >= limit:
            return max(calls[0] + 60.0 - now, 1.0)
        calls.append(now)
        return None

    def channel_allowed(self, channel: str) -> float | None:
        """A token bucket per channel: ``channel_rate`` a second, ``channel_burst`` deep."""
        rate, burst = self.config.channel_rate, float(self.config.channel_burst)
        now = self.config.clock()
        tokens, at = self.channel_allowance.get(channel, (burst, now))
        tokens = min(burst, tokens + (now - at) * rate)
        if tokens < 1.0:
            self.channel_allowance[channel] = (tokens, now)
            return (1.0 - tokens) / rate
        self.channel_allowance[channel] = (tokens - 1.0, now)
        return None

    def find(self, channel: str, ts: str) -> dict[str, Any] | None:
        return next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)


def set_hubwire_url(app: FastAPI, webhook_url: str) -> None:
    """Points the sandbox's signed requests at Hubwire (given its inbound webhook URL, the
    Slack endpoints are next to it)."""
    app.state.sandbox.hubwire_url = webhook_url.rsplit("/", 1)[0]


def _ok(**body: Any) -> JSONResponse:
    return JSONResponse({"ok": True, **body})


def _fail(error: str, status: int = 200, **extra: Any) -> JSONResponse:
    # Slack refuses with HTTP 200 and ok: false; only rate limits use a status (429).
    return JSONResponse({"ok": False, "error": error, **extra}, status_code=status)


def create_sandbox(config: SandboxConfig | None = None) -> FastAPI:
    cfg = config or SandboxConfig()
    sandbox = SlackSandbox(cfg)
    app = FastAPI(title="Slack sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sandbox = sandbox
    known = {c[0]: c for c in cfg.channels}

    async def arguments(request: Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query_params)
        if request.method == "POST":
            kind = request.headers.get("content-type", "")
            if kind.startswith("application/json"):
                body = await request.json()
                if isinstance(body, dict):
                    args.update(body)
            else:
                args.update({k: str(v) for k, v in (await request.form()).items()})
        return args

    def token_of(request: Request, args: Mapping[str, Any]) -> str:
        header = request.headers.get("authorization", "")
        return header[7:] if header.lower().startswith("bearer ") else str(args.get("token", ""))

    @app.api_route("/api/{method}", methods=["GET", "POST"])
    async def web_api(method: str, request: Request) -> Response:
        args = await arguments(request)
        if method == "oauth.v2.access":
            return await oauth_access(request, args)
        token = token_of(request, args)
        if not token:
            return _fail("not_authed")
        if token not in sandbox.tokens:
            return _fail("invalid_auth")
        needed = METHOD_SCOPES.get(method)
        if needed is not None and needed not in sandbox.tokens[token]:
            return _fail("missing_scope", needed=needed, provided=",".join(sandbox.tokens[token]))
        sandbox.stats["requests"] += 1
        wait = sandbox.method_allowed(method)
        if wait is not None:
            sandbox.stats["rate_limited"] += 1
            return JSONResponse(
                {"ok": False, "error": "ratelimited"},
                status_code=429,
                headers={"Retry-After": str(int(wait + 0.999))},
            )
        if method == "auth.test":
            return _ok(
                url="https://hubwire-sandbox.slack.com/",
                team=TEAM_NAME,
                user="hubwire",
                team_id=TEAM_ID,
                user_id=BOT_USER,
                bot_id="B0HUBWIRE",
                is_enterprise_install=False,
            )
        if method == "conversations.list":
            return conversations_list(args)
        if method in ("chat.postMessage", "chat.update"):
            return post_or_update(method, args)
        return _fail("unknown_method", req_method=method)

    def conversations_list(args: Mapping[str, Any]) -> JSONResponse:
        try:
            limit = int(args.get("limit", 100))
        except (TypeError, ValueError):
            return _fail("invalid_limit")
        if not 1 <= limit <= 1000:
            return _fail("invalid_limit")
        types = {t for t in str(args.get("types") or "public_channel").split(",") if t}
        if not types <= {"public_channel", "private_channel", "mpim", "im"}:
            return _fail("invalid_types")
        listed = list(cfg.channels) if "public_channel" in types else []
        if str(args.get("exclude_archived", "")).lower() in ("true", "1"):
            listed = [c for c in listed if c[0] not in cfg.archived]
        start = 0
        if args.get("cursor"):
            # Slack's cursors are opaque base64 (``team:C…``: where the next page starts).
            try:
                after = base64.b64decode(str(args["cursor"]), validate=True).decode()
            except (ValueError, UnicodeDecodeError):
                return _fail("invalid_cursor")
            ids = [c[0] for c in listed]
            if not after.startswith("team:") or after[5:] not in ids:
                return _fail("invalid_cursor")
            start = ids.index(after[5:])
        page, rest = listed[start : start + limit], listed[start + limit :]
        following = base64.b64encode(f"team:{rest[0][0]}".encode()).decode() if rest else ""
        return _ok(
            channels=[
                {
                    "id": cid,
                    "name": name,
                    "is_channel": True,
                    "is_private": False,
                    "is_archived": cid in cfg.archived,
                    "is_member": member,
                    "num_members": 3,
                }
                for cid, name, member in page
            ],
            response_metadata={"next_cursor": following},
        )

    def blocks_problem(blocks: Any) -> bool:
        if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
            return True
        for block in blocks:
            if not isinstance(block, dict) or not isinstance(block.get("type"), str):
                return True
            text = block.get("text")
            long_section = (
                isinstance(text, dict) and len(str(text.get("text", ""))) > MAX_SECTION_TEXT
            )
            if block["type"] == "section" and long_section:
                return True
        return False

    def post_or_update(method: str, args: Mapping[str, Any]) -> JSONResponse:
        channel = str(args.get("channel", ""))
        if channel not in known:
            return _fail("channel_not_found")
        if channel in cfg.archived:
            return _fail("is_archived")
        if not known[channel][2]:
            return _fail("not_in_channel")
        blocks = args.get("blocks")
        if isinstance(blocks, str):
            try:
                blocks = json.loads(blocks)
            except ValueError:
                return _fail("invalid_blocks")
        if blocks is not None and blocks_problem(blocks):
            return _fail("invalid_blocks")
        text = str(args.get("text") or "")
        if not text and not blocks:
            return _fail("no_text")
        if len(text) > MAX_TEXT:
            return _fail("msg_too_long")
        if method == "chat.update":
            message = sandbox.find(channel, str(args.get("ts", "")))
            if message is None:
                return _fail("message_not_found")
            message.update(text=text, blocks=blocks or [], edited=True)
            sandbox.stats["updated"] += 1
            return _ok(channel=channel, ts=message["ts"], text=text, message=message)
        wait = sandbox.channel_allowed(channel)
        if wait is not None:
            sandbox.stats["rate_limited"] += 1
            return JSONResponse(
                {"ok": False, "error": "ratelimited"},
                status_code=429,
                headers={"Retry-After": str(max(int(wait + 0.999), 1))},
            )
        message = {
            "type": "message",
            "ts": sandbox.next_ts(),
            "user": BOT_USER,
            "text": text,
            "blocks": blocks or [],
            "edited": False,
        }
        sandbox.messages[channel].append(message)
        sandbox.stats["posted"] += 1
        return _ok(channel=channel, ts=message["ts"], message=message)

    # --- OAuth v2 --------------------------------------------------------------------------
    @app.get("/oauth/v2/authorize", response_class=HTMLResponse, name="slack_authorize")
    async def authorize(request: Request) -> HTMLResponse:
        q = request.query_params
        if q.get("client_id") != cfg.client_id or not q.get("redirect_uri"):
            return HTMLResponse("<h1>Invalid client_id or redirect_uri</h1>", status_code=400)
        fields = {k: q.get(k, "") for k in ("client_id", "redirect_uri", "scope", "state")}
        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(v, quote=True)}">'
            for k, v in fields.items()
        )
        action = html.escape(str(request.url_for("slack_decide")), quote=True)
        return HTMLResponse(
            "<!doctype html><html><head><title>Slack sandbox: install app</title></head>"
            f"<body><h1>Install on {TEAM_NAME}</h1><p>Scopes: "
            f"<code>{html.escape(fields['scope'])}</code></p>"
            f'<form method="post" action="{action}">{hidden}'
            '<button type="submit" name="decision" value="approve">Approve</button> '
            '<button type="submit" name="decision" value="deny">Deny</button>'
            "</form></body></html>"
        )

    @app.post("/oauth/v2/authorize", name="slack_decide")
    async def decide(request: Request) -> Response:
        form = await request.form()
        redirect_uri = str(form.get("redirect_uri", ""))
        if form.get("client_id") != cfg.client_id or not redirect_uri:
            return HTMLResponse("<h1>Invalid request</h1>", status_code=400)
        params: dict[str, str] = {}
        if form.get("decision") == "approve":
            code = secrets.token_hex(12)
            scopes = str(form.get("scope", "")).replace(" ", ",").split(",")
            sandbox.codes[code] = (redirect_uri, tuple(s for s in scopes if s in ALL_SCOPES))
            params["code"] = code
        else:
            params["error"] = "access_denied"
        if form.get("state"):
            params["state"] = str(form.get("state"))
        sep = "&" if "?" in redirect_uri else "?"
        return RedirectResponse(f"{redirect_uri}{sep}{urlencode(params)}", status_code=302)

    async def oauth_access(request: Request, args: Mapping[str, Any]) -> JSONResponse:
        client_id, client_secret = (
            str(args.get("client_id", "")),
            str(args.get("client_secret", "")),
        )
        basic = request.headers.get("authorization", "")
        if basic.lower().startswith("basic "):
            client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
        if client_id != cfg.client_id:
            return _fail("invalid_client_id")
        if client_secret != cfg.client_secret:
            return _fail("bad_client_secret")
        code = str(args.get("code", ""))
        issued = sandbox.codes.pop(code, None)
        if issued is None:
            return _fail("invalid_code")
        redirect_uri, scopes = issued
        if args.get("redirect_uri") and args.get("redirect_uri") != redirect_uri:
            return _fail("bad_redirect_uri")
        token = "xoxb-" + secrets.token_hex(16)
        sandbox.tokens[token] = scopes
        return _ok(
            access_token=token,
            token_type="bot",  # noqa: S106 - a token type
            scope=",".join(scopes),
            bot_user_id=BOT_USER,
            app_id="A0HUBWIRE",
            team={"name": TEAM_NAME, "id": TEAM_ID},
            enterprise=None,
            authed_user={"id": "U0ADMIN"},
            is_enterprise_install=False,
        )

    # --- admin: act as a Slack user ------------------------------------------------------
    async def send_signed(path: str, body: bytes, kind: str, spec: Mapping[str, Any]) -> Response:
        if not sandbox.hubwire_url:
            return JSONResponse({"error": "no Hubwire URL set (PUT /_sandbox/hubwire)"}, 409)
        timestamp = str(int(cfg.clock()) + int(spec.get("timestampOffset", 0)))
        secret = str(spec.get("signingSecret") or cfg.signing_secret)
        headers = {
            "content-type": kind,
            "x-slack-request-timestamp": timestamp,
            "x-slack-signature": sign_request(secret, timestamp, body),
        }
        async with httpx.AsyncClient(timeout=10) as client:
            answer = await client.post(
                f"{sandbox.hubwire_url}{path}", content=body, headers=headers
            )
        try:
            parsed: Any = answer.json()
        except ValueError:
            parsed = answer.text
        return JSONResponse({"status": answer.status_code, "body": parsed})

    @app.post("/_sandbox/click")
    async def click(request: Request) -> Response:
        """``{"channel", "ts", "actionId", "user"}``: presses a button of a message."""
        spec = await request.json()
        message = sandbox.find(str(spec.get("channel")), str(spec.get("ts")))
        if message is None:
            return JSONResponse({"error": "no such message"}, 404)
        button = next(
            (
                element
                for block in message["blocks"]
                if block.get("type") == "actions"
                for element in block.get("elements", [])
                if element.get("action_id") == spec.get("actionId")
            ),
            None,
        )
        if button is None:
            return JSONResponse({"error": "the message has no such button"}, 404)
        user = str(spec.get("user", "U0ADA"))
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM_ID, "domain": "hubwire-sandbox"},
            "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
            "api_app_id": "A0HUBWIRE",
            "container": {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": spec["channel"],
                "is_ephemeral": False,
            },
            "channel": {"id": spec["channel"]},
            "message": message,
            "trigger_id": secrets.token_hex(8),
            "response_url": "https://hooks.slack.com/actions/sandbox",
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": "hubwire_lead_actions",
                    "value": button.get("value"),
                    "action_ts": f"{cfg.clock():.6f}",
                }
            ],
        }
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await send_signed("/interactions", body, "application/x-www-form-urlencoded", spec)

    @app.post("/_sandbox/command")
    async def command(request: Request) -> Response:
        """``{"text": "lead ada@example.com", "user", "channel"}``: runs ``/hubwire``."""
        spec = await request.json()
        channel = str(spec.get("channel", "C0GENERAL"))
        user = str(spec.get("user", "U0ADA"))
        form = {
            "token": "deprecated-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "hubwire-sandbox",
            "channel_id": channel,
            "channel_name": known[channel][1] if channel in known else "directmessage",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/hubwire",
            "text": str(spec.get("text", "")),
            "api_app_id": "A0HUBWIRE",
            "is_enterprise_install": "false",
            "response_url": "https://hooks.slack.com/commands/sandbox",
            "trigger_id": secrets.token_hex(8),
        }
        return await send_signed(
            "/commands", urlencode(form).encode(), "application/x-www-form-urlencoded", spec
        )

    @app.put("/_sandbox/hubwire")
    async def hubwire(request: Request) -> Response:
        sandbox.hubwire_url = str((await request.json())["url"]).rstrip("/")
        return Response(status_code=204)

    @app.get("/_sandbox/channels/{channel}/messages")
    async def messages(channel: str) -> JSONResponse:
        return JSONResponse({"messages": sandbox.messages.get(channel, [])})

    @app.get("/_sandbox/channels/{channel}", response_class=HTMLResponse)
    async def channel_page(channel: str) -> HTMLResponse:
        items = []
        for message in sandbox.messages.get(channel, []):
            lines = [
                html.escape(block["text"]["text"])
                for block in message["blocks"]
                if isinstance(block.get("text"), dict)
            ] + [
                html.escape(f["text"])
                for block in message["blocks"]
                for f in block.get("fields", [])
            ]
            edited = " <em>(edited)</em>" if message["edited"] else ""
            items.append(
                f"<li><small>{message['ts']}</small>{edited}<pre>"
                + "\n".join(lines or [html.escape(message["text"])])
                + "</pre></li>"
            )
        names = " ".join(f'<a href="{c[0]}">#{html.escape(c[1])}</a>' for c in cfg.channels)
        return HTMLResponse(
            f"<!doctype html><html><head><title>#{html.escape(channel)}</title></head><body>"
            f"<p>{names}</p><h1>{html.escape(channel)}</h1><ol>{''.join(items)}</ol>"
            "</body></html>"
        )

    @app.get("/_sandbox/stats")
    async def stats() -> JSONResponse:
        return JSONResponse(sandbox.stats)

    @app.post("/_sandbox/reset")
    async def reset() -> Response:
        sandbox.reset()
        return Response(status_code=204)

    return app

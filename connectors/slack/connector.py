"""The Slack connector (docs/connectors/slack.md).

It talks to Slack through the official ``slack-sdk`` (``AsyncWebClient``). Every Web API
call is preceded by ``connection.before_call()`` (the engine's budget for the connection);
a ``ratelimited`` answer (HTTP 429) is waited out for its ``Retry-After`` and tried again,
and past ``MAX_RATE_WAIT_SECONDS`` handed to the engine as ``ProviderRateLimited`` (the
items stay pending and are retried, nothing is dropped)."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from connectors.kit import (
    AuthFailed,
    CheckResult,
    ConnectionContext,
    Connector,
    ConnectorError,
    Direction,
    Manifest,
    OAuth2Auth,
    ObjectSpec,
    ProviderRateLimited,
    PushOutcome,
    PushResult,
    RateLimit,
    Record,
    Sandbox,
)
from connectors.slack import blocks
from connectors.slack.refs import MessageRefs, decode
from connectors.slack.rules import parse_settings, settings_problems

API_ROOT = "https://slack.com/api/"
SCOPES = ("chat:write", "channels:read", "commands")
LEAD_CARD = "lead_card"
CALL_CARD = "call_card"
# A `ratelimited` answer is waited out (Retry-After) up to this long in all per call;
# past it the engine retries the items later.
MAX_RATE_WAIT_SECONDS = 30.0
# Errors that mean the token no longer works: the user must reconnect.
AUTH_ERRORS = frozenset(
    {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}
)
# A message that is gone: the next event posts a new card instead of updating it.
GONE_ERRORS = frozenset({"message_not_found", "cant_update_message", "channel_not_found"})
TIMESTAMP_HEADER = "x-slack-request-timestamp"
SIGNATURE_HEADER = "x-slack-signature"

MANIFEST = Manifest(
    slug="slack",
    title="Slack",
    description="Lead and call cards in Slack channels, by rules; buttons act on the lead.",
    auth=OAuth2Auth(
        authorize_url="https://slack.com/oauth/v2/authorize",
        token_url="https://slack.com/api/oauth.v2.access",  # noqa: S106 - a URL
        scopes=SCOPES,
    ),
    events=("lead.*", "call.ended", "call.transcribed"),
    objects=(
        ObjectSpec(
            LEAD_CARD,
            Direction.PUSH,
            "A lead's card in the channels its rules name, updated in place.",
            hub_object="lead",
            events=("lead.*",),
            batch_size=100,
            notify=True,
        ),
        ObjectSpec(
            CALL_CARD,
            Direction.PUSH,
            "A finished call's card (duration, outcome, summary).",
            hub_object="call",
            events=("call.ended", "call.transcribed"),
            batch_size=100,
            notify=True,
        ),
    ),
    # chat.update is Tier 3 (50+ a minute); chat.postMessage about one a second per channel.
    rate_limits=(RateLimit(requests=50, window_seconds=60, per="connection"),),
)


class ChannelWindow:
    """Cards posted per (connection, channel) in the last minute, in this process: past the
    connection's ``digestAfter`` the rest of a burst goes into a digest."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.sent: dict[tuple[str, str], deque[float]] = defaultdict(deque)

    def take(self, connection_id: str, channel: str, limit: int) -> bool:
        now = self.clock()
        sent = self.sent[(connection_id, channel)]
        while sent and sent[0] <= now - 60.0:
            sent.popleft()
        if len(sent) >= limit:
            return False
        sent.append(now)
        return True


def _error(exc: SlackApiError) -> str:
    return str(exc.response.get("error") or "unknown_error")


def _retry_after(exc: SlackApiError) -> float | None:
    if exc.response.status_code != 429:
        return None
    value = (exc.response.headers or {}).get("Retry-After") or (exc.response.headers or {}).get(
        "retry-after"
    )
    try:
        return max(float(value), 0.0) if value is not None else 1.0
    except (TypeError, ValueError):
        return 1.0


class SlackConnector(Connector):
    manifest = MANIFEST

    def __init__(self) -> None:
        self.window = ChannelWindow()

    # --- the Web API ---------------------------------------------------------------------

    def client(self, connection: ConnectionContext) -> AsyncWebClient:
        base = connection.base_url.rstrip("/") + "/api/" if connection.base_url else API_ROOT
        return AsyncWebClient(
            token=connection.credential("access_token"),
            base_url=base,
            timeout=int(connection.timeout),
        )

    async def call(
        self,
        connection: ConnectionContext,
        method: Callable[..., Awaitable[AsyncSlackResponse]],
        **kwargs: Any,
    ) -> AsyncSlackResponse:
        """One Web API call through the budget; ``ratelimited`` waited out (Retry-After)."""
        waited = 0.0
        while True:
            await connection.before_call()
            try:
                return await method(**kwargs)
            except SlackApiError as exc:
                retry_after = _retry_after(exc)
                if retry_after is None:
                    if _error(exc) in AUTH_ERRORS:
                        raise AuthFailed(f"Slack refused the token: {_error(exc)}") from exc
                    raise
                if waited + retry_after > MAX_RATE_WAIT_SECONDS:
                    raise ProviderRateLimited(
                        "Slack answered ratelimited", retry_after=retry_after
                    ) from exc
                waited += retry_after
                await asyncio.sleep(retry_after)
            except (TimeoutError, OSError, aiohttp.ClientError) as exc:
                raise ConnectorError(f"Slack did not answer: {exc}") from exc

    # --- operations ----------------------------------------------------------------------

    async def check(self, connection: ConnectionContext) -> CheckResult:
        try:
            found = await self.call(connection, self.client(connection).auth_test)
        except AuthFailed as exc:
            return CheckResult(ok=False, detail=str(exc))
        except SlackApiError as exc:
            return CheckResult(ok=False, detail=f"auth.test failed: {_error(exc)}")
        return CheckResult(
            ok=True,
            account=str(found["team_id"]),
            detail=f"workspace {found.get('team')} as {found.get('user')}",
        )

    async def channels(self, connection: ConnectionContext) -> list[dict[str, Any]]:
        """The public channels the token sees (``conversations.list``, every page), for
        choosing rule targets: ``{"id", "name", "isMember"}``."""
        client = self.client(connection)
        found: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            page = await self.call(
                connection,
                client.conversations_list,
                types="public_channel",
                exclude_archived=True,
                limit=200,
                **({"cursor": cursor} if cursor else {}),
            )
            listed: list[dict[str, Any]] = page.get("channels", [])
            for channel in listed:
                found.append(
                    {
                        "id": channel["id"],
                        "name": channel.get("name"),
                        "isMember": bool(channel.get("is_member")),
                    }
                )
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return found

    def settings_problems(self, settings: Mapping[str, Any]) -> list[str]:
        return settings_problems(settings)

    async def push(
        self, connection: ConnectionContext, object_type: str, records: Sequence[Record]
    ) -> PushResult:
        if settings_problems(connection.settings):
            raise ConnectorError("the connection's Slack settings are invalid")
        settings = parse_settings(connection.settings)
        client = self.client(connection)
        kind = "lead" if object_type == LEAD_CARD else "call"
        refs = [decode(r.hubwire_id or "", r.external_id) for r in records]
        errors: list[str | None] = [None] * len(records)
        overflow: dict[str, list[int]] = defaultdict(list)
        for index, record in enumerate(records):
            text, card = self.render(kind, record, refs[index])
            problems: list[str] = []
            for channel, ts in list(refs[index].cards.items()):
                try:
                    await self.call(
                        connection,
                        client.chat_update,
                        channel=channel,
                        ts=ts,
                        text=text,
                        blocks=card,
                    )
                except SlackApiError as exc:
                    if _error(exc) not in GONE_ERRORS:
                        problems.append(f"{channel}: {_error(exc)}")
                    else:
                        del refs[index].cards[channel]
            for channel in settings.channels_for(record.events, record.fields):
                if channel in refs[index].cards:
                    continue
                if not self.window.take(connection.connection_id, channel, settings.digest_after):
                    overflow[channel].append(index)
                    continue
                try:
                    posted = await self.call(
                        connection,
                        client.chat_postMessage,
                        channel=channel,
                        text=text,
                        blocks=card,
                        unfurl_links=False,
                    )
                except SlackApiError as exc:
                    problems.append(f"{channel}: {_error(exc)}")
                    continue
                refs[index].cards[channel] = str(posted["ts"])
                refs[index].digests.pop(channel, None)
            if problems and not refs[index].cards:
                errors[index] = "Slack refused the message: " + "; ".join(problems)
        for channel, indexes in overflow.items():
            text, listing = blocks.digest(kind, [records[i].fields for i in indexes])
            try:
                posted = await self.call(
                    connection,
                    client.chat_postMessage,
                    channel=channel,
                    text=text,
                    blocks=listing,
                    unfurl_links=False,
                )
            except SlackApiError as exc:
                for i in indexes:
                    errors[i] = errors[i] or f"Slack refused the digest: {channel}: {_error(exc)}"
                continue
            for i in indexes:
                refs[i].digests[channel] = str(posted["ts"])
        return PushResult(
            tuple(
                PushOutcome(record.hubwire_id, None, error)
                if error is not None
                else PushOutcome(record.hubwire_id, ref.encode())
                for record, ref, error in zip(records, refs, errors, strict=True)
            )
        )

    @staticmethod
    def render(kind: str, record: Record, refs: MessageRefs) -> tuple[str, list[dict[str, Any]]]:
        if kind == "lead":
            overdue = "lead.response_overdue" in record.events
            return blocks.lead_text(record.fields), blocks.lead_card(
                record.hubwire_id or "", record.fields, refs.acted, overdue=overdue
            )
        return blocks.call_text(record.fields), blocks.call_card(record.fields)

    def verify_request(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        """Slack's request signing: ``X-Slack-Signature`` ``v0=`` HMAC-SHA256 of
        ``v0:<timestamp>:<body>`` with the app's signing secret, the timestamp within five
        minutes of now (the SDK's ``SignatureVerifier``)."""
        lowered = {k.lower(): v for k, v in headers.items()}
        timestamp, signature = lowered.get(TIMESTAMP_HEADER, ""), lowered.get(SIGNATURE_HEADER)
        if not timestamp.isdigit() or not signature:
            return False
        return SignatureVerifier(secret).is_valid(body, timestamp, signature)

    def sandbox(self) -> Sandbox:
        # Imported here: the sandbox (FastAPI app) loads only where it is mounted.
        from connectors.slack.sandbox import (
            DEFAULT_CLIENT_ID,
            DEFAULT_CLIENT_SECRET,
            DEFAULT_SIGNING_SECRET,
            create_sandbox,
            set_hubwire_url,
        )

        return Sandbox(
            create_app=create_sandbox,
            client_id=DEFAULT_CLIENT_ID,
            client_secret=DEFAULT_CLIENT_SECRET,
            set_webhook_target=set_hubwire_url,
            signing_secret=DEFAULT_SIGNING_SECRET,
        )

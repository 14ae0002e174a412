"""Signing and sending ONE webhook message (Standard Webhooks); used by the delivery engine
and by ``POST /v1/webhooks/{id}/test``.

One :class:`WebhookSender` owns one :class:`~core.webhooks.client.KeepAliveClient`, which
keeps connections alive per receiver; the engine keeps one per worker process."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from standardwebhooks.webhooks import Webhook as Signer

from core.database import utcnow
from core.settings import Settings
from core.webhooks.addresses import AddressPolicy
from core.webhooks.client import (
    BlockedAddress,
    Disconnected,
    InvalidAnswer,
    KeepAliveClient,
    Target,
    check_field,
)
from core.webhooks.retry import honours_retry_after, is_success, parse_retry_after

USER_AGENT = "Hubwire-Webhooks/1"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a format prefix, not a secret
# A receiver's answer is read up to this much (so a kept-alive connection can be reused);
# its first RESPONSE_EXCERPT_BYTES are kept with the attempt, for the delivery log.
MAX_RESPONSE_READ = 64 * 1024
RESPONSE_EXCERPT_BYTES = 1024
MAX_ERROR_LENGTH = 500
# The header lines every message carries alike.
FIXED_FIELDS = f"Content-Type: application/json\r\nUser-Agent: {USER_AGENT}\r\n"


def new_signing_secret() -> str:
    """``whsec_`` + base64 of 24 random bytes: what every Standard Webhooks library takes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


# Message and Outcome are made once per try: plain slotted classes, not frozen ones (a frozen
# dataclass sets each field through object.__setattr__, 5x the cost; treat them as read-only).
@dataclass(slots=True)
class Message:
    id: str  # the `webhook-id`: the delivery id, stable across retries
    url: str
    payload: str  # the exact body, signed as is
    event_type: str
    attempt: int
    secrets: Sequence[str]  # one signature per secret (two during a rotation's overlap)
    timeout: float


@dataclass(slots=True)
class Outcome:
    status_code: int | None
    error: str | None
    latency_ms: int
    attempted_at: datetime
    # Seconds the receiver asked us to wait (429/503 with Retry-After).
    retry_after: float | None = None
    # The start of the receiver's answer as text (None: it sent no body).
    response_body: str | None = None

    @property
    def success(self) -> bool:
        return is_success(self.status_code)

    @property
    def unreachable(self) -> bool:
        """No answer at all (a timeout, a refused or failed connection): what the circuit
        breaker counts. An answer of any status means the endpoint is there."""
        return self.status_code is None


class Signatures:
    """Standard Webhooks signatures (``v1,<base64 HMAC-SHA256>`` of ``id.timestamp.body``),
    with each secret decoded and its HMAC key schedule computed once: a signature copies the
    keyed state and hashes the message only. The secret is decoded by the Standard Webhooks
    library itself, so what it accepts and refuses is unchanged."""

    def __init__(self) -> None:
        self._macs: dict[str, hmac.HMAC] = {}

    def header(self, message_id: str, timestamp: int, body: bytes, keys: Sequence[str]) -> str:
        """``v1,<sig>`` per secret, space-separated, as the Standard Webhooks spec allows."""
        signed = f"{message_id}.{timestamp}.".encode()
        out = []
        for key in keys:
            mac = self._macs.get(key)
            if mac is None:
                mac = self._keyed(key)
            one = mac.copy()
            one.update(signed)
            one.update(body)
            out.append("v1," + base64.b64encode(one.digest()).decode())
        return " ".join(out)

    def _keyed(self, key: str) -> hmac.HMAC:
        if len(self._macs) > 10_000:
            self._macs.clear()
        mac = self._macs[key] = hmac.new(Signer(key)._whsecret, digestmod=hashlib.sha256)
        return mac


def response_excerpt(answer: bytes) -> str:
    """The first RESPONSE_EXCERPT_BYTES of an answer as text, undecodable bytes and NULs
    replaced (PostgreSQL's text refuses NUL, and one refused row would fail the recorder's
    whole batch); a character cut in half by the limit is dropped, "…" says there was more."""
    head = answer[:RESPONSE_EXCERPT_BYTES]
    text = head.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
    if len(answer) > RESPONSE_EXCERPT_BYTES:
        text = text.rstrip("\ufffd") + "…"
    return text


def _short(text: str) -> str:
    return text if len(text) <= MAX_ERROR_LENGTH else text[: MAX_ERROR_LENGTH - 1] + "…"


class WebhookSender:
    """Signs and sends messages over one :class:`KeepAliveClient`, at most ``concurrency``
    at once."""

    def __init__(self, *, policy: AddressPolicy, concurrency: int) -> None:
        self.client = KeepAliveClient(policy, idle_most=concurrency)
        # The timeout of an attempt starts when it is sent, not while it queues for a slot.
        self._slots = asyncio.Semaphore(concurrency)
        # Per URL: parsed once (or why it cannot be sent to).
        self._targets: dict[str, Target | str] = {}
        self.signatures = Signatures()

    @classmethod
    def from_settings(cls, settings: Settings, *, concurrency: int | None = None) -> WebhookSender:
        policy = AddressPolicy(
            allow_private=settings.webhook_allow_private,
            allowed_networks=settings.webhook_allowed_networks,
        )
        return cls(policy=policy, concurrency=concurrency or settings.webhook_concurrency)

    async def send(self, message: Message) -> Outcome:
        async with self._slots:
            return await self._send(message)

    async def _send(self, message: Message) -> Outcome:
        attempted_at = utcnow()
        started = time.perf_counter()
        status: int | None = None
        error: str | None = None
        retry_after: float | None = None
        excerpt: str | None = None
        target = self._targets.get(message.url)
        if target is None:
            target = self._target(message.url)
        if isinstance(target, str):
            error = target
        else:
            body = message.payload.encode()
            stamp = int(attempted_at.timestamp())
            signature = self.signatures.header(message.id, stamp, body, message.secrets)
            try:
                fields = (
                    f"webhook-id: {check_field(message.id)}\r\n"
                    f"webhook-timestamp: {stamp}\r\n"
                    f"webhook-signature: {signature}\r\n"
                    f"X-Hubwire-Event: {check_field(message.event_type)}\r\n"
                    f"X-Webhook-Attempt: {message.attempt}\r\n"
                    f"{FIXED_FIELDS}"
                    f"Content-Length: {len(body)}\r\n\r\n"
                ).encode()
                async with asyncio.timeout(message.timeout):
                    answer = await self.client.post(
                        target, fields, body, read_limit=MAX_RESPONSE_READ
                    )
            except TimeoutError:
                error = f"Timed out after {message.timeout:g} s."
            except (BlockedAddress, Disconnected, InvalidAnswer) as exc:
                error = str(exc)  # each says what happened in its own words
            except OSError as exc:
                error = f"Connection failed: {exc.strerror or exc}"
            except ValueError as exc:
                error = f"{type(exc).__name__}: {exc}"
            else:
                status = answer.status
                if answer.body:
                    excerpt = response_excerpt(answer.body)
                if honours_retry_after(status):
                    retry_after = parse_retry_after(answer.retry_after)
                if not is_success(status):
                    error = f"HTTP {status}"
        latency = int((time.perf_counter() - started) * 1000)
        return Outcome(status, error and _short(error), latency, attempted_at, retry_after, excerpt)

    def _target(self, url: str) -> Target | str:
        """The parsed URL, or why it cannot be sent to (not an absolute http(s) URL). Which
        addresses it may reach is the client's check, when it opens a connection."""
        if len(self._targets) > 10_000:
            self._targets.clear()
        target: Target | str
        try:
            target = Target.parse(url)
        except ValueError as exc:
            target = f"Invalid URL: {exc}"
        self._targets[url] = target
        return target

    async def close(self) -> None:
        await self.client.close()

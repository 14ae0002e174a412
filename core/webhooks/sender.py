"""Signing and sending ONE webhook message (Standard Webhooks); used by the delivery engine
and by ``POST /v1/webhooks/{id}/test``.

One :class:`WebhookSender` owns one ``aiohttp.ClientSession`` whose connector keeps
connections alive per receiver; the engine keeps one per worker process."""

from __future__ import annotations

import asyncio
import base64
import errno
import hashlib
import hmac
import secrets
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from standardwebhooks.webhooks import Webhook as Signer
from yarl import URL

from core.database import utcnow
from core.settings import Settings
from core.webhooks.addresses import AddressPolicy, ip_literal
from core.webhooks.retry import honours_retry_after, is_success, parse_retry_after

USER_AGENT = "Hubwire-Webhooks/1"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a format prefix, not a secret
# A receiver's answer is read up to this much (so a kept-alive connection can be reused);
# its first RESPONSE_EXCERPT_BYTES are kept with the attempt, for the delivery log.
MAX_RESPONSE_READ = 64 * 1024
RESPONSE_EXCERPT_BYTES = 1024
MAX_ERROR_LENGTH = 500


def new_signing_secret() -> str:
    """``whsec_`` + base64 of 24 random bytes: what every Standard Webhooks library takes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


class BlockedAddress(OSError):
    """Raised by the resolver when a host resolves to an address the policy refuses."""

    def __init__(self, message: str) -> None:
        super().__init__(errno.EACCES, message)


class GuardedResolver(AbstractResolver):
    """Resolves, then refuses the connection when any resolved address is not allowed.
    aiohttp skips resolvers for IP literals; :meth:`WebhookSender.send` checks those."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self._inner = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        refusal = self.policy.refusal(f"//{host}", [r["host"] for r in results])
        if refusal is not None:
            raise BlockedAddress(refusal)
        return results

    async def close(self) -> None:
        await self._inner.close()


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
    def __init__(self, *, policy: AddressPolicy, concurrency: int) -> None:
        self.policy = policy
        connector = aiohttp.TCPConnector(
            limit=concurrency, limit_per_host=concurrency, resolver=GuardedResolver(policy)
        )
        self.session = aiohttp.ClientSession(
            connector=connector,
            # Receivers are strangers to each other: no shared cookies, no proxy from env.
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
            auto_decompress=False,
        )
        # The timeout of an attempt starts when it is sent, not while it queues for a slot.
        self._slots = asyncio.Semaphore(concurrency)
        # Per URL: parsed once, and its IP-literal check (see _target).
        self._targets: dict[str, tuple[URL, str | None]] = {}
        self._timeouts: dict[float, aiohttp.ClientTimeout] = {}
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
        url, refusal = target
        if refusal is not None:
            error = refusal
        else:
            timeout = self._timeouts.get(message.timeout)
            if timeout is None:
                timeout = self._timeouts[message.timeout] = aiohttp.ClientTimeout(
                    total=message.timeout
                )
            body = message.payload.encode()
            stamp = int(attempted_at.timestamp())
            headers = {
                "webhook-id": message.id,
                "webhook-timestamp": str(stamp),
                "webhook-signature": self.signatures.header(
                    message.id, stamp, body, message.secrets
                ),
                "X-Hubwire-Event": message.event_type,
                "X-Webhook-Attempt": str(message.attempt),
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            }
            try:
                async with self.session.post(
                    url,
                    data=body,
                    headers=headers,
                    timeout=timeout,
                    allow_redirects=False,
                ) as response:
                    answer = await response.content.read(MAX_RESPONSE_READ)
                    status = response.status
                    if answer:
                        excerpt = response_excerpt(answer)
                    if honours_retry_after(status):
                        retry_after = parse_retry_after(response.headers.get("Retry-After"))
            except TimeoutError:
                error = f"Timed out after {message.timeout:g} s."
            except aiohttp.ClientConnectorError as exc:
                if isinstance(exc.os_error, BlockedAddress):
                    error = exc.os_error.strerror
                else:
                    error = f"Connection failed: {exc.os_error.strerror or exc}"
            except (aiohttp.ClientError, OSError, ValueError) as exc:
                error = f"{type(exc).__name__}: {exc}"
            else:
                if not is_success(status):
                    error = f"HTTP {status}"
        latency = int((time.perf_counter() - started) * 1000)
        return Outcome(status, error and _short(error), latency, attempted_at, retry_after, excerpt)

    def _target(self, url: str) -> tuple[URL, str | None]:
        """The parsed URL, and the SSRF refusal of an IP-literal host (None: allowed);
        named hosts are checked by the resolver, whose answers aiohttp caches briefly."""
        if len(self._targets) > 10_000:
            self._targets.clear()
        target = self._targets[url] = (URL(url), self._literal_refusal(url))
        return target

    def _literal_refusal(self, url: str) -> str | None:
        host = urlsplit(url).hostname or ""
        literal = ip_literal(host)
        if literal is not None and not self.policy.allows(literal):
            return self.policy.refusal(url, [str(literal)])
        return None

    async def close(self) -> None:
        await self.session.close()

"""Calendly's webhook signature, ``Calendly-Webhook-Signature: t=<unix seconds>,v1=<hex>``:
HMAC-SHA256 of ``"<t>.<raw body>"`` with the webhook signing key. The connector verifies
with it and the sandbox signs with it (one implementation of the scheme)."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "calendly-webhook-signature"
# Calendly's guidance: refuse a signature older than three minutes (replays); a timestamp
# as far in the future is as suspect.
TOLERANCE_SECONDS = 180


def sign(body: bytes, key: str, timestamp: int) -> str:
    """The header value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(key.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(
    header: str | None,
    body: bytes,
    key: str,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """Whether ``header`` signs ``body`` with ``key`` within ``tolerance`` seconds of now."""
    if not header or not key:
        return False
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        parts.setdefault(name, []).append(value)
    stamps = parts.get("t", [])
    if len(stamps) != 1 or not stamps[0].isdigit():
        return False
    timestamp = int(stamps[0])
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = sign(body, key, timestamp).partition(",v1=")[2]
    return any(hmac.compare_digest(expected, given) for given in parts.get("v1", []))

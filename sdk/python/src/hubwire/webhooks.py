"""Verifying Hubwire's webhooks in a receiver (the Standard Webhooks scheme).

    from hubwire import webhooks
    event = webhooks.verify(request.body, request.headers, secret="whsec_...")

The signature is ``v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">``
keyed with the base64 part of the ``whsec_`` secret; any Standard Webhooks signer's
messages verify here, and this module's :func:`sign` verifies with any Standard Webhooks
library."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

from ._errors import WebhookVerificationError

DEFAULT_TOLERANCE = 300  # seconds either side of now
_PREFIX = "whsec_"


def _key(secret: str) -> bytes:
    raw = secret.removeprefix(_PREFIX)
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WebhookVerificationError("the secret is not a whsec_<base64> secret") from exc


def _as_bytes(payload: bytes | bytearray | str) -> bytes:
    return payload.encode() if isinstance(payload, str) else bytes(payload)


def sign(msg_id: str, timestamp: int, payload: bytes | bytearray | str, secret: str) -> str:
    """The ``webhook-signature`` value for a message (``v1,<base64>``)."""
    content = f"{msg_id}.{timestamp}.".encode() + _as_bytes(payload)
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return f"v1,{base64.b64encode(digest).decode()}"


def verify(
    payload: bytes | bytearray | str,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> Any:
    """Checks a delivery's signature and timestamp; returns the parsed JSON event.

    ``payload`` must be the raw request body, byte for byte. ``headers`` is any mapping of
    the request's headers (names in any case). Raises :class:`WebhookVerificationError`."""
    lowered = {k.lower(): v for k, v in headers.items()}
    msg_id = lowered.get("webhook-id")
    timestamp = lowered.get("webhook-timestamp")
    signatures = lowered.get("webhook-signature")
    if not msg_id or not timestamp or not signatures:
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or signature")
    try:
        sent_at = int(timestamp)
    except ValueError as exc:
        raise WebhookVerificationError("webhook-timestamp is not a Unix time") from exc
    current = time.time() if now is None else now
    if sent_at < current - tolerance:
        raise WebhookVerificationError("the message is too old")
    if sent_at > current + tolerance:
        raise WebhookVerificationError("the message timestamp is in the future")
    body = _as_bytes(payload)
    expected = sign(msg_id, sent_at, body, secret).split(",", 1)[1]
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            try:
                return json.loads(body)
            except ValueError as exc:
                raise WebhookVerificationError("the body is not JSON") from exc
    raise WebhookVerificationError("no matching signature")

"""HubSpot's v3 request signature (``X-HubSpot-Signature-v3``).

The signature is ``base64(HMAC-SHA256(client_secret, method + uri + body + timestamp))``
where ``timestamp`` is the ``X-HubSpot-Request-Timestamp`` header (milliseconds since the
epoch). Receivers must reject timestamps older than five minutes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from connectors.hubspot.uri import signed_uri

MAX_AGE_MS = 5 * 60 * 1000


def sign_v3(client_secret: str, method: str, uri: str, body: bytes | str, timestamp: str) -> str:
    """Returns the ``X-HubSpot-Signature-v3`` value for one request."""
    raw = body.decode() if isinstance(body, bytes) else body
    message = f"{method.upper()}{signed_uri(uri)}{raw}{timestamp}".encode()
    digest = hmac.new(client_secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def sign_v1(client_secret: str, body: bytes | str) -> str:
    """Returns the ``X-HubSpot-Signature`` value (v1): hex SHA-256 of the client secret
    followed by the body, which HubSpot sends beside the v3 signature."""
    raw = body.decode() if isinstance(body, bytes) else body
    return hashlib.sha256(f"{client_secret}{raw}".encode()).hexdigest()


def verify_v3(
    client_secret: str,
    method: str,
    uri: str,
    body: bytes | str,
    signature: str,
    timestamp: str,
    *,
    now_ms: int | None = None,
    max_age_ms: int = MAX_AGE_MS,
) -> bool:
    """True when ``signature`` is valid for the request and ``timestamp`` is fresh."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    current = int(time.time() * 1000) if now_ms is None else now_ms
    if current - sent > max_age_ms:
        return False
    expected = sign_v3(client_secret, method, uri, body, timestamp)
    return hmac.compare_digest(expected, signature)

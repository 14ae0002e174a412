"""The Stripe sandbox's settings: Hubwire's Connect platform (client id, secret key), the
connected account, the Connect webhook endpoint's signing secret and the rate limit."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

DEFAULT_CLIENT_ID = "ca_hubwiresandbox0000000000000000"
# Stripe Connect's token endpoint authenticates the platform with its secret key.
DEFAULT_CLIENT_SECRET = "sk_test_hubwire_platform_sandbox"  # noqa: S105 - a sandbox key
DEFAULT_SIGNING_SECRET = "whsec_hubwire_sandbox_connect_endpoint"  # noqa: S105 - sandbox
DEFAULT_ACCOUNT_ID = "acct_1SandboxCoffee00"
WEBHOOK_EVENTS = (
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "charge.refunded",
    "checkout.session.completed",
)


@dataclass(frozen=True)
class SandboxConfig:
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    signing_secret: str = DEFAULT_SIGNING_SECRET
    account_id: str = DEFAULT_ACCOUNT_ID
    redirect_uris: tuple[str, ...] = ()
    # Connect webhook endpoints the platform has at start (URLs), for WEBHOOK_EVENTS.
    endpoints: tuple[str, ...] = ()
    endpoint_events: tuple[str, ...] = WEBHOOK_EVENTS
    # Access tokens accepted without consent (tests of the connector alone).
    static_tokens: tuple[str, ...] = ()
    # Stripe allows 25 operations a second in test mode (100 live).
    rate_limit: int = 25
    rate_window: float = 1.0
    deliver_webhooks: bool = True
    webhook_timeout: float = 10.0
    clock: Callable[[], float] = field(default=time.time)

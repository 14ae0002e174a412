"""The Stripe sandbox (docs/connectors/stripe.md, "Sandbox fidelity")."""

from connectors.stripe.sandbox.app import create_sandbox, set_webhook_target
from connectors.stripe.sandbox.config import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_SIGNING_SECRET,
    WEBHOOK_EVENTS,
    SandboxConfig,
)

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_SIGNING_SECRET",
    "WEBHOOK_EVENTS",
    "SandboxConfig",
    "create_sandbox",
    "set_webhook_target",
]

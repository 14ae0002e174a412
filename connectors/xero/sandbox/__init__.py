"""The Xero sandbox (docs/connectors/xero.md, "Sandbox fidelity")."""

from connectors.xero.sandbox.app import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_WEBHOOK_KEY,
    SandboxConfig,
    create_sandbox,
    set_webhook_target,
)

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_WEBHOOK_KEY",
    "SandboxConfig",
    "create_sandbox",
    "set_webhook_target",
]

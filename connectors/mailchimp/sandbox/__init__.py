"""A local fake of the Mailchimp Marketing API parts Hubwire uses
(docs/connectors/mailchimp.md).

``create_sandbox(SandboxConfig(...))`` returns a FastAPI app; ``app.state.sandbox.store`` is
the in-memory account tests inspect; ``/_sandbox/*`` acts as subscribers."""

from connectors.mailchimp.sandbox.app import Sandbox, create_sandbox
from connectors.mailchimp.sandbox.config import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxConfig,
)
from connectors.mailchimp.sandbox.store import subscriber_hash

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "Sandbox",
    "SandboxConfig",
    "create_sandbox",
    "subscriber_hash",
]

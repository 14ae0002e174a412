"""A local fake of the Calendly API parts Hubwire uses (docs/connectors/calendly.md).

``create_sandbox(SandboxConfig(...))`` returns a FastAPI app; ``app.state.sandbox.store`` is
the in-memory account tests inspect; ``/_sandbox/*`` acts as invitees booking."""

from connectors.calendly.sandbox.app import Sandbox, create_sandbox
from connectors.calendly.sandbox.config import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_SIGNING_KEY,
    SandboxConfig,
)

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_SIGNING_KEY",
    "Sandbox",
    "SandboxConfig",
    "create_sandbox",
]

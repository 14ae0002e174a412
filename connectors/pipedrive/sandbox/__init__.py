"""A local fake of the Pipedrive API parts Hubwire uses (docs/connectors/pipedrive.md).

``create_sandbox(SandboxConfig(...))`` returns a FastAPI app; ``app.state.sandbox.store`` is
the in-memory company tests inspect; ``/_sandbox/*`` acts as a salesperson in Pipedrive."""

from connectors.pipedrive.sandbox.app import Sandbox, create_sandbox
from connectors.pipedrive.sandbox.config import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxConfig,
)

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "Sandbox",
    "SandboxConfig",
    "create_sandbox",
]

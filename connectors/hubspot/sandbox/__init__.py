"""A local fake of the HubSpot API parts Hubwire uses (docs/connectors/hubspot.md).

``create_sandbox(SandboxConfig(...))`` returns a FastAPI app; ``app.state.sandbox.store`` is
the in-memory account tests inspect; ``verify_v3`` checks its webhook signatures."""

from connectors.hubspot.sandbox.app import Sandbox, create_sandbox
from connectors.hubspot.sandbox.config import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    OAuthApp,
    SandboxConfig,
)
from connectors.hubspot.sandbox.signature import sign_v3, verify_v3
from connectors.hubspot.sandbox.store import Store

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "OAuthApp",
    "Sandbox",
    "SandboxConfig",
    "Store",
    "create_sandbox",
    "sign_v3",
    "verify_v3",
]

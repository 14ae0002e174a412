"""A local fake of the Salesforce API parts Hubwire uses (docs/connectors/salesforce.md)."""

from connectors.salesforce.sandbox.app import Sandbox, create_sandbox
from connectors.salesforce.sandbox.config import (
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

"""A local fake of the Slack Web API parts Hubwire uses (docs/connectors/slack.md)."""

from connectors.slack.sandbox.app import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_SIGNING_SECRET,
    SandboxConfig,
    SlackSandbox,
    create_sandbox,
    set_hubwire_url,
    sign_request,
)

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_SIGNING_SECRET",
    "SandboxConfig",
    "SlackSandbox",
    "create_sandbox",
    "set_hubwire_url",
    "sign_request",
]

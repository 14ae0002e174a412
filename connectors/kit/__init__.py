"""The connector kit: the types every connector uses. The test kit is
``connectors.kit.testing`` (imports pytest, so it is not re-exported here)."""

from connectors.kit.base import Connector, Sandbox
from connectors.kit.context import CallBudget, CallsBudget, ConnectionContext, UnlimitedBudget
from connectors.kit.errors import AuthFailed, ConnectorError, ProviderRateLimited, Unsupported
from connectors.kit.manifest import (
    ApiKeyAuth,
    Auth,
    Direction,
    Manifest,
    ManifestError,
    OAuth2Auth,
    ObjectSpec,
    RateLimit,
)
from connectors.kit.types import (
    CheckResult,
    Cursor,
    InboundChange,
    PullPage,
    PushOutcome,
    PushResult,
    Record,
    SyncResult,
)

# Hubwire adds this header to an inbound webhook: the full URL it was received at (for
# signatures that cover the URL, like HubSpot's v3).
from core.connectors.inbound import REQUEST_URI_HEADER

__all__ = [
    "REQUEST_URI_HEADER",
    "ApiKeyAuth",
    "Auth",
    "AuthFailed",
    "CallBudget",
    "CallsBudget",
    "CheckResult",
    "ConnectionContext",
    "Connector",
    "ConnectorError",
    "Cursor",
    "Direction",
    "InboundChange",
    "Manifest",
    "ManifestError",
    "OAuth2Auth",
    "ObjectSpec",
    "ProviderRateLimited",
    "PullPage",
    "PushOutcome",
    "PushResult",
    "RateLimit",
    "Record",
    "Sandbox",
    "SyncResult",
    "UnlimitedBudget",
    "Unsupported",
]

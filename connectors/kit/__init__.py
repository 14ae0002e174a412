"""The connector kit: the types every connector uses, and ``hookimpl`` to register one.

They are defined by the plugin contract in ``core.plugins`` (core and the sync engine use
them too) and gathered here for connector authors. The test kit is
``connectors.kit.testing`` (it imports pytest, so it is not re-exported here)."""

from core.plugins.connector import Connector, Sandbox, WebhookEndpoint
from core.plugins.context import (
    REQUEST_URI_HEADER,
    CallBudget,
    CallsBudget,
    CallSlot,
    ConnectionContext,
    HoldingBudget,
    UnlimitedBudget,
)
from core.plugins.errors import AuthFailed, ConnectorError, ProviderRateLimited, Unsupported
from core.plugins.events import EventType
from core.plugins.hookspecs import hookimpl
from core.plugins.manifest import (
    ApiKeyAuth,
    Auth,
    Direction,
    Manifest,
    ManifestError,
    OAuth2Auth,
    ObjectSpec,
    RateLimit,
)
from core.plugins.types import (
    CheckResult,
    Cursor,
    InboundChange,
    PullPage,
    PushOutcome,
    PushResult,
    Record,
    SyncResult,
)

__all__ = [
    "REQUEST_URI_HEADER",
    "ApiKeyAuth",
    "Auth",
    "AuthFailed",
    "CallBudget",
    "CallSlot",
    "CallsBudget",
    "CheckResult",
    "ConnectionContext",
    "Connector",
    "ConnectorError",
    "Cursor",
    "Direction",
    "EventType",
    "HoldingBudget",
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
    "WebhookEndpoint",
    "hookimpl",
]

"""Configuration of a Calendly sandbox: its OAuth app, the connecting user, limits, clock."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

DEFAULT_CLIENT_ID = "calendly-sandbox-client-id"
DEFAULT_CLIENT_SECRET = "calendly-sandbox-client-secret"  # noqa: S105 - a fake app's secret
DEFAULT_SIGNING_KEY = "calendly-sandbox-webhook-signing-key"


@dataclass(frozen=True)
class SandboxConfig:
    """Everything a sandbox needs, with demo-friendly defaults.

    ``role`` is the connecting user's role in the organization (``owner`` and ``admin`` may
    subscribe organization-wide). ``static_tokens`` are access tokens that never expire
    (personal access tokens). ``rate_limit`` requests per user per ``rate_window`` seconds
    (Calendly: 500 a minute on paid plans, 50 on free ones). ``clock`` returns epoch seconds.
    ``deliver_webhooks``: post signed webhooks to subscriptions (off: they are only kept in
    the outbox, as if Hubwire were down)."""

    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    redirect_uris: tuple[str, ...] = ()
    user_name: str = "Sandy Host"
    user_email: str = "host@calendly-sandbox.example"
    timezone: str = "Europe/London"
    role: Literal["owner", "admin", "user"] = "owner"
    access_token_ttl: int = 7200
    auth_code_ttl: int = 600
    rate_limit: int = 500
    rate_window: float = 60.0
    max_page_size: int = 100
    static_tokens: Mapping[str, str] = field(default_factory=dict)
    deliver_webhooks: bool = True
    webhook_timeout: float = 5.0
    clock: Callable[[], float] = time.time

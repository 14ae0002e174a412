"""Configuration of a Mailchimp sandbox: its OAuth app, the account, limits, clock."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

DEFAULT_CLIENT_ID = "mailchimp-sandbox-client-id"
DEFAULT_CLIENT_SECRET = "mailchimp-sandbox-client-secret"  # noqa: S105 - a fake app's secret


@dataclass(frozen=True)
class SandboxConfig:
    """Everything a sandbox needs, with demo-friendly defaults.

    ``dc`` is the account's data center: the metadata endpoint names it and the API answers
    only under it (``/<dc>/3.0``). ``static_tokens`` are access tokens the sandbox accepts
    without the OAuth dance (Mailchimp's tokens never expire). ``max_connections``:
    Mailchimp's 10 simultaneous connections per account. ``batch_delay``: seconds before a
    submitted batch finishes (Mailchimp runs them asynchronously). ``deliver_webhooks``:
    post webhooks to their URLs (off: only kept in the outbox). ``check_webhook_urls``: a
    webhook is registered only if its URL answers a GET with 200, as Mailchimp checks."""

    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    dc: str = "us21"
    account_name: str = "Sandbox Marketing Co"
    login_email: str = "owner@mailchimp-sandbox.example"
    user_id: int = 153_000_001
    list_name: str = "Sandbox Newsletter"
    list_id: str = "a1b2c3d4e5"
    max_connections: int = 10
    batch_delay: float = 0.5
    max_page_size: int = 1000
    static_tokens: Mapping[str, str] = field(default_factory=dict)
    deliver_webhooks: bool = True
    check_webhook_urls: bool = True
    webhook_timeout: float = 5.0
    # A failed webhook post (an error status, no answer) is retried three times, as
    # Mailchimp's release note of 2021-04-05 says; Mailchimp publishes no schedule, so these
    # waits before each retry are the sandbox's own. A 410 disables the webhook instead.
    webhook_retry_delays: tuple[float, ...] = (2.0, 10.0, 30.0)
    clock: Callable[[], float] = time.time

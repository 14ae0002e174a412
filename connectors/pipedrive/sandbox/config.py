"""Configuration of a Pipedrive sandbox: its OAuth app, the company's plan, limits, clock."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

DEFAULT_CLIENT_ID = "pipedrive-sandbox-client-id"
DEFAULT_CLIENT_SECRET = "pipedrive-sandbox-client-secret"  # noqa: S105 - a fake app's secret

Plan = Literal["lite", "growth", "premium", "ultimate"]
# Token-based rate limits (Pipedrive's "Rate limiting" page): requests per user per rolling
# 2-second window, and the plan's multiplier of the company's daily token budget.
BURST_PER_2S: dict[str, int] = {"lite": 20, "growth": 40, "premium": 80, "ultimate": 120}
BUDGET_MULTIPLIER: dict[str, int] = {"lite": 1, "growth": 2, "premium": 5, "ultimate": 7}
BASE_DAILY_TOKENS = 30_000  # per seat, times the plan's multiplier


@dataclass(frozen=True)
class SandboxConfig:
    """Everything a sandbox needs, with demo-friendly defaults.

    ``plan`` and ``seats`` set the burst limit (per user, per ``burst_window`` seconds) and
    the company's daily token budget (``30,000 x multiplier x seats``); ``burst_limit`` and
    ``daily_tokens`` override them. ``static_tokens`` are access tokens that never expire
    (the bench's, like an ``api_token``). ``api_domain`` is what the token endpoint answers
    as the company's API root (None: the sandbox's own URL). ``deliver_webhooks``: post
    webhooks to subscriptions (off: they are only kept in the outbox)."""

    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    redirect_uris: tuple[str, ...] = ()
    company_id: int = 13_501_337
    company_name: str = "Sandbox Company"
    company_domain: str = "sandbox-company"
    user_id: int = 21_000_001
    user_name: str = "Sandy Seller"
    user_email: str = "seller@pipedrive-sandbox.example"
    plan: Plan = "growth"
    seats: int = 5
    burst_limit: int | None = None
    burst_window: float = 2.0
    daily_tokens: int | None = None
    access_token_ttl: int = 3599
    auth_code_ttl: int = 300
    api_domain: str | None = None
    static_tokens: Mapping[str, str] = field(default_factory=dict)
    deliver_webhooks: bool = True
    webhook_timeout: float = 5.0
    clock: Callable[[], float] = time.time

    @property
    def burst(self) -> int:
        return self.burst_limit or BURST_PER_2S[self.plan]

    @property
    def daily_budget(self) -> int:
        if self.daily_tokens is not None:
            return self.daily_tokens
        return BASE_DAILY_TOKENS * BUDGET_MULTIPLIER[self.plan] * self.seats

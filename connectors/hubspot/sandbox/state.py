"""One sandbox instance's shared state: its config, the account, the limiter, the sender."""

from __future__ import annotations

from connectors.hubspot.sandbox.config import SandboxConfig
from connectors.hubspot.sandbox.ratelimit import SlidingWindowLimiter
from connectors.hubspot.sandbox.store import Store
from connectors.hubspot.sandbox.webhooks import WebhookSender


class Sandbox:
    """One sandbox instance: its config, account state, limiter and webhook sender."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = Store(clock=config.clock, index_lag=config.search_index_lag)
        self.limiter = SlidingWindowLimiter(
            config.rate_limit_max, config.rate_limit_interval, config.clock
        )
        # Searches per account (the sandbox is one account), on top of the app's limit.
        self.search_limiter = SlidingWindowLimiter(
            config.search_rate_limit_max, config.search_rate_limit_interval, config.clock
        )
        self.webhooks = WebhookSender(config)

    def reset(self) -> None:
        self.store.reset()
        self.limiter.reset()
        self.search_limiter.reset()
        self.webhooks.pending.clear()

"""The sandbox's limiter: at most ``max_requests`` per ``interval`` seconds per key (HubSpot
counts per app and account; the sandbox keys by app client id). Shared by every sandbox:
``connectors.kit.sandboxes``."""

from connectors.kit.sandboxes import Decision, SlidingWindowLimiter

__all__ = ["Decision", "SlidingWindowLimiter"]

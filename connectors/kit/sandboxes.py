"""Helpers every provider sandbox needs (a connector's local fake of its provider): a
deterministic sliding-window rate limiter, keyed as the provider counts (per app, per
user)."""

from __future__ import annotations

import html
import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    interval_ms: int
    retry_after: int  # whole seconds, 0 when allowed


class SlidingWindowLimiter:
    def __init__(self, max_requests: int, interval: float, clock: Callable[[], float]) -> None:
        self.max_requests = max_requests
        self.interval = interval
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> Decision:
        """Counts one request for ``key`` unless the window is full (refused ones don't count)."""
        now = self._clock()
        interval_ms = int(self.interval * 1000)
        with self._lock:
            window = self._hits.setdefault(key, deque())
            while window and window[0] <= now - self.interval:
                window.popleft()
            if len(window) >= self.max_requests:
                wait = window[0] + self.interval - now
                return Decision(False, self.max_requests, 0, interval_ms, max(1, math.ceil(wait)))
            window.append(now)
            return Decision(
                True, self.max_requests, self.max_requests - len(window), interval_ms, 0
            )

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


def consent_page(
    *, provider: str, account: str, client_id: str, scope: str, action: str, fields: dict[str, str]
) -> str:
    """A sandbox's OAuth consent page: what the app asks for, Approve and Deny buttons that
    post ``fields`` (hidden) and ``decision`` to ``action``."""
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v, quote=True)}">'
        for k, v in fields.items()
    )
    return (
        f"<!doctype html><html><head><title>{html.escape(provider)} sandbox: connect app"
        f"</title></head><body><h1>Connect to {html.escape(account)}</h1>"
        f"<p>App <code>{html.escape(client_id)}</code> asks for: "
        f"<code>{html.escape(scope) or '(no scopes)'}</code></p>"
        f'<form method="post" action="{html.escape(action, quote=True)}">{hidden}'
        '<button type="submit" name="decision" value="approve">Approve</button> '
        '<button type="submit" name="decision" value="deny">Deny</button>'
        "</form></body></html>"
    )

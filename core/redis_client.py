"""The process's Redis client, when settings name a Redis (production): rate limits, locks,
sync leases and provider budgets share it. None in embedded mode."""

from __future__ import annotations

from typing import Any

from core.settings import Settings


def connect_redis(settings: Settings) -> Any | None:
    """An asyncio Redis client for ``HUBWIRE_REDIS_URL`` (connections open on first use, on
    the loop that uses it), or None without one. The caller closes it (``aclose``)."""
    if not settings.redis_url:
        return None
    import redis.asyncio as aioredis

    return aioredis.from_url(settings.redis_url)

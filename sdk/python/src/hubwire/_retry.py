"""Automatic retries as httpx transports, so every generated call gets them.

Retried: 408, 429 and 5xx responses (except 501) and connection errors, with exponential
backoff and jitter; a ``Retry-After`` header sets the wait instead. A ``POST`` is retried only
when it carries an ``Idempotency-Key`` (the SDK sends one with every POST, the same one on
every attempt), so the server replays instead of acting twice."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from dataclasses import dataclass

import httpx

logger = logging.getLogger("hubwire")

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
RETRY_EXCEPTIONS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 2
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    # A Retry-After beyond this is not waited for: the error is raised instead.
    max_retry_after: float = 60.0

    def may_retry(self, request: httpx.Request, attempt: int) -> bool:
        if attempt >= self.max_retries:
            return False
        return request.method != "POST" or "Idempotency-Key" in request.headers

    def delay(self, attempt: int, response: httpx.Response | None) -> float | None:
        """Seconds to wait before the next attempt, or None to give up."""
        if response is not None:
            after = parse_retry_after(response.headers.get("Retry-After"))
            if after is not None:
                return after if after <= self.max_retry_after else None
        backoff = min(self.max_backoff, self.initial_backoff * 2.0**attempt)
        return backoff * random.uniform(0.75, 1.0)  # noqa: S311 - jitter, not security


def _log(request: httpx.Request, delay: float, reason: str, attempt: int) -> None:
    logger.info(
        "retrying %s %s in %.2f s after %s (retry %d)",
        request.method,
        request.url.path,
        delay,
        reason,
        attempt + 1,
    )


class RetryTransport(httpx.BaseTransport):
    def __init__(self, policy: RetryPolicy, inner: httpx.BaseTransport | None = None) -> None:
        self.policy = policy
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = self.inner.handle_request(request)
            except RETRY_EXCEPTIONS as exc:
                if not self.policy.may_retry(request, attempt):
                    raise
                delay = self.policy.delay(attempt, None) or 0.0
                _log(request, delay, type(exc).__name__, attempt)
            else:
                if response.status_code not in RETRY_STATUSES or not self.policy.may_retry(
                    request, attempt
                ):
                    return response
                delay_or_none = self.policy.delay(attempt, response)
                if delay_or_none is None:
                    return response
                delay = delay_or_none
                response.close()
                _log(request, delay, f"HTTP {response.status_code}", attempt)
            time.sleep(delay)
            attempt += 1

    def close(self) -> None:
        self.inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    def __init__(self, policy: RetryPolicy, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.policy = policy
        self.inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = await self.inner.handle_async_request(request)
            except RETRY_EXCEPTIONS as exc:
                if not self.policy.may_retry(request, attempt):
                    raise
                delay = self.policy.delay(attempt, None) or 0.0
                _log(request, delay, type(exc).__name__, attempt)
            else:
                if response.status_code not in RETRY_STATUSES or not self.policy.may_retry(
                    request, attempt
                ):
                    return response
                delay_or_none = self.policy.delay(attempt, response)
                if delay_or_none is None:
                    return response
                delay = delay_or_none
                await response.aclose()
                _log(request, delay, f"HTTP {response.status_code}", attempt)
            await asyncio.sleep(delay)
            attempt += 1

    async def aclose(self) -> None:
        await self.inner.aclose()

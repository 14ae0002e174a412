"""What an operation gets to reach the provider: one connection's decrypted credentials and
where to send requests (the real API, or its sandbox in tests and ``make run``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from core.plugins.errors import AuthFailed

if TYPE_CHECKING:
    import httpx


# Hubwire adds this header to an inbound webhook: the full URL it was received at (for
# signature schemes that cover the URL, like HubSpot's v3; behind a proxy the request's own
# URL differs).
REQUEST_URI_HEADER = "x-hubwire-request-uri"


class CallBudget(Protocol):
    """The provider's rate budget for one connection (the sync engine's, shared by every
    worker): ``acquire`` waits until one more call fits under the provider's limit."""

    async def acquire(self) -> None: ...


@runtime_checkable
class CallsBudget(CallBudget, Protocol):
    """A budget that also keeps the limits of one kind of call (``RateLimit.calls``):
    ``acquire_for`` waits until the call fits under those and under every-call limits."""

    async def acquire_for(self, calls: str) -> None: ...


class CallSlot(Protocol):
    """One call's place in a :class:`HoldingBudget`: ``release`` once its answer is in."""

    async def release(self) -> None: ...


@runtime_checkable
class HoldingBudget(CallBudget, Protocol):
    """A budget that counts a call from when it is sent until a window after its answer
    came back (``hold``, then ``release`` on the slot): the provider saw the request some
    time in between, so no travel time can put two calls closer in its window than in ours
    (docs/operations/sync.md, "Provider budgets")."""

    async def hold(self, calls: str | None = None) -> CallSlot: ...


class UnlimitedBudget:
    """No limit: for tests of a connector on its own and for providers without limits."""

    async def acquire(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class ConnectionContext:
    """Built by the sync engine for each operation; never stored, never logged.

    ``credentials`` holds what the auth type gives (``access_token`` for OAuth 2.0,
    ``api_key`` for keys); ``base_url`` overrides the provider's API root (a sandbox);
    ``settings`` is the connection's non-secret configuration; ``budget`` keeps calls under
    the provider's limit: a connector wraps each HTTP request in ``async with call()`` (or
    awaits ``before_call()`` before it, which counts the call from when it was sent);
    ``hubwire_url`` is Hubwire's public base URL, for links back to a record (None when
    unknown)."""

    connection_id: str
    workspace_id: str
    credentials: Mapping[str, str] = field(repr=False)
    base_url: str | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    timeout: float = 30.0
    budget: CallBudget = field(default_factory=UnlimitedBudget, repr=False, compare=False)
    hubwire_url: str | None = None

    async def before_call(self, calls: str | None = None) -> None:
        """Every provider HTTP call is preceded by this (it waits for the rate budget);
        ``calls`` names a kind of call with limits of its own (see ``RateLimit.calls``)."""
        if calls is not None and isinstance(self.budget, CallsBudget):
            await self.budget.acquire_for(calls)
        else:
            await self.budget.acquire()

    @asynccontextmanager
    async def call(self, calls: str | None = None) -> AsyncIterator[None]:
        """Wraps one provider HTTP call: waits for the rate budget and, with a budget that
        can (``HoldingBudget``), tells it when the answer came back, so the call counts in
        the window until then and no margin for travel time is needed."""
        if not isinstance(self.budget, HoldingBudget):
            await self.before_call(calls)
            yield
            return
        slot = await self.budget.hold(calls)
        try:
            yield
        finally:
            await slot.release()

    def credential(self, name: str) -> str:
        try:
            return self.credentials[name]
        except KeyError:
            raise AuthFailed(f"the connection has no {name!r} credential") from None

    def with_credentials(self, **credentials: str) -> ConnectionContext:
        return replace(self, credentials={**self.credentials, **credentials})

    def http(self, default_base_url: str, **kwargs: Any) -> httpx.AsyncClient:
        """An httpx client for connectors without an official SDK: rooted at ``base_url``
        (or the provider's ``default_base_url``), with this connection's timeout."""
        import httpx

        return httpx.AsyncClient(
            base_url=self.base_url or default_base_url, timeout=self.timeout, **kwargs
        )

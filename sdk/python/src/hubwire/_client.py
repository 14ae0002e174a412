"""The two clients: :class:`Hubwire` (sync) and :class:`AsyncHubwire` (asyncio)."""

from __future__ import annotations

import os
from types import TracebackType
from typing import Any, Self

import httpx

from ._async_resources import (
    AsyncAppointments,
    AsyncCalls,
    AsyncChat,
    AsyncConnections,
    AsyncEvents,
    AsyncJobs,
    AsyncLeads,
    AsyncPayments,
    AsyncWebhooks,
)
from ._errors import AuthenticationError, error_from_response
from ._generated.client import AuthenticatedClient
from ._resources import (
    Appointments,
    Calls,
    Chat,
    Connections,
    Events,
    Jobs,
    Leads,
    Payments,
    Webhooks,
)
from ._retry import AsyncRetryTransport, RetryPolicy, RetryTransport

__version__ = "0.1.0"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 2
# A partner key acts in one of the workspaces its partner manages by naming it here.
WORKSPACE_HEADER = "Hubwire-Workspace"


def _raise_for_status(response: httpx.Response) -> None:
    if response.status_code >= 400:
        response.read()
        raise error_from_response(response)


async def _araise_for_status(response: httpx.Response) -> None:
    if response.status_code >= 400:
        await response.aread()
        raise error_from_response(response)


def _settings(
    api_key: str | None, base_url: str | None, timeout: float | httpx.Timeout
) -> tuple[str, str, httpx.Timeout]:
    key = api_key or os.environ.get("HUBWIRE_API_KEY")
    if not key:
        raise AuthenticationError(
            "no API key: pass api_key=... or set HUBWIRE_API_KEY", code="UNAUTHORIZED"
        )
    url = (base_url or os.environ.get("HUBWIRE_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    return key, url, timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


class Hubwire:
    """A synchronous Hubwire client.

    >>> client = Hubwire(api_key="hw_live_...", base_url="https://hubwire.example.com")
    >>> lead = client.leads.create(email="ada@example.com", name="Ada Lovelace")
    >>> for lead in client.leads.list(status="new"):
    ...     print(lead.id)

    ``api_key`` and ``base_url`` default to ``HUBWIRE_API_KEY`` and ``HUBWIRE_BASE_URL``.
    Requests time out after ``timeout`` seconds; 429, 5xx and connection failures are
    retried up to ``max_retries`` times, waiting as ``Retry-After`` says."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: dict[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._options: dict[str, Any] = {
            "api_key": api_key,
            "base_url": base_url,
            "timeout": timeout,
            "max_retries": max_retries,
            "headers": headers,
            "transport": transport,
        }
        key, url, timeout_ = _settings(api_key, base_url, timeout)
        self.base_url = url
        self.retry_policy = RetryPolicy(max_retries=max_retries)
        httpx_args: dict[str, Any] = {
            "transport": RetryTransport(self.retry_policy, transport),
            "event_hooks": {"response": [_raise_for_status]},
        }
        self._api = AuthenticatedClient(
            base_url=url,
            token=key,
            timeout=timeout_,
            headers={"User-Agent": f"hubwire-python/{__version__}", **(headers or {})},
            httpx_args=httpx_args,
        )
        self.leads = Leads(self._api)
        self.calls = Calls(self._api)
        self.appointments = Appointments(self._api)
        self.payments = Payments(self._api)
        self.chat = Chat(self._api)
        self.webhooks = Webhooks(self._api)
        self.events = Events(self._api)
        self.jobs = Jobs(self._api)
        self.connections = Connections(self._api)

    @property
    def api(self) -> AuthenticatedClient:
        """The generated client, to call any operation in ``hubwire._generated.api``."""
        return self._api

    def with_workspace(self, workspace_id: str) -> Hubwire:
        """A client whose every request acts in ``workspace_id`` (``ws_…``): for a partner
        key, one of the workspaces its partner manages. Close it like any client."""
        options = dict(self._options)
        options["headers"] = {**(options["headers"] or {}), WORKSPACE_HEADER: workspace_id}
        return Hubwire(**options)

    def close(self) -> None:
        self._api.get_httpx_client().close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncHubwire:
    """The asyncio twin of :class:`Hubwire`: same namespaces, ``await`` the calls and
    ``async for`` the lists."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: dict[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._options: dict[str, Any] = {
            "api_key": api_key,
            "base_url": base_url,
            "timeout": timeout,
            "max_retries": max_retries,
            "headers": headers,
            "transport": transport,
        }
        key, url, timeout_ = _settings(api_key, base_url, timeout)
        self.base_url = url
        self.retry_policy = RetryPolicy(max_retries=max_retries)
        httpx_args: dict[str, Any] = {
            "transport": AsyncRetryTransport(self.retry_policy, transport),
            "event_hooks": {"response": [_araise_for_status]},
        }
        self._api = AuthenticatedClient(
            base_url=url,
            token=key,
            timeout=timeout_,
            headers={"User-Agent": f"hubwire-python/{__version__}", **(headers or {})},
            httpx_args=httpx_args,
        )
        self.leads = AsyncLeads(self._api)
        self.calls = AsyncCalls(self._api)
        self.appointments = AsyncAppointments(self._api)
        self.payments = AsyncPayments(self._api)
        self.chat = AsyncChat(self._api)
        self.webhooks = AsyncWebhooks(self._api)
        self.events = AsyncEvents(self._api)
        self.jobs = AsyncJobs(self._api)
        self.connections = AsyncConnections(self._api)

    @property
    def api(self) -> AuthenticatedClient:
        """The generated client, to call any operation in ``hubwire._generated.api``."""
        return self._api

    def with_workspace(self, workspace_id: str) -> AsyncHubwire:
        """A client whose every request acts in ``workspace_id`` (``ws_…``): for a partner
        key, one of the workspaces its partner manages. Close it like any client."""
        options = dict(self._options)
        options["headers"] = {**(options["headers"] or {}), WORKSPACE_HEADER: workspace_id}
        return AsyncHubwire(**options)

    async def close(self) -> None:
        await self._api.get_async_httpx_client().aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

"""simple-salesforce for one connection: built on the token's ``instance_url``, its calls
run off the event loop (the library is synchronous) after the connection's rate budget, and
its exceptions turned into the kit's errors.

simple-salesforce builds every URL as ``https://<instance host>/services/…``. A sandbox on
loopback (tests, ``make run``) is plain HTTP and may sit under a path
(``http://127.0.0.1:8000/sandbox/salesforce``); the library's ``session`` option takes a
``requests.Session``, and a transport adapter mounted on that session for the sandbox's
origin sends those requests to the sandbox's real root. Nothing of the library is patched,
and a real org (an ``https`` instance URL without a path) gets a plain session."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from simple_salesforce.api import Salesforce
from simple_salesforce.exceptions import (
    SalesforceError,
    SalesforceExpiredSession,
    SalesforceRefusedRequest,
)

from connectors.kit import AuthFailed, ConnectionContext, ConnectorError, ProviderRateLimited

API_VERSION = "59.0"
DEFAULT_INSTANCE = "https://login.salesforce.com"
# The daily allowance resets over a rolling 24 h: waiting it out is a retry much later.
DAILY_LIMIT_RETRY_SECONDS = 900.0
CONCURRENCY_RETRY_SECONDS = 1.0
T = TypeVar("T")


class _Rerooted(HTTPAdapter):
    """Sends ``https://<origin>/path`` to ``<root>/path`` (a sandbox's plain-HTTP root)."""

    def __init__(self, origin: str, root: str) -> None:
        super().__init__()
        self.origin, self.root = origin, root.rstrip("/")

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        url = request.url or ""
        if url.startswith(self.origin):
            request.url = self.root + url[len(self.origin) :]
        return super().send(request, *args, **kwargs)


def instance_root(connection: ConnectionContext) -> str:
    """Where the org's API is: the ``instance_url`` the token response gave, else the
    connection's ``base_url`` (a sandbox), else Salesforce's login host."""
    return (
        connection.credentials.get("instance_url") or connection.base_url or DEFAULT_INSTANCE
    ).rstrip("/")


def build(connection: ConnectionContext) -> Salesforce:
    root = instance_root(connection)
    parts = urlsplit(root)
    session = requests.Session()
    origin = f"https://{parts.netloc}"
    if parts.scheme != "https" or parts.path not in ("", "/"):
        session.mount(origin, _Rerooted(origin, root))
    return Salesforce(
        instance_url=origin,
        session_id=connection.credential("access_token"),
        version=API_VERSION,
        session=session,
    )


def error_entries(exc: SalesforceError) -> list[dict[str, Any]]:
    content = exc.content
    if isinstance(content, str | bytes):
        try:
            content = json.loads(content)
        except ValueError:
            return []
    return [e for e in content if isinstance(e, dict)] if isinstance(content, list) else []


def describe(exc: SalesforceError) -> str:
    entries = error_entries(exc)
    if entries:
        return "; ".join(f"{e.get('errorCode')}: {e.get('message')}" for e in entries)
    return f"HTTP {exc.status}"


async def call(connection: ConnectionContext, sf: Salesforce, fn: Callable[[], T]) -> T:
    """One API request: the budget first, then the call on a worker thread; Salesforce's
    errors as the kit's (the sync engine refreshes the token once on ``AuthFailed``, i.e.
    ``INVALID_SESSION_ID``, and retries the call)."""
    await connection.before_call()
    try:
        return await asyncio.to_thread(fn)
    except SalesforceExpiredSession as exc:
        raise AuthFailed(describe(exc)) from exc
    except SalesforceRefusedRequest as exc:
        codes = {e.get("errorCode") for e in error_entries(exc)}
        if "REQUEST_LIMIT_EXCEEDED" in codes:
            text = describe(exc)
            wait = CONCURRENCY_RETRY_SECONDS if "Concurrent" in text else DAILY_LIMIT_RETRY_SECONDS
            raise ProviderRateLimited(text, retry_after=wait) from exc
        raise ConnectorError(describe(exc)) from exc
    except SalesforceError as exc:
        raise ConnectorError(describe(exc)) from exc
    except requests.RequestException as exc:
        raise ConnectorError(f"Salesforce could not be reached: {exc}") from exc


def usage(sf: Salesforce) -> tuple[int, int] | None:
    """(used, allowed) of the daily API requests, from the last ``Sforce-Limit-Info``."""
    entry = sf.api_usage.get("api-usage")
    used, total = getattr(entry, "used", None), getattr(entry, "total", None)
    return (used, total) if isinstance(used, int) and isinstance(total, int) else None

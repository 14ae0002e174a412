"""A small typed client of the Pipedrive API (there is no maintained official Python SDK):
the calls the connector makes, their models, and Pipedrive's errors as the kit's.

Every request goes through ``_request``: one HTTP request inside the sync engine's rate
budget (``connection.call()``, held until the answer is in). A 429 of the 2-second burst window is
waited out (Pipedrive's ``Retry-After``, else ``x-ratelimit-reset``) and the same request
sent again, through the budget, up to ``BURST_RETRIES`` times; then it becomes
``ProviderRateLimited`` for the engine. Unlike providers with batch writes, a push here is
many single requests: handing a mid-push 429 to the engine would redo the records already
written. The API root is the company's
``api_domain`` from the token answer (kept with the credentials), else the
connection's ``base_url`` (a sandbox), else ``https://api.pipedrive.com``."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from connectors.kit import AuthFailed, ConnectionContext, ConnectorError, ProviderRateLimited

API_ROOT = "https://api.pipedrive.com"
PAGE_SIZE = 500  # the most rows /v1/recents and the v2 lists return per page
BURST_RETRIES = 3
KEEPALIVE_SECONDS = 2.0
IDEMPOTENT = frozenset({"GET", "PATCH", "DELETE"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Me(_Model):
    id: int
    email: str | None = None
    company_id: int
    company_name: str | None = None
    company_domain: str | None = None


class Contact(_Model):
    value: str = ""
    primary: bool = False
    label: str | None = None


class Person(_Model):
    """A person as API v2 answers (``emails``/``phones``)."""

    id: int
    name: str | None = None
    emails: list[Contact] = []
    phones: list[Contact] = []
    update_time: str | None = None


class PersonV1(_Model):
    """A person as API v1 answers (``/v1/recents``): ``email``/``phone``, ``active_flag``."""

    id: int
    name: str | None = None
    email: list[Contact] = []
    phone: list[Contact] = []
    active_flag: bool = True
    update_time: str


class Lead(_Model):
    id: str
    title: str
    person_id: int | None = None


class Activity(_Model):
    id: int
    type: str
    person_id: int | None = None
    note: str | None = None


class Webhook(_Model):
    id: int
    subscription_url: str
    event_object: str
    event_action: str


class Recents(_Model):
    persons: list[PersonV1]
    more: bool
    next_start: int | None


class PipedriveRejected(ConnectorError):
    """Pipedrive refused a request for what it contained (400, 404, 410, 422): a retry of
    the same request won't help. ``message`` is Pipedrive's ``error``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"Pipedrive answered {status}: {message}")
        self.status, self.message = status, message


def _number(raw: str | None) -> float | None:
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None


def _error(response: httpx.Response) -> ConnectorError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    message = str(body.get("error") or body.get("message") or response.reason_phrase)
    status = response.status_code
    if status in (401, 403):
        return AuthFailed(f"Pipedrive refused the credentials ({status}): {message}")
    if status == 429:
        if response.headers.get("x-daily-ratelimit-token-remaining") == "0":
            # The company's daily budget: hours away (midnight UTC), not a wait to sit out
            # holding the sync lease; the step fails and is retried later.
            return ConnectorError(f"Pipedrive's daily token budget is spent: {message}")
        retry_after = _number(response.headers.get("retry-after")) or _number(
            response.headers.get("x-ratelimit-reset")
        )
        return ProviderRateLimited(f"Pipedrive rate limit: {message}", retry_after=retry_after)
    if 400 <= status < 500:
        return PipedriveRejected(status, message)
    return ConnectorError(f"Pipedrive answered {status}: {message}")


def api_root(connection: ConnectionContext) -> str:
    domain = connection.credentials.get("api_domain")
    if isinstance(domain, str) and domain.startswith(("https://", "http://")):
        return domain
    return connection.base_url or API_ROOT


class Pipedrive:
    """One operation's client; use it as an async context manager."""

    def __init__(self, connection: ConnectionContext) -> None:
        self.connection = connection
        token = connection.credential("access_token")
        self.http = httpx.AsyncClient(
            base_url=api_root(connection),
            timeout=connection.timeout,
            headers={"Authorization": f"Bearer {token}"},
            # A lane waits in the budget between requests; an idle connection is dropped
            # before a server's usual 5 s idle timeout would close it under a request sent on
            # it ("Server disconnected without sending a response").
            limits=httpx.Limits(keepalive_expiry=KEEPALIVE_SECONDS),
        )

    async def __aenter__(self) -> Pipedrive:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.aclose()

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> dict[str, Any]:
        resent = False
        for attempt in range(BURST_RETRIES + 1):
            try:
                # Held in the budget until the answer is in: Pipedrive's 2-second window is
                # short enough for a delayed request to land in the next one (sync/budget.py).
                async with self.connection.call():
                    # A path relative to the client's root, which may carry a path (a sandbox).
                    response = await self.http.request(
                        method, path.lstrip("/"), params=dict(params or {}), json=json
                    )
            except httpx.TransportError as exc:
                # A read or an update sent twice changes nothing more: sent again once. A
                # create is not (the record's next attempt looks for what it made first).
                if method in IDEMPOTENT and not resent and attempt < BURST_RETRIES:
                    resent = True
                    continue
                kind = type(exc).__name__
                raise ConnectorError(f"Pipedrive could not be reached ({kind}): {exc}") from exc
            except httpx.HTTPError as exc:
                raise ConnectorError(f"Pipedrive could not be reached: {exc}") from exc
            if response.status_code < 400:
                break
            error = _error(response)
            if not isinstance(error, ProviderRateLimited) or attempt == BURST_RETRIES:
                raise error
            await asyncio.sleep(error.retry_after or 1.0)
        try:
            body = response.json()
        except ValueError as exc:
            raise ConnectorError(f"Pipedrive sent a body that is not JSON for {path}") from exc
        if not isinstance(body, dict) or body.get("success") is False:
            raise ConnectorError(f"unexpected Pipedrive answer for {path}")
        return body

    async def _data(self, method: str, path: str, **kwargs: Any) -> Any:
        return (await self._request(method, path, **kwargs)).get("data")

    # --- the calls ------------------------------------------------------------------

    async def me(self) -> Me:
        return _parse(Me, await self._data("GET", "/v1/users/me"))

    async def create_person(self, body: Mapping[str, Any]) -> Person:
        return _parse(Person, await self._data("POST", "/api/v2/persons", json=dict(body)))

    async def update_person(self, person_id: int, body: Mapping[str, Any]) -> Person:
        data = await self._data("PATCH", f"/api/v2/persons/{person_id}", json=dict(body))
        return _parse(Person, data)

    async def find_persons(self, term: str, field: str) -> list[int]:
        """Persons whose ``field`` (``email``, ``phone``) is exactly ``term``."""
        params = {"term": term, "fields": field, "exact_match": "true", "limit": 10}
        data = await self._data("GET", "/api/v2/persons/search", params=params)
        items = (data or {}).get("items") or []
        return [int(i["item"]["id"]) for i in items if isinstance(i, dict) and i.get("item")]

    async def leads_of(self, person_id: int) -> list[Lead]:
        data = await self._data("GET", "/v1/leads", params={"person_id": person_id, "limit": 100})
        return [_parse(Lead, row) for row in data or []]

    async def create_lead(self, title: str, person_id: int) -> Lead:
        body = {"title": title, "person_id": person_id}
        return _parse(Lead, await self._data("POST", "/v1/leads", json=body))

    async def activities_of(self, person_id: int) -> list[Activity]:
        found: list[Activity] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"person_id": person_id, "limit": PAGE_SIZE}
            if cursor:
                params["cursor"] = cursor
            body = await self._request("GET", "/api/v2/activities", params=params)
            found += [_parse(Activity, row) for row in body.get("data") or []]
            cursor = (body.get("additional_data") or {}).get("next_cursor")
            if not cursor:
                return found

    async def create_activity(self, body: Mapping[str, Any]) -> Activity:
        return _parse(Activity, await self._data("POST", "/api/v2/activities", json=dict(body)))

    async def update_activity(self, activity_id: int, body: Mapping[str, Any]) -> Activity:
        data = await self._data("PATCH", f"/api/v2/activities/{activity_id}", json=dict(body))
        return _parse(Activity, data)

    async def recent_persons(self, since: str, start: int) -> Recents:
        params = {"since_timestamp": since, "items": "person", "start": start, "limit": PAGE_SIZE}
        body = await self._request("GET", "/v1/recents", params=params)
        rows = [row.get("data") for row in body.get("data") or [] if isinstance(row, dict)]
        pagination = (body.get("additional_data") or {}).get("pagination") or {}
        more = bool(pagination.get("more_items_in_collection"))
        next_start = pagination.get("next_start")
        return Recents(
            persons=[_parse(PersonV1, row) for row in rows if isinstance(row, dict)],
            more=more,
            next_start=int(next_start) if more and next_start is not None else None,
        )

    async def create_webhook(
        self, *, url: str, event_object: str, user: str, password: str
    ) -> Webhook:
        body = {
            "subscription_url": url,
            "event_action": "*",
            "event_object": event_object,
            "http_auth_user": user,
            "http_auth_password": password,
            "version": "2.0",
        }
        return _parse(Webhook, await self._data("POST", "/v1/webhooks", json=body))

    async def webhooks(self) -> list[Webhook]:
        return [_parse(Webhook, row) for row in await self._data("GET", "/v1/webhooks") or []]

    async def delete_webhook(self, webhook_id: int) -> None:
        await self._request("DELETE", f"/v1/webhooks/{webhook_id}")


_M = TypeVar("_M", bound=_Model)


def _parse(model: type[_M], data: Any) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConnectorError(f"unexpected Pipedrive answer: {exc}") from exc

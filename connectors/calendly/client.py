"""A small typed client of Calendly's API v2 (there is no maintained official Python SDK):
the calls the connector makes, their models, and Calendly's errors as the kit's.

Every request goes through ``_request``: the sync engine's rate budget first
(``connection.before_call()``), then one HTTP request; a 429 becomes ``ProviderRateLimited``
with Calendly's ``X-RateLimit-Reset`` (seconds) as ``retry_after``, so the engine waits and
retries; nothing is retried here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from connectors.kit import AuthFailed, ConnectionContext, ConnectorError, ProviderRateLimited

API_ROOT = "https://api.calendly.com"
PAGE_SIZE = 100  # Calendly's most rows per page (`count`)


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class User(_Model):
    uri: str
    name: str | None = None
    email: str | None = None
    timezone: str | None = None
    current_organization: str


class Membership(_Model):
    uri: str
    role: Literal["user", "admin", "owner"]
    organization: str


class Location(_Model):
    type: str | None = None
    location: str | None = None
    join_url: str | None = None


class Cancellation(_Model):
    canceled_by: str | None = None
    reason: str | None = None
    canceler_type: str | None = None


class ScheduledEvent(_Model):
    uri: str
    name: str | None = None
    status: Literal["active", "canceled"]
    start_time: datetime
    end_time: datetime
    event_type: str | None = None
    location: Location | None = None
    created_at: datetime
    updated_at: datetime
    cancellation: Cancellation | None = None

    @property
    def uuid(self) -> str:
        return self.uri.rstrip("/").rsplit("/", 1)[-1]


class QuestionAnswer(_Model):
    question: str
    answer: str


class NoShow(_Model):
    uri: str


class Invitee(_Model):
    uri: str
    email: str | None = None
    name: str | None = None
    status: Literal["active", "canceled"]
    timezone: str | None = None
    event: str
    created_at: datetime
    updated_at: datetime
    text_reminder_number: str | None = None
    rescheduled: bool = False
    old_invitee: str | None = None
    new_invitee: str | None = None
    questions_and_answers: list[QuestionAnswer] = []
    cancellation: Cancellation | None = None
    no_show: NoShow | None = None


class WebhookSubscription(_Model):
    uri: str
    callback_url: str
    state: str
    events: list[str]
    scope: Literal["user", "organization", "group"]


class Page(_Model):
    collection: list[dict[str, Any]]
    pagination: dict[str, Any]

    @property
    def next_page_token(self) -> str | None:
        token = self.pagination.get("next_page_token")
        return str(token) if token else None


class CalendlyRejected(ConnectorError):
    """Calendly refused a request for what it contained (400, 404, 409): a retry of the
    same request won't help."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(f"Calendly answered {status} {title}: {message}")
        self.status, self.title = status, title


def _error(response: httpx.Response) -> ConnectorError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    title = str(body.get("title") or body.get("error") or response.reason_phrase)
    message = str(body.get("message") or body.get("error_description") or "no details")
    status = response.status_code
    if status in (401, 403) and title != "Permission Denied":
        return AuthFailed(f"Calendly refused the credentials ({status}): {message}")
    if status == 429:
        reset = response.headers.get("x-ratelimit-reset")
        retry_after = float(reset) if reset and reset.isdigit() else None
        return ProviderRateLimited(f"Calendly rate limit: {message}", retry_after=retry_after)
    if 400 <= status < 500:
        return CalendlyRejected(status, title, message)
    return ConnectorError(f"Calendly answered {status}: {message}")


_M = TypeVar("_M", bound=_Model)


def uuid_of(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


class Calendly:
    """One operation's client; use it as an async context manager."""

    def __init__(self, connection: ConnectionContext) -> None:
        self.connection = connection
        token = connection.credential("access_token")
        self.http = connection.http(API_ROOT, headers={"Authorization": f"Bearer {token}"})

    async def __aenter__(self) -> Calendly:
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
    ) -> Any:
        await self.connection.before_call()
        # A path relative to the client's root, which may carry a path itself (a sandbox).
        try:
            response = await self.http.request(
                method, path.lstrip("/"), params=dict(params or {}), json=json
            )
        except httpx.HTTPError as exc:
            raise ConnectorError(f"Calendly could not be reached: {exc}") from exc
        if response.status_code >= 400:
            raise _error(response)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    async def _resource(self, model: type[_M], method: str, path: str, **kwargs: Any) -> _M:
        body = await self._request(method, path, **kwargs)
        try:
            return model.model_validate(body["resource"])
        except (ValidationError, KeyError, TypeError) as exc:
            raise ConnectorError(f"unexpected Calendly answer for {path}: {exc}") from exc

    async def _page(self, path: str, params: Mapping[str, Any]) -> Page:
        body = await self._request("GET", path, params=params)
        try:
            return Page.model_validate(body)
        except ValidationError as exc:
            raise ConnectorError(f"unexpected Calendly answer for {path}: {exc}") from exc

    # --- the calls ------------------------------------------------------------------

    async def me(self) -> User:
        return await self._resource(User, "GET", "/users/me")

    async def membership(self, user: User) -> Membership | None:
        page = await self._page(
            "/organization_memberships",
            {"user": user.uri, "organization": user.current_organization},
        )
        rows = [Membership.model_validate(row) for row in page.collection]
        return rows[0] if rows else None

    async def scheduled_events(
        self, *, scope: Mapping[str, str], min_start_time: str, page_token: str | None
    ) -> tuple[list[ScheduledEvent], str | None]:
        params: dict[str, Any] = {
            **scope,
            "min_start_time": min_start_time,
            "sort": "start_time:asc",
            "count": PAGE_SIZE,
        }
        if page_token:
            params["page_token"] = page_token
        page = await self._page("/scheduled_events", params)
        return [ScheduledEvent.model_validate(r) for r in page.collection], page.next_page_token

    async def invitees(self, event: ScheduledEvent) -> list[Invitee]:
        found: list[Invitee] = []
        token: str | None = None
        while True:
            params: dict[str, Any] = {"count": PAGE_SIZE, "sort": "created_at:asc"}
            if token:
                params["page_token"] = token
            page = await self._page(f"/scheduled_events/{event.uuid}/invitees", params)
            found += [Invitee.model_validate(row) for row in page.collection]
            token = page.next_page_token
            if not token:
                return found

    async def create_webhook(
        self, *, url: str, user: User, scope: str, signing_key: str, events: list[str]
    ) -> WebhookSubscription:
        body = {
            "url": url,
            "events": events,
            "organization": user.current_organization,
            "user": user.uri,
            "scope": scope,
            "signing_key": signing_key,
        }
        return await self._resource(
            WebhookSubscription, "POST", "/webhook_subscriptions", json=body
        )

    async def webhooks(self, *, user: User, scope: str) -> list[WebhookSubscription]:
        params = {"organization": user.current_organization, "scope": scope, "count": PAGE_SIZE}
        if scope == "user":
            params["user"] = user.uri
        page = await self._page("/webhook_subscriptions", params)
        return [WebhookSubscription.model_validate(row) for row in page.collection]

    async def delete_webhook(self, uri: str) -> None:
        await self._request("DELETE", f"/webhook_subscriptions/{uuid_of(uri)}")

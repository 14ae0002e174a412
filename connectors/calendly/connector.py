"""The Calendly connector (docs/connectors/calendly.md): bookings become appointments.

Calendly is read here, never written: the connector pulls scheduled events and their
invitees, and Calendly's ``invitee.created``/``invitee.canceled`` webhooks wake that pull.
Each invitee (one person's booking) is one appointment record (``hub_object="appointment"``,
see sync/engine/appointments.py); the invitee's URI is its provider id, so a webhook or a
page read twice changes nothing the second time."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.calendly.client import (
    Calendly,
    CalendlyRejected,
    Invitee,
    ScheduledEvent,
    User,
)
from connectors.calendly.signature import SIGNATURE_HEADER, verify
from connectors.kit import (
    AuthFailed,
    CheckResult,
    ConnectionContext,
    Connector,
    Cursor,
    Direction,
    InboundChange,
    Manifest,
    OAuth2Auth,
    ObjectSpec,
    PullPage,
    RateLimit,
    Record,
    Sandbox,
    Unsupported,
    WebhookEndpoint,
)
from connectors.kit.codec import decode_cursor, encode_cursor, json_object

SCOPES = ("users:read", "organizations:read", "scheduled_events:read", "webhooks:write")
WEBHOOK_EVENTS = ["invitee.created", "invitee.canceled"]
# The first pull reads events that start from this many days ago on (a connection's
# `backfillDays` setting changes it); later pulls re-read the events of the last
# `LOOKBACK_DAYS` too, to see cancellations and no-shows of recent meetings.
BACKFILL_DAYS = 30
LOOKBACK_DAYS = 1
ADMIN_ROLES = ("owner", "admin")

MANIFEST = Manifest(
    slug="calendly",
    title="Calendly",
    description=(
        "Calendly bookings as appointments (the invitee as a lead), rescheduled and canceled "
        "as they are in Calendly. Read only: Calendly bookings are not created from Hubwire."
    ),
    auth=OAuth2Auth(
        authorize_url="https://auth.calendly.com/oauth/authorize",
        token_url="https://auth.calendly.com/oauth/token",  # noqa: S106 - a URL
        scopes=SCOPES,
    ),
    objects=(
        ObjectSpec(
            "invitee",
            Direction.PULL,
            "Each invitee of a scheduled event (a booking) as an appointment.",
            hub_object="appointment",
        ),
    ),
    # Calendly counts per user: 500 requests a minute on paid plans (webhooks need one).
    rate_limits=(RateLimit(500, 60, "connection"),),
    webhooks=True,
)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _instant(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _text(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _days(connection: ConnectionContext, name: str, default: int) -> int:
    value = connection.settings.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3650:
        return default
    return value


def _status(invitee: Invitee) -> str:
    if invitee.status == "canceled":
        return "canceled"
    return "no_show" if invitee.no_show is not None else "scheduled"


def invitee_record(event: ScheduledEvent, invitee: Invitee) -> Record:
    """One booking as an appointment record (sync/engine/appointments.py's fields)."""
    location = event.location
    fields: dict[str, Any] = {
        "title": event.name,
        "starts_at": _iso(event.start_time),
        "ends_at": _iso(event.end_time),
        "time_zone": invitee.timezone,
        "status": _status(invitee),
        "location": location.location if location else None,
        "join_url": location.join_url if location else None,
        "cancel_reason": invitee.cancellation.reason if invitee.cancellation else None,
        "invitee": {
            "name": invitee.name,
            "email": invitee.email,
            "phone": invitee.text_reminder_number,
        },
        "rescheduled_from": invitee.old_invitee,
        # The old booking of a reschedule: Calendly cancels it, the new one moves the time.
        "superseded": invitee.rescheduled and invitee.status == "canceled",
        "custom_fields": {
            "calendlyEventType": event.event_type,
            **(
                {"answers": {qa.question: qa.answer for qa in invitee.questions_and_answers}}
                if invitee.questions_and_answers
                else {}
            ),
        },
    }
    return Record(
        "invitee",
        fields,
        external_id=invitee.uri,
        updated_at=max(invitee.updated_at, event.updated_at),
    )


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == name), None)


class CalendlyConnector(Connector):
    """Calendly invitees -> Hubwire appointments (and their leads)."""

    manifest = MANIFEST

    async def check(self, connection: ConnectionContext) -> CheckResult:
        try:
            async with Calendly(connection) as api:
                user = await api.me()
        except (AuthFailed, CalendlyRejected) as exc:
            return CheckResult(ok=False, detail=str(exc))
        # The user's URI: Calendly's webhooks name it as `created_by` (routing).
        return CheckResult(ok=True, account=user.uri, detail=user.email or "")

    async def pull(
        self, connection: ConnectionContext, object_type: str, cursor: Cursor | None
    ) -> PullPage:
        """One page of scheduled events (oldest start first) whose event changed since the
        last complete sweep, as their invitees.

        Calendly lists events by start time, not by change: a sweep reads the events that
        start from ``min`` on (the backfill window on the first pull, the last day after),
        keeps those updated since ``since`` (the latest change the previous sweep saw) and
        pages with ``next_page_token``. The cursor carries the sweep's position; at its end,
        ``since`` moves to the latest change read."""
        if object_type != "invitee":
            raise Unsupported(f"calendly does not pull {object_type}")
        position = decode_cursor(cursor, "Calendly") if cursor else {}
        now = datetime.now(UTC)
        since = _instant(position.get("since"))
        if position.get("page"):
            start = str(position["min"])
        else:
            days = LOOKBACK_DAYS if since else _days(connection, "backfillDays", BACKFILL_DAYS)
            start = _iso(now - timedelta(days=days))
        high = _instant(position.get("high")) or since
        records: list[Record] = []
        async with Calendly(connection) as api:
            user = await api.me()
            scope = await self._scope(api, user, connection)
            events, token = await api.scheduled_events(
                scope=scope, min_start_time=start, page_token=position.get("page")
            )
            for event in events:
                if since and event.updated_at <= since:
                    continue
                for invitee in await api.invitees(event):
                    records.append(invitee_record(event, invitee))
                high = max(high or event.updated_at, event.updated_at)
        if token:
            after = {"since": _text(since), "min": start, "page": token, "high": _text(high)}
            return PullPage(tuple(records), next_cursor=encode_cursor(after), has_more=True)
        done = {"since": _text(high)}
        return PullPage(tuple(records), next_cursor=encode_cursor(done), has_more=False)

    @staticmethod
    async def _scope(api: Calendly, user: User, connection: ConnectionContext) -> dict[str, str]:
        """The organization's events when the connection's webhooks are organization-wide
        (an owner or admin connected), else the user's own."""
        if connection.settings.get("webhookScope") == "organization":
            return {"organization": user.current_organization}
        return {"user": user.uri}

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        """``Calendly-Webhook-Signature`` (``t=…,v1=…``) over ``t.body`` with the signing
        key, within three minutes of now."""
        return verify(_header(headers, SIGNATURE_HEADER), body, secret)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[InboundChange]:
        """``invitee.created`` and ``invitee.canceled``: the invitee changed (the pull reads
        it with its event; a reschedule's two webhooks are one pull)."""
        parsed = json_object(body)
        payload = parsed.get("payload")
        if parsed.get("event") not in WEBHOOK_EVENTS or not isinstance(payload, dict):
            return []
        uri = payload.get("uri")
        return [InboundChange("invitee", str(uri), "upsert")] if uri else []

    def webhook_account(self, headers: Mapping[str, str], body: bytes) -> str | None:
        """The user who created the subscription (``created_by``): the connected user."""
        creator = json_object(body).get("created_by")
        return str(creator) if creator else None

    async def on_connect(
        self, connection: ConnectionContext, webhooks: WebhookEndpoint | None
    ) -> Mapping[str, Any]:
        """Subscribes Hubwire to the account's bookings: organization-wide when the user is
        an owner or admin, else the user's own. Calendly refuses a second subscription to
        the same URL (409): the existing one is kept."""
        if webhooks is None:
            return {}
        async with Calendly(connection) as api:
            user = await api.me()
            membership = await api.membership(user)
            scope = "organization" if membership and membership.role in ADMIN_ROLES else "user"
            try:
                subscription = await api.create_webhook(
                    url=webhooks.url,
                    user=user,
                    scope=scope,
                    signing_key=webhooks.signing_key,
                    events=WEBHOOK_EVENTS,
                )
            except CalendlyRejected as exc:
                if exc.status != 409:
                    raise
                existing = [
                    s
                    for s in await api.webhooks(user=user, scope=scope)
                    if s.callback_url == webhooks.url
                ]
                if not existing:
                    raise
                subscription = existing[0]
        return {"webhookSubscription": subscription.uri, "webhookScope": subscription.scope}

    async def on_disconnect(self, connection: ConnectionContext) -> None:
        """Deletes the webhook subscription ``on_connect`` made (gone already: fine)."""
        uri = connection.settings.get("webhookSubscription")
        if not isinstance(uri, str) or not uri:
            return
        async with Calendly(connection) as api:
            try:
                await api.delete_webhook(uri)
            except CalendlyRejected as exc:
                if exc.status != 404:
                    raise

    def sandbox(self) -> Sandbox | None:
        # Imported here: the sandbox loads only in processes that mount it or test with it.
        from connectors.calendly.sandbox import (
            DEFAULT_CLIENT_ID,
            DEFAULT_CLIENT_SECRET,
            DEFAULT_SIGNING_KEY,
            SandboxConfig,
            create_sandbox,
        )

        return Sandbox(
            create_app=lambda: create_sandbox(SandboxConfig()),
            client_id=DEFAULT_CLIENT_ID,
            client_secret=DEFAULT_CLIENT_SECRET,
            signing_secret=DEFAULT_SIGNING_KEY,
        )

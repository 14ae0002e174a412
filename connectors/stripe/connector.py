"""The Stripe connector (docs/connectors/stripe.md): Stripe payments become Hubwire payments.

It connects through **Stripe Connect OAuth with the ``read_only`` scope**: the user approves
Hubwire on Stripe's own page, no key is pasted or kept that could move money, and Stripe
sends every connected account's events to the platform's one Connect webhook endpoint,
signed with one secret (so Hubwire's inbound endpoint verifies them before knowing the
account, then routes them by the event's ``account``).

Webhooks (``payment_intent.succeeded``, ``payment_intent.payment_failed``,
``charge.refunded``, ``checkout.session.completed``) are verified with the ``stripe``
library (``Stripe-Signature``, 300 s tolerance) and wake the connection's pull, which reads
the account's event log after its cursor (the last event applied): an event Stripe sends
twice is read once, and events missed while Hubwire was down are read all the same. The
first pull (no cursor) backfills the account's payment intents, newest first. Payments are
written through ``core.payments.service.observe``, which only moves a payment forward, so
events read out of order (a refund before its success) end in Stripe's state."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import stripe

from connectors.kit import (
    AuthFailed,
    CheckResult,
    ConnectionContext,
    Connector,
    ConnectorError,
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

API_BASE = "https://api.stripe.com"
WEBHOOK_EVENTS = (
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "charge.refunded",
    "checkout.session.completed",
)
SIGNATURE_HEADER = "stripe-signature"
TOLERANCE_SECONDS = 300
PAGE_SIZE = 100
# Events one pull applies before it hands back (the engine asks for the rest at once).
EVENTS_PER_PULL = 500

MANIFEST = Manifest(
    slug="stripe",
    title="Stripe",
    description=(
        "Stripe payments (payment intents, Checkout, refunds) as Hubwire payments, linked to "
        "the lead with the customer's email or phone. Read only: Hubwire never moves money."
    ),
    auth=OAuth2Auth(
        authorize_url="https://connect.stripe.com/oauth/authorize",
        token_url="https://connect.stripe.com/oauth/token",  # noqa: S106 - a URL
        scopes=("read_only",),
    ),
    objects=(
        ObjectSpec(
            "payment_intent",
            Direction.PULL,
            "Each payment intent (with its charge's refunds) as a payment.",
            hub_object="payment",
        ),
    ),
    # Stripe allows 100 operations a second per account in live mode (25 in test mode).
    rate_limits=(RateLimit(100, 1, "connection"),),
    webhooks=True,
)


def _client(connection: ConnectionContext) -> stripe.StripeClient:
    base = connection.base_url or API_BASE
    return stripe.StripeClient(
        connection.credential("access_token"),
        base_addresses={"api": base, "connect": base},
        http_client=stripe.HTTPXClient(timeout=connection.timeout),
        max_network_retries=2,  # the library backs off on 429 and 5xx itself
    )


def _platform(connection: ConnectionContext) -> stripe.StripeClient:
    """The platform's own key (Hubwire's app secret): webhook endpoints are the platform's."""
    base = connection.base_url or API_BASE
    return stripe.StripeClient(
        connection.credential("client_secret"),
        base_addresses={"api": base, "connect": base},
        http_client=stripe.HTTPXClient(timeout=connection.timeout),
        max_network_retries=2,
    )


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")


def _get(obj: Any, name: str) -> Any:
    """A field of a Stripe object or a plain dict (an event's payload), None when absent."""
    if obj is None:
        return None
    try:
        return obj[name]
    except (KeyError, TypeError, AttributeError):
        return None


def _person(details: Any) -> dict[str, Any]:
    return {
        "customer_email": _get(details, "email"),
        "customer_phone": _get(details, "phone"),
        "customer_name": _get(details, "name"),
    }


def _intent_status(intent: Any) -> str:
    status = _get(intent, "status")
    if status == "succeeded":
        return "succeeded"
    if status == "canceled" or _get(intent, "last_payment_error") is not None:
        return "failed"
    return "pending"


def intent_record(intent: Any) -> Record:
    """A payment intent (``latest_charge`` expanded or not) as a payment record."""
    charge = _get(intent, "latest_charge")
    charge = charge if not isinstance(charge, str) else None
    error = _get(intent, "last_payment_error")
    fields: dict[str, Any] = {
        "amount": _get(intent, "amount"),
        "currency": _get(intent, "currency"),
        "status": _intent_status(intent),
        "refunded_amount": _get(charge, "amount_refunded") or 0,
        "description": _get(intent, "description"),
        "failure_reason": _get(error, "code") or _get(error, "message"),
        "occurred_at": _iso(_get(intent, "created")),
        **_person(_get(charge, "billing_details")),
    }
    if not fields["customer_email"]:
        fields["customer_email"] = _get(intent, "receipt_email")
    return Record("payment_intent", _clean(fields), external_id=_get(intent, "id"))


def charge_record(charge: Any) -> Record | None:
    """A refunded charge as its payment intent's record (refunds only grow)."""
    intent_id = _get(charge, "payment_intent")
    if not intent_id:
        return None  # a charge without an intent (the legacy Charges API): not a payment here
    fields = {
        "amount": _get(charge, "amount"),
        "currency": _get(charge, "currency"),
        "status": "succeeded",
        "refunded_amount": _get(charge, "amount_refunded") or 0,
        "description": _get(charge, "description"),
        "occurred_at": _iso(_get(charge, "created")),
        **_person(_get(charge, "billing_details")),
    }
    return Record("payment_intent", _clean(fields), external_id=intent_id)


def session_record(session: Any) -> Record | None:
    """A completed Checkout Session as its payment intent's record."""
    intent_id = _get(session, "payment_intent")
    if not intent_id or _get(session, "mode") != "payment":
        return None
    fields = {
        "amount": _get(session, "amount_total"),
        "currency": _get(session, "currency"),
        "status": "succeeded" if _get(session, "payment_status") == "paid" else "pending",
        "occurred_at": _iso(_get(session, "created")),
        **_person(_get(session, "customer_details")),
    }
    return Record("payment_intent", _clean(fields), external_id=intent_id)


def event_record(event: Any) -> Record | None:
    obj = _get(_get(event, "data"), "object")
    kind = _get(event, "type")
    if kind in ("payment_intent.succeeded", "payment_intent.payment_failed"):
        return intent_record(obj)
    if kind == "charge.refunded":
        return charge_record(obj)
    if kind == "checkout.session.completed":
        return session_record(obj)
    return None


def _clean(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def _rejected(exc: stripe.StripeError) -> ConnectorError:
    if isinstance(exc, stripe.AuthenticationError | stripe.PermissionError):
        return AuthFailed(f"Stripe refused the connection's token: {exc.user_message}")
    return ConnectorError(f"Stripe answered {exc.http_status}: {exc.user_message}")


class StripeConnector(Connector):
    """Stripe payment intents -> Hubwire payments (pull; webhooks wake the pull)."""

    manifest = MANIFEST

    async def check(self, connection: ConnectionContext) -> CheckResult:
        try:
            await connection.before_call()
            account = await _client(connection).v1.accounts.retrieve_current_async()
        except stripe.StripeError as exc:
            return CheckResult(ok=False, detail=str(_rejected(exc)))
        # The account id: every Connect event names it as `account` (routing).
        return CheckResult(ok=True, account=account.id, detail=_get(account, "email") or "")

    async def pull(
        self, connection: ConnectionContext, object_type: str, cursor: Cursor | None
    ) -> PullPage:
        """The first pull backfills payment intents (one Stripe page per call, newest first)
        after noting the newest event; later pulls read the events after the cursor's, oldest
        first, with the library's auto-pagination. An event older than Stripe keeps (30
        days) is gone: the pull backfills again rather than miss what happened since."""
        if object_type != "payment_intent":
            raise Unsupported(f"stripe does not pull {object_type}")
        position = decode_cursor(cursor, "Stripe") if cursor else {}
        api = _client(connection)
        try:
            if "event" in position or "since" in position:
                try:
                    return await self._events(connection, api, position)
                except stripe.InvalidRequestError as exc:
                    if exc.code != "resource_missing":
                        raise
                    position = {}
            return await self._backfill(connection, api, position)
        except stripe.StripeError as exc:
            raise _rejected(exc) from exc

    async def _backfill(
        self, connection: ConnectionContext, api: stripe.StripeClient, position: dict[str, Any]
    ) -> PullPage:
        mark = position.get("mark")
        if "mark" not in position:
            await connection.before_call()
            newest = await api.v1.events.list_async({"limit": 1})
            # The newest event, or (none yet) the time the backfill began.
            mark = newest.data[0].id if newest.data else int(datetime.now(UTC).timestamp())
        params: dict[str, Any] = {"limit": PAGE_SIZE, "expand": ["data.latest_charge"]}
        if position.get("after"):
            params["starting_after"] = position["after"]
        await connection.before_call()
        page = await api.v1.payment_intents.list_async(params)  # type: ignore[arg-type]
        records = tuple(intent_record(intent) for intent in page.data)
        if page.has_more and page.data:
            after = {"mark": mark, "after": page.data[-1].id}
            return PullPage(records, next_cursor=encode_cursor(after), has_more=True)
        # Done: from now on, the events after the one that was newest when it began.
        done = {"event": mark} if isinstance(mark, str) else {"since": mark}
        return PullPage(records, next_cursor=encode_cursor(done), has_more=False)

    async def _events(
        self, connection: ConnectionContext, api: stripe.StripeClient, position: dict[str, Any]
    ) -> PullPage:
        params: dict[str, Any] = {"limit": PAGE_SIZE, "types": list(WEBHOOK_EVENTS)}
        if "event" in position:
            params["ending_before"] = str(position["event"])
        else:
            params["created"] = {"gte": int(position["since"])}
        await connection.before_call()
        page = await api.v1.events.list_async(params)  # type: ignore[arg-type]
        # With `ending_before`, auto-pagination walks towards newer events, page by page.
        events: list[Any] = []
        async for event in page.auto_paging_iter():
            events.append(event)
            if len(events) >= EVENTS_PER_PULL:
                break
        events.sort(key=lambda e: (e.created, e.id))
        records: list[Record] = []
        expanded: dict[str, Record] = {}
        for event in events:
            record = event_record(event)
            if record is None or not record.external_id:
                continue
            if event.type.startswith("payment_intent.") and record.external_id not in expanded:
                # An event's intent names its charge by id only: the charge's billing
                # details (the customer) and refunds come with the intent, expanded.
                await connection.before_call()
                intent = await api.v1.payment_intents.retrieve_async(
                    record.external_id, {"expand": ["latest_charge"]}
                )
                expanded[record.external_id] = intent_record(intent)
            records.append(expanded.get(record.external_id, record))
        if not events:
            return PullPage((), next_cursor=encode_cursor(position), has_more=False)
        newest = events[-1].id
        more = len(events) >= EVENTS_PER_PULL
        return PullPage(tuple(records), next_cursor=encode_cursor({"event": newest}), has_more=more)

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        """``Stripe-Signature`` (``t=…,v1=…``) checked by the ``stripe`` library with the
        Connect endpoint's signing secret, within 300 seconds of now."""
        header = next((v for k, v in headers.items() if k.lower() == SIGNATURE_HEADER), None)
        if not header:
            return False
        try:
            stripe.WebhookSignature.verify_header(
                body.decode("utf-8"), header, secret, TOLERANCE_SECONDS
            )
        except (stripe.SignatureVerificationError, UnicodeDecodeError):
            return False
        return True

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[InboundChange]:
        """The four payment events: the payment intent changed (the pull reads the event)."""
        event = json_object(body)
        if event.get("type") not in WEBHOOK_EVENTS:
            return []
        record = event_record(event)
        if record is None or not record.external_id:
            return []
        return [InboundChange("payment_intent", str(record.external_id), "upsert")]

    def webhook_account(self, headers: Mapping[str, str], body: bytes) -> str | None:
        """The connected account a Connect event is about (``account``)."""
        account = json_object(body).get("account")
        return str(account) if account else None

    async def on_connect(
        self, connection: ConnectionContext, webhooks: WebhookEndpoint | None
    ) -> Mapping[str, Any]:
        """Makes sure the platform's Connect webhook endpoint points at Hubwire for the four
        events, and records its id. Stripe shows an endpoint's signing secret only when it
        is created, and it must be the one Hubwire verifies with, so Hubwire does not create
        it here: a missing one is an error on the connection naming what to set up."""
        if webhooks is None:
            return {}
        platform = _platform(connection)
        await connection.before_call()
        endpoints = await platform.v1.webhook_endpoints.list_async({"limit": 100})
        async for endpoint in endpoints.auto_paging_iter():
            enabled = set(endpoint.enabled_events)
            if endpoint.url == webhooks.url and ("*" in enabled or enabled >= set(WEBHOOK_EVENTS)):
                return {"webhookEndpoint": endpoint.id}
        raise ConnectorError(
            f"Stripe has no Connect webhook endpoint for {webhooks.url} with the events "
            f"{', '.join(WEBHOOK_EVENTS)}: create it (see docs/connectors/stripe.md) and "
            "put its signing secret in the stripe connector client's signing_secret."
        )

    def sandbox(self) -> Sandbox | None:
        # Imported here: the sandbox loads only in processes that mount it or test with it.
        from connectors.stripe.sandbox import (
            DEFAULT_CLIENT_ID,
            DEFAULT_CLIENT_SECRET,
            DEFAULT_SIGNING_SECRET,
            SandboxConfig,
            create_sandbox,
            set_webhook_target,
        )

        return Sandbox(
            create_app=lambda: create_sandbox(SandboxConfig()),
            client_id=DEFAULT_CLIENT_ID,
            client_secret=DEFAULT_CLIENT_SECRET,
            set_webhook_target=set_webhook_target,
            signing_secret=DEFAULT_SIGNING_SECRET,
        )

"""The Stripe sandbox's state: one platform (Hubwire's Connect app), one connected account
with its payment intents, charges and event log, the platform's Connect webhook endpoints,
OAuth codes and tokens. Shapes follow Stripe's API reference (API version 2025-x, the
``stripe`` 16.x models); ids keep Stripe's prefixes (``pi_``, ``ch_``, ``evt_``, ``we_``)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from connectors.stripe.sandbox.config import SandboxConfig

API_VERSION = "2025-09-30.clover"


class StripeError(Exception):
    """An error Stripe answers with ``{"error": {type, code, message, param}}``."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.code, self.param = (
            status,
            message,
            type,
            code,
            param,
        )

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param:
            error["param"] = self.param
        return {"error": error}


def missing(kind: str, object_id: str, param: str = "id") -> StripeError:
    return StripeError(404, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(18).replace('-', 'x').replace('_', 'y')}"


def sign(payload: str, secret: str, timestamp: int) -> str:
    """The ``Stripe-Signature`` header: ``t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


@dataclass
class Outgoing:
    """One event delivery the sandbox made (or would make) to a webhook endpoint."""

    id: int
    url: str
    event_id: str
    event_type: str
    headers: dict[str, str]
    body: str
    status: int | None = None
    error: str | None = None


@dataclass
class Code:
    scope: str
    redirect_uri: str
    expires_at: float


@dataclass
class Store:
    config: SandboxConfig
    clock: Callable[[], float] = time.time
    account: dict[str, Any] = field(default_factory=dict)
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    charges: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Oldest first; lists answer newest first as Stripe does.
    events: list[dict[str, Any]] = field(default_factory=list)
    endpoints: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    # Access token -> scope; OAuth tokens of the connected account ("read_only").
    tokens: dict[str, str] = field(default_factory=dict)
    refresh_tokens: set[str] = field(default_factory=set)
    outbox: list[Outgoing] = field(default_factory=list)
    sequence: int = 0

    def __post_init__(self) -> None:
        self.account = {
            "id": self.config.account_id,
            "object": "account",
            "business_profile": {"name": "Sandbox Coffee Ltd", "url": None},
            "charges_enabled": True,
            "country": "GB",
            "default_currency": "gbp",
            "email": "owner@sandbox-coffee.example",
            "type": "standard",
            "created": int(self.clock()) - 86_400,
        }
        self.tokens.update(dict.fromkeys(self.config.static_tokens, "read_only"))
        for endpoint in self.config.endpoints:
            self.add_endpoint(endpoint, list(self.config.endpoint_events), connect=True)

    def _created(self) -> int:
        return int(self.clock())

    # --- OAuth ---------------------------------------------------------------------

    def issue_code(self, scope: str, redirect_uri: str) -> str:
        code = f"ac_{secrets.token_urlsafe(24)}"
        self.codes[code] = Code(scope, redirect_uri, self.clock() + 300)
        return code

    def issue_token(self, scope: str) -> dict[str, Any]:
        access = f"sk_test_{secrets.token_urlsafe(32)}"
        refresh = f"rt_{secrets.token_urlsafe(32)}"
        self.tokens[access] = scope
        self.refresh_tokens.add(refresh)
        return {
            "access_token": access,
            "livemode": False,
            "refresh_token": refresh,
            "token_type": "bearer",
            "stripe_publishable_key": "pk_test_" + secrets.token_urlsafe(16),
            "stripe_user_id": self.account["id"],
            "scope": scope,
        }

    # --- webhooks --------------------------------------------------------------------

    def add_endpoint(self, url: str, events: list[str], *, connect: bool) -> dict[str, Any]:
        endpoint: dict[str, Any] = {
            "id": _id("we"),
            "object": "webhook_endpoint",
            "api_version": API_VERSION,
            "application": None,
            "created": self._created(),
            "description": None,
            "enabled_events": events,
            "livemode": False,
            "metadata": {},
            "status": "enabled",
            "url": url,
            "connect": connect,
            "secret": self.config.signing_secret if connect else f"whsec_{secrets.token_hex(24)}",
        }
        self.endpoints[endpoint["id"]] = endpoint
        return endpoint

    def record_event(self, event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
        self.sequence += 1
        event = {
            "id": f"evt_{self.sequence:06d}{secrets.token_hex(8)}",
            "object": "event",
            "account": self.account["id"],
            "api_version": API_VERSION,
            "created": self._created(),
            "data": {"object": dict(obj)},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
        }
        self.events.append(event)
        return event

    def signed(self, event: dict[str, Any], endpoint: dict[str, Any]) -> Outgoing:
        import json

        body = json.dumps(event, indent=2)
        headers = {
            "content-type": "application/json; charset=utf-8",
            "stripe-signature": sign(body, endpoint["secret"], self._created()),
            "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        }
        sent = Outgoing(
            len(self.outbox) + 1, endpoint["url"], event["id"], event["type"], headers, body
        )
        self.outbox.append(sent)
        return sent

    # --- payments (the admin surface acts as customers) ------------------------------

    def _charge(
        self, intent: dict[str, Any], outcome: str, person: dict[str, Any]
    ) -> dict[str, Any]:
        charge = {
            "id": _id("ch"),
            "object": "charge",
            "amount": intent["amount"],
            "amount_captured": intent["amount"] if outcome == "succeeded" else 0,
            "amount_refunded": 0,
            "billing_details": {
                "address": None,
                "email": person.get("email"),
                "name": person.get("name"),
                "phone": person.get("phone"),
            },
            "captured": outcome == "succeeded",
            "created": self._created(),
            "currency": intent["currency"],
            "customer": None,
            "description": intent["description"],
            "failure_code": "card_declined" if outcome == "failed" else None,
            "failure_message": "Your card was declined." if outcome == "failed" else None,
            "livemode": False,
            "metadata": {},
            "paid": outcome == "succeeded",
            "payment_intent": intent["id"],
            "receipt_email": person.get("email"),
            "refunded": False,
            "status": outcome,
        }
        self.charges[charge["id"]] = charge
        return charge

    def pay(
        self,
        *,
        amount: int,
        currency: str,
        outcome: str,
        person: dict[str, Any],
        description: str | None,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        intent: dict[str, Any] = {
            "id": _id("pi"),
            "object": "payment_intent",
            "amount": amount,
            "amount_received": amount if outcome == "succeeded" else 0,
            "capture_method": "automatic",
            "client_secret": None,
            "created": self._created(),
            "currency": currency.lower(),
            "customer": None,
            "description": description,
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "metadata": {},
            "payment_method_types": ["card"],
            "receipt_email": person.get("email"),
            "status": "processing",
        }
        self.intents[intent["id"]] = intent
        charge = self._charge(intent, outcome, person)
        intent["latest_charge"] = charge["id"]
        if outcome == "succeeded":
            intent["status"] = "succeeded"
        else:
            intent["status"] = "requires_payment_method"
            intent["last_payment_error"] = {
                "type": "card_error",
                "code": "card_declined",
                "decline_code": "generic_decline",
                "message": "Your card was declined.",
                "charge": charge["id"],
            }
        return intent, charge

    def refund(self, intent_id: str, amount: int | None) -> dict[str, Any]:
        intent = self.intent(intent_id)
        charge = self.charges[intent["latest_charge"]]
        if intent["status"] != "succeeded":
            raise StripeError(
                400,
                f"This PaymentIntent ({intent_id}) does not have a successful charge to refund.",
                code="charge_not_refundable",
            )
        left = charge["amount"] - charge["amount_refunded"]
        amount = left if amount is None else amount
        if amount <= 0 or amount > left:
            raise StripeError(
                400,
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                param="amount",
            )
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        return charge

    def checkout(self, intent: dict[str, Any], person: dict[str, Any]) -> dict[str, Any]:
        session = {
            "id": _id("cs_test"),
            "object": "checkout.session",
            "amount_subtotal": intent["amount"],
            "amount_total": intent["amount"],
            "created": self._created(),
            "currency": intent["currency"],
            "customer_details": {
                "email": person.get("email"),
                "name": person.get("name"),
                "phone": person.get("phone"),
            },
            "livemode": False,
            "mode": "payment",
            "payment_intent": intent["id"],
            "payment_status": "paid" if intent["status"] == "succeeded" else "unpaid",
            "status": "complete",
        }
        self.sessions[session["id"]] = session
        return session

    def intent(self, intent_id: str) -> dict[str, Any]:
        intent = self.intents.get(intent_id)
        if intent is None:
            raise missing("payment_intent", intent_id, "intent")
        return intent

    def expanded(self, intent: dict[str, Any], expand: list[str], prefix: str) -> dict[str, Any]:
        """The intent with ``latest_charge`` expanded when asked (``expand[]``)."""
        if f"{prefix}latest_charge" in expand and intent["latest_charge"]:
            return {**intent, "latest_charge": self.charges[intent["latest_charge"]]}
        return intent

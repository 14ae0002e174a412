"""The Calendly sandbox's account: one organization and its connecting user, event types,
scheduled events with their invitees, webhook subscriptions, OAuth grants and the webhooks
it sent (the outbox). Resources are kept in Calendly's JSON shapes."""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.calendly.sandbox.config import SandboxConfig

API = "https://api.calendly.com"


def iso(epoch: float) -> str:
    return (
        datetime.fromtimestamp(epoch, UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    )


def parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _id() -> str:
    return str(uuid.uuid4())


def uuid_of(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


class StoreError(Exception):
    """A Calendly error: status, ``title``, ``message`` and optional ``details``."""

    def __init__(
        self, status: int, title: str, message: str, details: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.title, self.message, self.details = status, title, message, details


NOT_FOUND = ("Resource Not Found", "The server could not find the requested resource.")


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    scope: str
    expires_at: float


@dataclass
class Outgoing:
    """A webhook the sandbox sent (or would have): exactly the signed request."""

    id: int
    url: str
    event: str
    headers: dict[str, str]
    body: str
    status: int | None = None
    error: str | None = None


@dataclass
class Store:
    config: SandboxConfig
    clock: Callable[[], float]
    user: dict[str, Any] = field(default_factory=dict)
    membership: dict[str, Any] = field(default_factory=dict)
    event_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    invitees: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    signing_keys: dict[str, str] = field(default_factory=dict)
    codes: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, float | None] = field(default_factory=dict)
    refresh_tokens: set[str] = field(default_factory=set)
    outbox: list[Outgoing] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        now = iso(self.clock())
        org = f"{API}/organizations/{_id()}"
        user_uri = f"{API}/users/{_id()}"
        self.user = {
            "uri": user_uri,
            "name": self.config.user_name,
            "slug": "sandy-host",
            "email": self.config.user_email,
            "scheduling_url": "https://calendly.com/sandy-host",
            "timezone": self.config.timezone,
            "avatar_url": None,
            "locale": "en",
            "created_at": now,
            "updated_at": now,
            "current_organization": org,
            "resource_type": "User",
        }
        self.membership = {
            "uri": f"{API}/organization_memberships/{_id()}",
            "role": self.config.role,
            "user": {k: self.user[k] for k in ("uri", "name", "email", "timezone")},
            "organization": org,
            "updated_at": now,
            "created_at": now,
        }
        self.event_types, self.events, self.invitees = {}, {}, {}
        self.subscriptions, self.signing_keys, self.outbox = {}, {}, []
        self.codes, self.refresh_tokens = {}, set()
        self.access_tokens = {token: None for token in self.config.static_tokens}
        for name, minutes, location in (
            ("30 Minute Meeting", 30, {"type": "google_conference"}),
            ("Product demo", 45, {"type": "physical", "location": "1 Main Street, London"}),
        ):
            uri = f"{API}/event_types/{_id()}"
            self.event_types[uuid_of(uri)] = {
                "uri": uri,
                "name": name,
                "active": True,
                "slug": name.lower().replace(" ", "-"),
                "scheduling_url": f"https://calendly.com/sandy-host/{minutes}min",
                "duration": minutes,
                "kind": "solo",
                "type": "StandardEventType",
                "color": "#0069ff",
                "profile": {"type": "User", "name": self.user["name"], "owner": user_uri},
                "created_at": now,
                "updated_at": now,
                "_location": location,
            }

    @property
    def org(self) -> str:
        return str(self.user["current_organization"])

    @property
    def is_admin(self) -> bool:
        return self.membership["role"] in ("owner", "admin")

    # --- OAuth ------------------------------------------------------------------------

    def issue_code(self, client_id: str, redirect_uri: str, scope: str) -> str:
        code = secrets.token_hex(32)
        expires = self.clock() + self.config.auth_code_ttl
        self.codes[code] = Grant(client_id, redirect_uri, scope, expires)
        return code

    def issue_tokens(self, scope: str) -> dict[str, Any]:
        access, refresh = secrets.token_urlsafe(48), secrets.token_urlsafe(32)
        self.access_tokens[access] = self.clock() + self.config.access_token_ttl
        self.refresh_tokens.add(refresh)
        return {
            "token_type": "Bearer",
            "access_token": access,
            "refresh_token": refresh,
            "scope": scope or "default",
            "created_at": int(self.clock()),
            "expires_in": self.config.access_token_ttl,
            "owner": self.user["uri"],
            "organization": self.org,
        }

    def token_state(self, token: str) -> str:
        """``valid``, ``expired`` or ``unknown``."""
        if token not in self.access_tokens:
            return "unknown"
        expires = self.access_tokens[token]
        return "valid" if expires is None or expires > self.clock() else "expired"

    # --- bookings (what invitees do on Calendly's pages) ------------------------------

    def _event(self, event_type: dict[str, Any], start: datetime) -> dict[str, Any]:
        now = iso(self.clock())
        uri = f"{API}/scheduled_events/{_id()}"
        location: dict[str, Any] = dict(event_type["_location"])
        if location["type"] == "google_conference":
            location.update(status="pushed", join_url=f"https://meet.google.com/{_id()[:12]}")
        return {
            "uri": uri,
            "name": event_type["name"],
            "meeting_notes_plain": None,
            "meeting_notes_html": None,
            "status": "active",
            "start_time": start.isoformat().replace("+00:00", "Z"),
            "end_time": (start + timedelta(minutes=event_type["duration"]))
            .isoformat()
            .replace("+00:00", "Z"),
            "event_type": event_type["uri"],
            "location": location,
            "invitees_counter": {"total": 1, "active": 1, "limit": 1},
            "created_at": now,
            "updated_at": now,
            "event_memberships": [
                {
                    "user": self.user["uri"],
                    "user_email": self.user["email"],
                    "user_name": self.user["name"],
                }
            ],
            "event_guests": [],
        }

    def _invitee(self, event: dict[str, Any], person: dict[str, Any]) -> dict[str, Any]:
        now = iso(self.clock())
        uri = f"{event['uri']}/invitees/{_id()}"
        name = person.get("name") or person["email"].split("@")[0]
        first, _, last = name.partition(" ")
        return {
            "uri": uri,
            "email": person["email"],
            "first_name": first,
            "last_name": last or None,
            "name": name,
            "status": "active",
            "questions_and_answers": list(person.get("questions_and_answers") or []),
            "timezone": person.get("timezone"),
            "event": event["uri"],
            "created_at": now,
            "updated_at": now,
            "tracking": {
                "utm_campaign": None,
                "utm_source": None,
                "utm_medium": None,
                "utm_content": None,
                "utm_term": None,
                "salesforce_uuid": None,
            },
            "text_reminder_number": person.get("text_reminder_number"),
            "rescheduled": False,
            "old_invitee": None,
            "new_invitee": None,
            "cancel_url": f"https://calendly.com/cancellations/{uuid_of(uri)}",
            "reschedule_url": f"https://calendly.com/reschedulings/{uuid_of(uri)}",
            "routing_form_submission": None,
            "cancellation": None,
            "payment": None,
            "no_show": None,
            "reconfirmation": None,
            "scheduling_method": None,
            "invitee_scheduled_by": None,
        }

    def book(self, person: dict[str, Any], start: datetime, event_type_uuid: str | None) -> str:
        """An invitee books a slot: a new one-on-one event; returns the invitee's uuid."""
        event_type = (
            self.event_types.get(event_type_uuid)
            if event_type_uuid
            else next(iter(self.event_types.values()))
        )
        if event_type is None:
            raise StoreError(404, *NOT_FOUND)
        event = self._event(event_type, start)
        invitee = self._invitee(event, person)
        self.events[uuid_of(event["uri"])] = event
        self.invitees[uuid_of(invitee["uri"])] = invitee
        return uuid_of(invitee["uri"])

    def invitee(self, invitee_uuid: str) -> dict[str, Any]:
        found = self.invitees.get(invitee_uuid)
        if found is None:
            raise StoreError(404, *NOT_FOUND)
        return found

    def cancel(self, invitee_uuid: str, reason: str, *, canceler: str = "invitee") -> None:
        invitee = self.invitee(invitee_uuid)
        if invitee["status"] == "canceled":
            raise StoreError(400, "Invalid Argument", "The invitee is already canceled.")
        now = iso(self.clock())
        cancellation = {
            "canceled_by": invitee["name"] if canceler == "invitee" else self.user["name"],
            "reason": reason,
            "canceler_type": canceler,
            "created_at": now,
        }
        invitee.update(status="canceled", cancellation=cancellation, updated_at=now)
        event = self.events[uuid_of(invitee["event"])]
        # One invitee per event here: canceling the invitee cancels the event.
        event.update(status="canceled", cancellation=cancellation, updated_at=now)
        event["invitees_counter"]["active"] = 0

    def reschedule(self, invitee_uuid: str, start: datetime) -> str:
        """Calendly's reschedule: the old invitee is canceled (``rescheduled: true``) and a
        new event with a new invitee (``old_invitee``) is booked. Returns the new uuid."""
        old = self.invitee(invitee_uuid)
        if old["status"] == "canceled":
            raise StoreError(400, "Invalid Argument", "A canceled invitee cannot reschedule.")
        event = self.events[uuid_of(old["event"])]
        event_type = self.event_types[uuid_of(event["event_type"])]
        person = {
            "email": old["email"],
            "name": old["name"],
            "timezone": old["timezone"],
            "text_reminder_number": old["text_reminder_number"],
            "questions_and_answers": old["questions_and_answers"],
        }
        new_uuid = self.book(person, start, uuid_of(event_type["uri"]))
        new = self.invitees[new_uuid]
        new["old_invitee"] = old["uri"]
        self.cancel(invitee_uuid, "Rescheduled")
        old.update(rescheduled=True, new_invitee=new["uri"])
        return new_uuid

    # --- webhook subscriptions --------------------------------------------------------

    def subscribe(self, body: dict[str, Any], default_key: str) -> dict[str, Any]:
        now = iso(self.clock())
        uri = f"{API}/webhook_subscriptions/{_id()}"
        scope = body["scope"]
        subscription = {
            "uri": uri,
            "callback_url": body["url"],
            "created_at": now,
            "updated_at": now,
            "retry_started_at": None,
            "state": "active",
            "events": list(body["events"]),
            "scope": scope,
            "organization": self.org,
            "user": self.user["uri"] if scope == "user" else None,
            "group": None,
            "creator": self.user["uri"],
        }
        self.subscriptions[uuid_of(uri)] = subscription
        self.signing_keys[uuid_of(uri)] = str(body.get("signing_key") or default_key)
        return subscription

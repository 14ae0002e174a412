"""What a connector declares about itself (docs/architecture.md, "Connectors"): frozen,
validated on creation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from core.plugins.events import EVENT_FILTER_PATTERN

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
OBJECT_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# The Hubwire resources a connector object may mirror (what the sync engine can read/write).
HUB_OBJECTS = ("lead", "call", "appointment", "payment")
# Lead fields an object may sync on top of the default ones (ObjectSpec.extra_fields).
EXTRA_LEAD_FIELDS = ("tags", "email_consent", "email_consent_source")


class ManifestError(ValueError):
    """A manifest that breaks the rules below; the message lists every problem."""

    def __init__(self, slug: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"connector manifest {slug!r} is invalid: " + "; ".join(problems))


class Direction(StrEnum):
    """How an object syncs: Hubwire → provider (push), provider → Hubwire (pull), or both."""

    PUSH = "push"
    PULL = "pull"
    BOTH = "both"

    @property
    def pushes(self) -> bool:
        return self in (Direction.PUSH, Direction.BOTH)

    @property
    def pulls(self) -> bool:
        return self in (Direction.PULL, Direction.BOTH)


@dataclass(frozen=True, slots=True)
class OAuth2Auth:
    """The provider's OAuth 2.0 authorization-code endpoints and the scopes Hubwire asks for.

    ``token_endpoint_auth_method``: how Hubwire's app authenticates at the token endpoint
    (``client_secret_post``, or ``client_secret_basic`` for providers that take only HTTP
    Basic). ``token_fields``: fields of the token answer kept with the credentials (sealed
    like the tokens, updated on every refresh) and handed to the connector in
    ``connection.credentials``: where the account's API lives, when the provider says so
    there (Pipedrive's ``api_domain``, Salesforce's ``instance_url``)."""

    authorize_url: str
    token_url: str
    scopes: tuple[str, ...] = ()
    token_endpoint_auth_method: str = "client_secret_post"  # noqa: S105 - a method name
    token_fields: tuple[str, ...] = ()
    type: str = field(default="oauth2", init=False)


@dataclass(frozen=True, slots=True)
class ApiKeyAuth:
    """A key the user pastes; ``header`` is where the connector sends it (documentation)."""

    header: str = "Authorization"
    instructions: str = ""
    type: str = field(default="api_key", init=False)


Auth = OAuth2Auth | ApiKeyAuth


@dataclass(frozen=True, slots=True)
class ObjectSpec:
    """An object type the connector syncs (the provider's name: ``contact``, ``deal``) and how.

    ``hub_object`` is the Hubwire resource it mirrors (``lead``, ``call``, ``appointment``,
    ``payment``);
    records the
    connector pushes and pulls carry that resource's field names. ``events`` are the Hubwire
    event types that make the sync engine push this object (the event's ``data.id`` is the
    resource to push). ``batch_size`` is the most records one ``push`` call receives.
    ``notify`` marks a notification object (a chat message, not a mirrored record): every
    event is pushed, even when the record's fields did not change, and records carry the
    event types that queued them (``Record.events``) and read-only context fields (a lead's
    ``source`` and ``url``, a call's ``lead_id``, ``lead_url`` and analysis ``score``).
    ``extra_fields`` adds lead fields from ``EXTRA_LEAD_FIELDS`` to its records, both ways
    (an email tool needs a lead's tags and its email marketing consent). ``pushes_lead``
    (objects of records that belong to a lead) makes a record whose lead the provider does
    not hold yet bring it: the engine pushes that lead first as the primary lead object
    (linked in the id map like any lead), then the record, instead of holding the record
    until a lead event pushes the lead (Xero books the payment of a lead that never
    converts). ``create_makes_more`` marks an object whose create also makes other records
    at the provider (Pipedrive opens a lead on each new person): a pull then leaves a
    record that may be the one an unrecorded create made (same email, written no earlier
    than a second before the push was queued, the push still pending) to that push, whose
    retry finds it and makes the rest; linked by the pull, the retry would find nothing
    changed and stop."""

    name: str
    direction: Direction
    description: str = ""
    hub_object: str = "lead"
    events: tuple[str, ...] = ()
    batch_size: int = 100
    notify: bool = False
    extra_fields: tuple[str, ...] = ()
    pushes_lead: bool = False
    create_makes_more: bool = False


@dataclass(frozen=True, slots=True)
class RateLimit:
    """A provider limit: ``requests`` per ``window_seconds``, counted per ``per``
    (``connection``: one provider account, ``app``: all of Hubwire's traffic). ``calls``
    None counts every call; a name counts only the calls the connector announces with
    ``connection.before_call(that name)`` (HubSpot's searches have a limit of their own),
    which count against the every-call limits too."""

    requests: int
    window_seconds: int
    per: str = "connection"
    calls: str | None = None


@dataclass(frozen=True, slots=True)
class Manifest:
    slug: str
    title: str
    auth: Auth
    description: str = ""
    events: tuple[str, ...] = ()
    objects: tuple[ObjectSpec, ...] = ()
    rate_limits: tuple[RateLimit, ...] = ()
    webhooks: bool = False
    # Seconds the provider's list or search reads may lag a change its webhook reported
    # (HubSpot's search index): the pull a webhook wakes runs at once, and once more this
    # long after, so a change the first pull could not see yet is not left to the schedule.
    webhook_settle_seconds: float = 0.0
    # The status Hubwire answers a verified inbound webhook with: 202 unless the provider
    # insists on another (Xero's intent-to-receive handshake wants exactly 200).
    webhook_status: int = 202

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ManifestError(self.slug, problems)

    def problems(self) -> list[str]:
        """Every rule this manifest breaks (empty when valid)."""
        found: list[str] = []
        if not SLUG_PATTERN.match(self.slug):
            found.append(f"slug {self.slug!r} must match {SLUG_PATTERN.pattern}")
        if not self.title.strip():
            found.append("title must not be empty")
        if not isinstance(self.auth, OAuth2Auth | ApiKeyAuth):
            found.append("auth must be OAuth2Auth or ApiKeyAuth")
        elif isinstance(self.auth, OAuth2Auth):
            for name in ("authorize_url", "token_url"):
                if not getattr(self.auth, name).startswith(("https://", "http://")):
                    found.append(f"auth.{name} must be an http(s) URL")
        for event in self.events:
            if not EVENT_FILTER_PATTERN.match(event):
                found.append(f"event {event!r} is not an event type or pattern like `lead.*`")
        names = [o.name for o in self.objects]
        if len(set(names)) != len(names):
            found.append("object names must be unique")
        for obj in self.objects:
            if not OBJECT_PATTERN.match(obj.name):
                found.append(f"object name {obj.name!r} must match {OBJECT_PATTERN.pattern}")
            if not isinstance(obj.direction, Direction):
                found.append(f"object {obj.name!r} needs a direction (push, pull or both)")
            if obj.hub_object not in HUB_OBJECTS:
                found.append(
                    f"object {obj.name!r}: hub_object must be one of {', '.join(HUB_OBJECTS)}"
                )
            extra = [f for f in obj.extra_fields if f not in EXTRA_LEAD_FIELDS]
            if extra and obj.hub_object == "lead":
                found.append(f"object {obj.name!r}: unknown extra_fields {', '.join(extra)}")
            elif obj.extra_fields and obj.hub_object != "lead":
                found.append(f"object {obj.name!r}: extra_fields are for leads only")
            if obj.batch_size < 1:
                found.append(f"object {obj.name!r}: batch_size must be positive")
            if obj.pushes_lead and not self._lead_pushed_before(obj):
                found.append(
                    f"object {obj.name!r}: pushes_lead needs another object that pushes leads"
                )
            for event in obj.events:
                if event not in self.events:
                    found.append(f"object {obj.name!r}: event {event!r} is not in `events`")
        for limit in self.rate_limits:
            if limit.requests < 1 or limit.window_seconds < 1:
                found.append("rate limits need positive requests and window_seconds")
            if limit.per not in ("connection", "app"):
                found.append("rate limit `per` must be `connection` or `app`")
        return found

    def object(self, name: str) -> ObjectSpec | None:
        return next((o for o in self.objects if o.name == name), None)

    def _lead_pushed_before(self, obj: ObjectSpec) -> bool:
        """Whether a lead object other than ``obj`` pushes (the one its lead goes to)."""
        return obj.direction.pushes and any(
            o is not obj and o.hub_object == "lead" and o.direction.pushes for o in self.objects
        )

    def catalog_entry(self) -> dict[str, Any]:
        """The plain-data form ``GET /v1/connectors`` and ``hubwire connectors list`` show."""
        auth: dict[str, Any]
        if isinstance(self.auth, OAuth2Auth):
            auth = {
                "type": "oauth2",
                "authorize_url": self.auth.authorize_url,
                "token_url": self.auth.token_url,
                "scopes": list(self.auth.scopes),
            }
        else:
            auth = {"type": "api_key", "header": self.auth.header}
        return {
            "slug": self.slug,
            "title": self.title,
            "description": self.description,
            "auth": auth,
            "events": list(self.events),
            "objects": [
                {
                    "name": o.name,
                    "direction": o.direction.value,
                    "description": o.description,
                    "hub_object": o.hub_object,
                }
                for o in self.objects
            ],
            "rate_limits": [
                {"requests": r.requests, "window_seconds": r.window_seconds, "per": r.per}
                for r in self.rate_limits
            ],
            "webhooks": self.webhooks,
        }

"""The typed values a connector's operations take and return."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

# An opaque position in the provider's change feed, chosen by the connector (a timestamp,
# a page token…). Hubwire stores it after a page is applied and hands it back unchanged.
Cursor = str


@dataclass(frozen=True, slots=True)
class Record:
    """One object on either side: ``hubwire_id`` is set for records Hubwire holds,
    ``external_id`` for records the provider holds; ``fields`` uses Hubwire's field names.
    ``related`` gives the provider ids of records this one belongs to, by Hubwire object
    (``{"lead": "<contact id>"}`` for a call), when the provider already holds them.
    ``events`` is set for objects that notify (``ObjectSpec.notify``): the Hubwire event
    types that queued this push, oldest first. ``external_key`` is a second provider id
    that survives a change of ``external_id`` (Mailchimp's ``contact_id``; its member id is
    the hash of the address), so a pulled record whose id changed still finds its lead."""

    object_type: str
    fields: Mapping[str, Any]
    hubwire_id: str | None = None
    external_id: str | None = None
    updated_at: datetime | None = None
    related: Mapping[str, str] = field(default_factory=dict)
    events: tuple[str, ...] = ()
    external_key: str | None = None


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Whether the connection works; ``account`` names the provider account when known."""

    ok: bool
    account: str | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class PushOutcome:
    hubwire_id: str | None
    external_id: str | None
    error: str | None = None
    external_key: str | None = None  # see ``Record.external_key``
    # The provider's modification time of the record as this write left it, when its answer
    # says (the time a pull reads as the record's ``updated_at``). A record pulled later
    # still at that time holds what was pushed, not an edit made at the provider, so a
    # Hubwire edit made while the push was in flight is not taken for the older one.
    updated_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class PushResult:
    """One outcome per pushed record, in the order they were given."""

    outcomes: tuple[PushOutcome, ...]

    @property
    def succeeded(self) -> list[PushOutcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[PushOutcome]:
        return [o for o in self.outcomes if not o.ok]


@dataclass(frozen=True, slots=True)
class PullPage:
    """Changes since a cursor. ``next_cursor`` is where the next pull starts (also when
    ``has_more`` is false: it is the position to resume from later). ``deleted``: provider
    ids of records deleted at the provider since the cursor (for providers that report
    deletions in a feed rather than by webhook); their Hubwire records are deleted."""

    records: tuple[Record, ...]
    next_cursor: Cursor | None
    has_more: bool = False
    deleted: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InboundChange:
    """One change a provider's webhook reports. ``previous_external_id``: the id the
    provider knew the record by before this change re-keyed it (an address change at
    Mailchimp); the id map follows it to ``external_id``."""

    object_type: str
    external_id: str
    action: Literal["upsert", "delete"] = "upsert"
    fields: Mapping[str, Any] = field(default_factory=dict)
    occurred_at: datetime | None = None
    previous_external_id: str | None = None


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What one sync step did; passed to the ``hubwire_sync_result`` observers."""

    connector: str
    connection_id: str
    workspace_id: str
    object_type: str
    direction: Literal["push", "pull"]
    processed: int
    failed: int = 0
    cursor: Cursor | None = None
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

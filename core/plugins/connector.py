"""The typed base every connector implements (docs/architecture.md, "Connectors")."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from core.plugins.context import ConnectionContext
from core.plugins.errors import Unsupported
from core.plugins.manifest import Manifest
from core.plugins.types import CheckResult, Cursor, InboundChange, PullPage, PushResult, Record


@dataclass(frozen=True, slots=True)
class Sandbox:
    """A connector's local fake of its provider. ``make run`` mounts ``create_app()`` at
    ``/sandbox/<slug>`` and connects with ``client_id``/``client_secret`` (an app the sandbox
    knows); every provider path (OAuth endpoints included) is served under that root.
    ``set_webhook_target(app, url)`` points the sandbox's outbound webhooks at Hubwire's
    inbound endpoint for the connector, when the provider sends webhooks.
    ``signing_secret`` is the secret the sandbox signs those requests with, when it differs
    from the client secret (Slack's signing secret, Calendly's webhook signing key).
    ``save_state(app)``/``load_state(app, state)`` keep the sandbox's account (its records
    and the tokens it issued) across restarts of ``make run`` as JSON under
    ``HUBWIRE_SANDBOX_STATE_DIR``; without them a restarted sandbox starts empty."""

    create_app: Callable[[], Any]
    client_id: str
    client_secret: str
    set_webhook_target: Callable[[Any, str], None] | None = None
    signing_secret: str | None = field(default=None, repr=False)
    save_state: Callable[[Any], Mapping[str, Any]] | None = None
    load_state: Callable[[Any, Mapping[str, Any]], None] | None = None


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    """Where a connection's provider webhooks go (``POST /v1/connectors/<slug>/webhooks``)
    and the key they must be signed with (the one ``verify_webhook`` is given)."""

    url: str
    signing_key: str = field(repr=False)


class Connector(ABC):
    """A connector: a class-level ``manifest`` and the operations it declares.

    ``check`` is required. ``push``/``pull`` are required when an object of the manifest
    pushes/pulls, ``verify_webhook``/``parse_webhook`` when ``manifest.webhooks`` is true; the
    defaults raise ``Unsupported`` and the test kit checks the manifest and code agree.
    Operations are stateless: everything about the account comes in the ``ConnectionContext``.
    """

    manifest: ClassVar[Manifest]

    @property
    def slug(self) -> str:
        return self.manifest.slug

    @abstractmethod
    async def check(self, connection: ConnectionContext) -> CheckResult:
        """Calls the provider with the connection's credentials; ``ok`` when they work."""

    async def push(
        self, connection: ConnectionContext, object_type: str, records: Sequence[Record]
    ) -> PushResult:
        """Creates or updates ``records`` at the provider (records with an ``external_id``
        are updates); one outcome per record, in order. Per-record failures go in the
        outcomes; raise only when the whole batch failed."""
        raise Unsupported(f"{self.slug} does not push {object_type}")

    async def pull(
        self, connection: ConnectionContext, object_type: str, cursor: Cursor | None
    ) -> PullPage:
        """One page of records changed since ``cursor`` (``None``: from the beginning)."""
        raise Unsupported(f"{self.slug} does not pull {object_type}")

    async def read(
        self, connection: ConnectionContext, object_type: str, external_ids: Sequence[str]
    ) -> Sequence[Record]:
        """The provider's current version of the records ``external_ids`` name, read by id
        (never through a search index that may lag writes), as ``pull`` returns them: with
        ``external_id`` and ``updated_at`` (when the provider last changed the record).
        Records the provider no longer holds are left out. Optional, for objects that pull:
        before a push updates records, the engine reads them with it and applies them as a
        pull applies a page (last write wins), so a newer edit at the provider is pulled in
        instead of overwritten; a connector without it has the object pulled instead."""
        raise Unsupported(f"{self.slug} does not read {object_type} by id")

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        """Whether an inbound provider webhook is authentic (signature, timestamp)."""
        raise Unsupported(f"{self.slug} does not receive webhooks")

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[InboundChange]:
        """The changes a verified inbound webhook reports."""
        raise Unsupported(f"{self.slug} does not receive webhooks")

    def webhook_event_ids(self, headers: Mapping[str, str], body: bytes) -> Sequence[str]:
        """The provider's ids of the events a verified inbound webhook carries (empty: it
        names none). Hubwire remembers them per provider account, and a delivery whose
        events were all seen before (a provider's retry of a batch it thinks failed) is
        acknowledged without acting again."""
        return ()

    def webhook_account(self, headers: Mapping[str, str], body: bytes) -> str | None:
        """The provider account a verified inbound webhook is about (matched against the
        ``account`` that ``check`` reported), so Hubwire routes it to that connection only.
        None: the webhook cannot be routed and is ignored."""
        return None

    def webhook_connection(self, headers: Mapping[str, str], body: bytes) -> str | None:
        """The one Hubwire connection a verified inbound webhook is for, when the URL it was
        sent to names it (providers that sign nothing, like Mailchimp, are given one URL
        per connection): it is routed to that connection only. None: route by
        ``webhook_account``."""
        return None

    def settings_problems(self, settings: Mapping[str, Any]) -> list[str]:
        """What is wrong with a connection's ``settings`` (empty: they are valid). The
        connections API refuses settings with problems with a 422 listing them."""
        return []

    async def on_connect(
        self, connection: ConnectionContext, webhooks: WebhookEndpoint | None
    ) -> Mapping[str, Any]:
        """Called once a connection became active (consent completed, key accepted), with
        its credentials, before the first pull: set up what the account needs (a webhook
        subscription at ``webhooks``, given when ``manifest.webhooks`` is true and Hubwire
        knows its client at the provider). Returns settings to keep on the connection (a
        subscription's id); ``on_disconnect`` finds them in ``connection.settings``. A
        failure is logged on the connection and does not undo the connection."""
        return {}

    async def on_disconnect(self, connection: ConnectionContext) -> None:
        """Called when a connection is deleted, before its credentials are: undo what
        ``on_connect`` set up at the provider. A failure is logged and the connection is
        deleted anyway."""
        return None

    def sandbox(self) -> Sandbox | None:
        """The connector's sandbox, or None when it ships none."""
        return None

    def overrides(self, operation: str) -> bool:
        """Whether this connector implements ``operation`` itself."""
        return getattr(type(self), operation) is not getattr(Connector, operation)

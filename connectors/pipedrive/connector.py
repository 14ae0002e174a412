"""The Pipedrive connector (docs/connectors/pipedrive.md): leads as Persons (each with a
Pipedrive Lead), calls as ``call`` Activities, and Persons changed in Pipedrive back as leads.

Pipedrive has no batch writes for these objects: a push of N records is N single-entity
requests (plus the look-ups that make a retried create find what it made before), each one
through the sync engine's budget. Creates are idempotent: a lead is looked up by its email
(else phone) before a Person is created, and a call by the marker line in its note."""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

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
    PushOutcome,
    PushResult,
    RateLimit,
    Record,
    Sandbox,
    Unsupported,
    WebhookEndpoint,
)
from connectors.kit.codec import json_object
from connectors.pipedrive import mapping
from connectors.pipedrive.client import Pipedrive, PipedriveRejected

logger = logging.getLogger("hubwire.connectors.pipedrive")

SCOPES = ("base", "contacts:full", "leads:full", "activities:full", "webhooks:full")
# Token-based limits: requests per user per rolling 2 s (the Growth plan's burst limit; a
# Lite company has 20, Premium 80, Ultimate 120). The daily token budget per company is
# not a request count: a spent budget fails the step until midnight UTC.
BURST_REQUESTS, BURST_SECONDS = 40, 2
# One push call's records. Pipedrive writes one entity per request, so this is how many
# records one connector.push handles, not a provider batch (docs: "Limits").
BATCH_SIZE = 100
# Records of one push in flight at once (the budget still paces the requests): one at a
# time, a request's round trip would leave the rate limit unused.
IN_FLIGHT = 4
WEBHOOK_USER = "hubwire"
WEBHOOK_OBJECTS = ("person", "activity")
EPOCH_CURSOR = "1970-01-01 00:00:00"

MANIFEST = Manifest(
    slug="pipedrive",
    title="Pipedrive",
    description=(
        "Leads as Pipedrive persons (both ways, each with a Pipedrive lead), calls as call "
        "activities; person and activity webhooks."
    ),
    auth=OAuth2Auth(
        authorize_url="https://oauth.pipedrive.com/oauth/authorize",
        token_url="https://oauth.pipedrive.com/oauth/token",  # noqa: S106 - a URL
        scopes=SCOPES,
        # Pipedrive authenticates the app at its token endpoint with HTTP Basic only.
        token_endpoint_auth_method="client_secret_basic",  # noqa: S106 - a method name
        # The company's API root (https://<company>.pipedrive.com), kept in settings.
        token_fields=("api_domain",),
    ),
    events=("lead.created", "lead.updated", "call.ended", "call.transcribed"),
    objects=(
        ObjectSpec(
            "person",
            Direction.BOTH,
            "Leads as persons; a new one also opens a Pipedrive lead.",
            hub_object="lead",
            events=("lead.created", "lead.updated"),
            batch_size=BATCH_SIZE,
            create_makes_more=True,  # the Pipedrive lead
        ),
        ObjectSpec(
            "activity",
            Direction.PUSH,
            "Calls as call activities on the person.",
            hub_object="call",
            events=("call.ended", "call.transcribed"),
            batch_size=BATCH_SIZE,
        ),
    ),
    rate_limits=(RateLimit(BURST_REQUESTS, BURST_SECONDS, "connection"),),
    webhooks=True,
)


@dataclass
class _Outcome:
    external_id: str | None = None
    error: str | None = None


def _refused(record: Record, exc: PipedriveRejected) -> str:
    """What the sync log shows for a refused record: the record and Pipedrive's message."""
    logger.warning(
        "pipedrive refused %s %s (status %s): %s",
        record.object_type,
        record.hubwire_id,
        exc.status,
        exc.message,
    )
    return f"Pipedrive refused {record.hubwire_id}: {exc.message} ({exc.status})"


async def _existing_person(api: Pipedrive, lead: Mapping[str, Any]) -> int | None:
    """The person a create already made (a retry after a crash), by email, else phone."""
    for field, value in (("email", lead.get("email")), ("phone", lead.get("phone"))):
        text = str(value or "").strip()
        if text:
            found = await api.find_persons(text, field)
            if found:
                return min(found)
    return None


async def _push_person(api: Pipedrive, record: Record) -> _Outcome:
    lead = record.fields
    body = mapping.person_body(lead)
    try:
        if record.external_id:
            person = await api.update_person(int(record.external_id), body)
            return _Outcome(str(person.id))
        existing = await _existing_person(api, lead)
        if existing is not None:
            await api.update_person(existing, body)
            if not await api.leads_of(existing):
                await api.create_lead(mapping.lead_title(lead), existing)
            return _Outcome(str(existing))
        if "name" not in body:
            return _Outcome(
                error=f"{record.hubwire_id}: a Pipedrive person needs a name, email or phone"
            )
        person = await api.create_person(body)
        await api.create_lead(mapping.lead_title(lead), person.id)
        return _Outcome(str(person.id))
    except PipedriveRejected as exc:
        return _Outcome(error=_refused(record, exc))


def _identity(record: Record) -> str:
    """Records that may be the same person (same email, else phone) are written one after
    the other, so a look-up sees the person the other one made; the rest in parallel."""
    if record.external_id:
        return f"id:{record.external_id}"
    for name in ("email", "phone"):
        value = str(record.fields.get(name) or "").strip().lower()
        if value:
            return f"{name}:{value}"
    return f"record:{id(record)}"


async def _push_persons(api: Pipedrive, records: Sequence[Record]) -> list[_Outcome]:
    outcomes = [_Outcome() for _ in records]
    lanes: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        lanes.setdefault(_identity(record), []).append(index)
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def lane(indexes: list[int]) -> None:
        async with gate:
            for index in indexes:
                outcomes[index] = await _push_person(api, records[index])

    await asyncio.gather(*(lane(indexes) for indexes in lanes.values()))
    return outcomes


async def _push_activities(api: Pipedrive, records: Sequence[Record]) -> list[_Outcome]:
    outcomes = [_Outcome() for _ in records]
    # The activities each person already has, read once per person: a create retried after
    # a crash finds its activity by the marker line instead of making a second one.
    known: dict[int, dict[str, int]] = {}
    for index, record in enumerate(records):
        person = record.related.get("lead")
        person_id = int(person) if person and person.isdigit() else None
        call_id = record.hubwire_id or ""
        body = mapping.activity_body(record.fields, call_id, person_id)
        try:
            if record.external_id:
                body.pop("participants", None)
                made = await api.update_activity(int(record.external_id), body)
                outcomes[index] = _Outcome(str(made.id))
                continue
            if person_id is not None and call_id:
                if person_id not in known:
                    known[person_id] = {
                        marker: a.id
                        for a in await api.activities_of(person_id)
                        if a.type == "call" and (marker := mapping.call_marker_of(a.note))
                    }
                found = known[person_id].get(call_id)
                if found is not None:
                    body.pop("participants", None)
                    made = await api.update_activity(found, body)
                    outcomes[index] = _Outcome(str(made.id))
                    continue
            made = await api.create_activity(body)
            if person_id is not None and call_id:
                known.setdefault(person_id, {})[call_id] = made.id
            outcomes[index] = _Outcome(str(made.id))
        except PipedriveRejected as exc:
            outcomes[index] = _Outcome(error=_refused(record, exc))
    return outcomes


def _encode(since: str, start: int, last: tuple[str, int] | None) -> Cursor:
    position: dict[str, Any] = {"since": since, "start": start}
    if last is not None:
        position["last"] = [last[0], last[1]]
    return json.dumps(position, separators=(",", ":"))


def _decode(cursor: Cursor) -> tuple[str, int, tuple[str, int] | None]:
    try:
        position = json.loads(cursor)
        since, start = str(position["since"]), int(position["start"])
        mapping.parse_v1_time(since)
        raw = position.get("last")
        last = (str(raw[0]), int(raw[1])) if raw else None
    except (ValueError, KeyError, TypeError, IndexError):
        raise ConnectorError(f"not a Pipedrive cursor: {cursor!r}") from None
    return since, start, last


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == name), None)


def webhook_password(signing_key: str, company_id: str) -> str:
    """The HTTP Basic password Hubwire gives Pipedrive for one company's webhooks: derived
    from Hubwire's key and the company, so each company has its own and a password only
    vouches for webhooks about its own company."""
    digest = hmac.new(signing_key.encode(), f"pipedrive:{company_id}".encode(), hashlib.sha256)
    return digest.hexdigest()


class PipedriveConnector(Connector):
    """Leads ↔ persons (+ a Pipedrive lead each), calls → call activities."""

    manifest = MANIFEST

    async def check(self, connection: ConnectionContext) -> CheckResult:
        try:
            async with Pipedrive(connection) as api:
                me = await api.me()
        except (AuthFailed, PipedriveRejected) as exc:
            return CheckResult(ok=False, detail=str(exc))
        # The company id: webhooks carry it (meta.company_id) and are routed by it.
        return CheckResult(ok=True, account=str(me.company_id), detail=me.company_name or "")

    async def push(
        self, connection: ConnectionContext, object_type: str, records: Sequence[Record]
    ) -> PushResult:
        if object_type not in ("person", "activity"):
            raise Unsupported(f"pipedrive does not push {object_type}")
        async with Pipedrive(connection) as api:
            if object_type == "person":
                outcomes = await _push_persons(api, records)
            else:
                outcomes = await _push_activities(api, records)
        return PushResult(
            tuple(
                PushOutcome(r.hubwire_id, o.external_id, o.error)
                for r, o in zip(records, outcomes, strict=True)
            )
        )

    async def pull(
        self, connection: ConnectionContext, object_type: str, cursor: Cursor | None
    ) -> PullPage:
        """Persons changed since the cursor, oldest change first, from ``/v1/recents``.

        The cursor holds the ``since_timestamp`` of the sweep, the ``start`` of its next page
        and the last ``(update_time, id)`` handed out. A sweep pages with ``start``; once it
        has read everything, the next one starts from the last change read (whole seconds:
        that second is read and handed out again, since a person changed twice within it
        keeps its ``update_time``; the engine finds what it applied already unchanged).
        Deleted persons come with ``active_flag: false`` and are not handed out as records:
        their webhook (``delete``) removes the lead (docs: "Pull and its cursor")."""
        if object_type != "person":
            raise Unsupported(f"pipedrive does not pull {object_type}")
        since, start, last = _decode(cursor) if cursor else (EPOCH_CURSOR, 0, None)
        async with Pipedrive(connection) as api:
            page = await api.recent_persons(since, start)
        records: list[Record] = []
        newest = last
        for person in page.persons:
            key = (person.update_time, person.id)
            # Whole seconds: a person changed again in the second already read has the same
            # update_time, so that second is handed out again (the engine finds what did
            # not change unchanged); only earlier seconds are skipped.
            if last is not None and key[0] < last[0]:
                continue
            newest = key if newest is None or key > newest else newest
            if not person.active_flag:
                continue
            records.append(
                Record(
                    "person",
                    mapping.lead_fields(person.name, person.email, person.phone),
                    external_id=str(person.id),
                    updated_at=mapping.parse_v1_time(person.update_time),
                )
            )
        if page.more and page.next_start is not None:
            return PullPage(tuple(records), _encode(since, page.next_start, newest), True)
        resume = since if newest is None else newest[0]
        return PullPage(tuple(records), _encode(resume, 0, newest), False)

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        """HTTP Basic credentials (Pipedrive's only webhook authentication): user
        ``hubwire`` and the password ``on_connect`` derived for the company the body names.
        Basic auth does not cover the body: a webhook only names what changed, and the
        pull reads the person itself from the API."""
        header = _header(headers, "authorization") or ""
        if not header.lower().startswith("basic ") or not secret:
            return False
        try:
            user, _, password = base64.b64decode(header[6:], validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        company = self.webhook_account(headers, body)
        if user != WEBHOOK_USER or company is None:
            return False
        return hmac.compare_digest(password, webhook_password(secret, company))

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[InboundChange]:
        """A webhooks v2 message: a person created or changed wakes the pull, a person
        deleted removes its lead; activities the same (a deleted one forgets its map)."""
        meta = json_object(body).get("meta")
        if not isinstance(meta, dict) or meta.get("entity") not in WEBHOOK_OBJECTS:
            return []
        entity_id = str(meta.get("entity_id") or "")
        if not entity_id:
            return []
        action: Literal["upsert", "delete"] = (
            "delete" if meta.get("action") == "delete" else "upsert"
        )
        when = meta.get("timestamp")
        occurred = (
            datetime.fromisoformat(str(when).replace("Z", "+00:00"))
            if isinstance(when, str)
            else None
        )
        return [InboundChange(str(meta["entity"]), entity_id, action, occurred_at=occurred)]

    def webhook_account(self, headers: Mapping[str, str], body: bytes) -> str | None:
        meta = json_object(body).get("meta")
        company = meta.get("company_id") if isinstance(meta, dict) else None
        return str(company) if company is not None else None

    async def on_connect(
        self, connection: ConnectionContext, webhooks: WebhookEndpoint | None
    ) -> Mapping[str, Any]:
        """Subscribes Hubwire to the company's person and activity changes (webhooks v2,
        ``event_action: *``) with HTTP Basic credentials; a subscription to the same URL and
        object that exists already is kept."""
        if webhooks is None:
            return {}
        made: list[int] = []
        async with Pipedrive(connection) as api:
            me = await api.me()
            password = webhook_password(webhooks.signing_key, str(me.company_id))
            existing = {(w.event_object, w.subscription_url): w.id for w in await api.webhooks()}
            for entity in WEBHOOK_OBJECTS:
                found = existing.get((entity, webhooks.url))
                if found is None:
                    hook = await api.create_webhook(
                        url=webhooks.url, event_object=entity, user=WEBHOOK_USER, password=password
                    )
                    found = hook.id
                made.append(found)
        return {"webhookIds": made}

    async def on_disconnect(self, connection: ConnectionContext) -> None:
        """Deletes the subscriptions ``on_connect`` made (gone already: fine)."""
        ids = connection.settings.get("webhookIds")
        if not isinstance(ids, list):
            return
        async with Pipedrive(connection) as api:
            for hook_id in ids:
                try:
                    await api.delete_webhook(int(hook_id))
                except PipedriveRejected as exc:
                    if exc.status != 404:
                        raise

    def sandbox(self) -> Sandbox | None:
        # Imported here: the sandbox loads only in processes that mount it or test with it.
        from connectors.pipedrive.sandbox import (
            DEFAULT_CLIENT_ID,
            DEFAULT_CLIENT_SECRET,
            SandboxConfig,
            create_sandbox,
        )

        return Sandbox(
            create_app=lambda: create_sandbox(SandboxConfig()),
            client_id=DEFAULT_CLIENT_ID,
            client_secret=DEFAULT_CLIENT_SECRET,
        )


__all__ = ["MANIFEST", "PipedriveConnector", "webhook_password"]

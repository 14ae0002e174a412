"""The HubSpot connector (docs/connectors/hubspot.md).

It talks to HubSpot through the official ``hubspot-api-client`` SDK. The SDK is synchronous:
each call runs in a worker thread, inside ``connection.call()`` (a slot of the sync engine's
rate budget, held until the answer is in), with urllib3's own retries off so a 429 reaches
the engine, which owns retries."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
import urllib3
from hubspot import HubSpot  # type: ignore[import-untyped]
from hubspot.crm import contacts as sdk_contacts  # type: ignore[import-untyped]
from hubspot.crm import deals as sdk_deals
from hubspot.crm.objects import notes as sdk_notes  # type: ignore[import-untyped]
from hubspot.exceptions import InvalidSignatureTimestampError  # type: ignore[import-untyped]
from hubspot.utils.signature import Signature  # type: ignore[import-untyped]
from urllib3.util.retry import Retry

from connectors.hubspot import mapping
from connectors.hubspot.uri import signed_uri
from connectors.kit import (
    REQUEST_URI_HEADER,
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
    ProviderRateLimited,
    PullPage,
    PushOutcome,
    PushResult,
    RateLimit,
    Record,
    Sandbox,
    Unsupported,
)

API_ROOT = "https://api.hubapi.com"
# HubSpot's dated OAuth API; v1 (``/oauth/v1/...``) is switched off on 2027-02-16.
OAUTH_API = "/oauth/2026-03"
SCOPES = ("crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.write")
PAGE_SIZE = 100  # search results per pull page
SEARCH = "search"  # the calls HubSpot limits on their own (RateLimit.calls)
SEARCH_PER_SECOND = 5
# HubSpot's search index lags writes by seconds: a pull that has caught up keeps its cursor
# this far behind the clock, so a contact indexed late is read by the next pull. A
# connection's ``searchSettleSeconds`` setting changes it.
SEARCH_SETTLE_SECONDS = 30.0
# How long after a webhook the search index has caught up with the change it reported.
SEARCH_INDEX_CATCH_UP_SECONDS = 10.0
BATCH_LIMIT = 100  # HubSpot's most inputs per batch call
SIGNATURE_HEADER = "x-hubspot-signature-v3"
TIMESTAMP_HEADER = "x-hubspot-request-timestamp"
MAX_WEBHOOK_AGE_MS = 5 * 60 * 1000
_API_ERRORS: tuple[type[Exception], ...] = (
    sdk_contacts.ApiException,
    sdk_deals.ApiException,
    sdk_notes.ApiException,
)

MANIFEST = Manifest(
    slug="hubspot",
    title="HubSpot",
    description="Leads as HubSpot contacts (both ways), calls as notes, converted leads as deals.",
    auth=OAuth2Auth(
        authorize_url="https://app.hubspot.com/oauth/authorize",
        token_url=f"{API_ROOT}{OAUTH_API}/token",
        # Notes need no scope of their own: they ride on the contacts scopes.
        scopes=SCOPES,
    ),
    events=(
        "lead.created",
        "lead.updated",
        "lead.qualified",
        "lead.rejected",
        "lead.converted",
        "call.ended",
        "call.transcribed",
    ),
    objects=(
        ObjectSpec(
            "contact",
            Direction.BOTH,
            "Leads as HubSpot contacts.",
            hub_object="lead",
            events=(
                "lead.created",
                "lead.updated",
                "lead.qualified",
                "lead.rejected",
                "lead.converted",
            ),
            batch_size=BATCH_LIMIT,
        ),
        ObjectSpec(
            "note",
            Direction.PUSH,
            "Calls as notes on the contact's timeline.",
            hub_object="call",
            events=("call.ended", "call.transcribed"),
            batch_size=BATCH_LIMIT,
        ),
        ObjectSpec(
            "deal",
            Direction.PUSH,
            "A converted lead opens a deal.",
            hub_object="lead",
            events=("lead.converted",),
            batch_size=BATCH_LIMIT,
        ),
    ),
    # 100 requests per 10 s per app and account; searches also 5 per second per account.
    rate_limits=(
        RateLimit(100, 10, "connection"),
        RateLimit(SEARCH_PER_SECOND, 1, "connection", calls=SEARCH),
    ),
    webhooks=True,
    # The pull a contact webhook wakes may run before the search index shows the change.
    webhook_settle_seconds=SEARCH_INDEX_CATCH_UP_SECONDS,
)


class Rejected(ConnectorError):
    """HubSpot refused a request for what it contained (400, 404, 409…): a retry of the
    same request won't help. Push turns it into per-record outcomes."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HubSpot answered {status}: {message}")
        self.status = status
        self.detail = message


def _error_message(exc: Any) -> str:
    try:
        body = json.loads(exc.body or "{}")
    except (TypeError, ValueError):
        body = {}
    if not isinstance(body, dict):
        body = {}
    message = str(body.get("message") or exc.reason or "no details")
    # A 403 MISSING_SCOPES names the scopes in its errors' context: say which.
    scopes = [
        str(scope)
        for error in body.get("errors") or []
        if isinstance(error, dict)
        for scope in (error.get("context") or {}).get("requiredGranularScopes") or []
    ]
    return f"{message} (required scopes: {', '.join(scopes)})" if scopes else message


def _translate(exc: Any) -> ConnectorError:
    """An SDK ``ApiException`` as the kit's error (the sync engine maps those)."""
    status = int(exc.status or 0)
    message = _error_message(exc)
    if status in (401, 403):  # refused or missing scopes: the user must reconnect
        return AuthFailed(f"HubSpot refused the credentials ({status}): {message}")
    if status == 429:
        raw = (exc.headers or {}).get("Retry-After")
        try:
            retry_after = float(str(raw)) if raw is not None else None
        except ValueError:
            retry_after = None
        return ProviderRateLimited(f"HubSpot rate limit: {message}", retry_after=retry_after)
    if 400 <= status < 500:
        return Rejected(status, message)
    return ConnectorError(f"HubSpot answered {status or 'nothing'}: {message}")


@dataclass(frozen=True)
class _Kind:
    """A HubSpot object type as the SDK exposes it: its model package and its APIs."""

    name: str  # the manifest's object name
    sdk: Any  # the SDK package holding the models (hubspot.crm.contacts…)
    apis: Callable[[Any], Any]  # HubSpot client -> the discovery with basic/batch/search


CONTACTS = _Kind("contact", sdk_contacts, lambda c: c.crm.contacts)
NOTES = _Kind("note", sdk_notes, lambda c: c.crm.objects.notes)
DEALS = _Kind("deal", sdk_deals, lambda c: c.crm.deals)


class _Api:
    """One operation's SDK client. Every request goes through ``call``: a slot of the rate
    budget (exactly one per HTTP request, held until its answer is in), then the SDK in a
    worker thread."""

    def __init__(self, connection: ConnectionContext) -> None:
        self.connection = connection
        self.client = HubSpot(
            access_token=connection.credential("access_token"),
            # The host may carry a path (a mounted sandbox); the SDK appends /crm/v3/...
            host=(connection.base_url or API_ROOT).rstrip("/"),
            # total=False: no retry of any kind (429s, connection errors, redirects).
            retry=Retry(total=False),
        )
        self._apis: dict[tuple[str, str], Any] = {}

    def api(self, kind: _Kind, name: str) -> Any:
        """``basic_api``, ``batch_api`` or ``search_api`` of ``kind``, built once: each
        access of an SDK discovery property builds a new client and connection pool."""
        key = (kind.name, name)
        if key not in self._apis:
            self._apis[key] = getattr(kind.apis(self.client), name)
        return self._apis[key]

    async def call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await self._call(None, method, *args, **kwargs)

    async def search(self, request: Any) -> Any:
        """A contact search: it waits for the search budget too (HubSpot's search limit)."""
        method = self.api(CONTACTS, "search_api").do_search
        return await self._call(SEARCH, method, request)

    async def _call(
        self, calls: str | None, method: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        # Held in the budget until the answer is in: HubSpot counts a request when it
        # arrives, and against the one-second search window a request delayed on its way
        # (a busy worker thread) would otherwise land among the next second's.
        async with self.connection.call(calls):
            try:
                return await asyncio.to_thread(
                    method, *args, _request_timeout=self.connection.timeout, **kwargs
                )
            except _API_ERRORS as exc:
                raise _translate(exc) from exc
            except urllib3.exceptions.HTTPError as exc:
                raise ConnectorError(f"HubSpot could not be reached: {exc}") from exc


@dataclass
class _Write:
    """One record's write: properties, the contact to associate (creates only), and what
    came of it."""

    properties: dict[str, str]
    object_id: str | None = None  # set: an update; after a create: the new id
    contact_id: str | None = None
    association_type: int = 0
    error: str | None = None
    modified: datetime | None = None  # HubSpot's lastmodifieddate after the write


def _modified(result: Any) -> datetime | None:
    """An object's ``lastmodifieddate`` as HubSpot returned it (the time a pull orders it by;
    ``updatedAt`` when the property is not in the answer)."""
    props = getattr(result, "properties", None) or {}
    return mapping.parse_time(props.get(mapping.MODIFIED)) or mapping.parse_time(
        getattr(result, "updated_at", None)
    )


def _email(write: _Write) -> str:
    return write.properties.get("email", "").strip().lower()


def _association(kind: _Kind, write: _Write) -> list[Any]:
    if not write.contact_id or not write.association_type:
        return []
    return [
        kind.sdk.PublicAssociationsForObject(
            to=kind.sdk.PublicObjectId(id=write.contact_id),
            types=[
                kind.sdk.AssociationSpec(
                    association_category="HUBSPOT_DEFINED",
                    association_type_id=write.association_type,
                )
            ],
        )
    ]


CONFLICT = "CONFLICT"  # HubSpot's error category for a duplicate (a contact's email)
EXISTING_ID = re.compile(r"Existing ID: (\d+)")


async def _create(api: _Api, kind: _Kind, writes: dict[int, _Write]) -> dict[int, str]:
    """One batch create. Every input carries an ``objectWriteTraceId``, so HubSpot answers
    per input (``207`` when some failed): created objects come back with their trace id,
    each refusal names its input's trace id. A refused input gets HubSpot's message as its
    ``error``; returns the error categories of the refused inputs by key."""
    keys = list(writes)
    inputs = [
        kind.sdk.SimplePublicObjectBatchInputForCreate(
            properties=writes[k].properties,
            associations=_association(kind, writes[k]),
            object_write_trace_id=str(k),
        )
        for k in keys
    ]
    response = await api.call(
        api.api(kind, "batch_api").create,
        kind.sdk.BatchInputSimplePublicObjectBatchInputForCreate(inputs=inputs),
    )
    for result in response.results or []:
        trace = str(getattr(result, "object_write_trace_id", None) or "")
        if trace.isdigit() and int(trace) in writes:
            writes[int(trace)].object_id = str(result.id)
            writes[int(trace)].modified = _modified(result)
    refused: dict[int, str] = {}
    for error in getattr(response, "errors", None) or []:
        for trace in (error.context or {}).get("objectWriteTraceId") or []:
            if str(trace).isdigit() and int(trace) in writes:
                writes[int(trace)].error = str(error.message or "refused by HubSpot")
                refused[int(trace)] = str(error.category or "")
    for write in writes.values():
        if write.object_id is None and write.error is None:
            write.error = "HubSpot did not return the created object"
    return refused


async def _create_each(api: _Api, kind: _Kind, writes: dict[int, _Write]) -> dict[int, str]:
    """One create per record, so one bad record fails alone; the same answer as
    ``_create``."""
    refused: dict[int, str] = {}
    for key, write in writes.items():
        try:
            made = await api.call(
                api.api(kind, "basic_api").create,
                kind.sdk.SimplePublicObjectInputForCreate(
                    properties=write.properties, associations=_association(kind, write)
                ),
            )
        except Rejected as exc:
            write.error = exc.detail
            refused[key] = CONFLICT if exc.status == 409 else str(exc.status)
        else:
            write.object_id, write.modified = str(made.id), _modified(made)
    return refused


async def _create_all(api: _Api, kind: _Kind, writes: dict[int, _Write]) -> dict[int, str]:
    """Creates ``writes``: one batch call, or one call per record when HubSpot refuses the
    batch as a whole (a ``400`` for the request itself)."""
    if not writes:
        return {}
    try:
        return await _create(api, kind, writes)
    except Rejected:
        return await _create_each(api, kind, writes)


async def _update(api: _Api, kind: _Kind, writes: dict[int, _Write]) -> None:
    """One batch update; when HubSpot refuses the batch, one update per record."""
    if not writes:
        return
    inputs = [
        kind.sdk.SimplePublicObjectBatchInput(id=w.object_id, properties=w.properties)
        for w in writes.values()
    ]
    try:
        response = await api.call(
            api.api(kind, "batch_api").update,
            kind.sdk.BatchInputSimplePublicObjectBatchInput(inputs=inputs),
        )
    except Rejected:
        for write in writes.values():
            try:
                updated = await api.call(
                    api.api(kind, "basic_api").update,
                    write.object_id,
                    kind.sdk.SimplePublicObjectInput(properties=write.properties),
                )
            except Rejected as exc:
                write.error = exc.detail
            else:
                write.modified = _modified(updated)
        return
    done = {str(r.id): _modified(r) for r in response.results or []}
    for write in writes.values():
        write.modified = done.get(str(write.object_id))
    # A 207 answer lists what failed; whatever is not in the results did not happen.
    errors = getattr(response, "errors", None) or []
    reason = str(getattr(errors[0], "message", "")) if errors else ""
    for write in writes.values():
        if write.object_id not in done:
            write.error = reason or "HubSpot did not update the object"


async def _find_contacts(api: _Api, emails: Sequence[str]) -> dict[str, str]:
    """Existing contacts by (lower-case) email: one search with an ``IN`` filter."""
    request = sdk_contacts.PublicObjectSearchRequest(
        filter_groups=[
            sdk_contacts.FilterGroup(
                filters=[
                    sdk_contacts.Filter(property_name="email", operator="IN", values=list(emails))
                ]
            )
        ],
        properties=["email"],
        limit=BATCH_LIMIT,
    )
    response = await api.search(request)
    found: dict[str, str] = {}
    for result in response.results or []:
        email = str((result.properties or {}).get("email") or "").strip().lower()
        if email:
            found.setdefault(email, str(result.id))
    return found


async def _push_contacts(api: _Api, writes: list[_Write]) -> None:
    """Creates and updates contacts. A create refused as a duplicate email (a re-push after
    a crash lost the id, a contact made in HubSpot) becomes an update of that contact."""
    creates: dict[int, _Write] = {}
    twins: dict[int, int] = {}  # a later record with an email already in this batch
    first: dict[str, int] = {}
    for index, write in enumerate(writes):
        if write.object_id:
            continue
        email = _email(write)
        if email in first:
            twins[index] = first[email]
            continue
        if email:
            first[email] = index
        creates[index] = write
    updates = {i: w for i, w in enumerate(writes) if w.object_id and i not in twins}
    refused = await _create_all(api, CONTACTS, creates)
    duplicates = {i: creates[i] for i, c in refused.items() if c == CONFLICT}
    # HubSpot names the contact holding the email ("Existing ID: 123"); else look it up.
    found = {
        _email(w): match.group(1)
        for w in duplicates.values()
        if (match := EXISTING_ID.search(w.error or ""))
    }
    unnamed = [e for e in map(_email, duplicates.values()) if e and e not in found]
    if unnamed:
        found |= await _find_contacts(api, unnamed)
    for index, write in duplicates.items():
        if _email(write) in found:
            write.object_id, write.error = found[_email(write)], None
            updates[index] = write
    await _update(api, CONTACTS, updates)
    for index, twin in twins.items():
        writes[index].object_id = writes[twin].object_id
        writes[index].error = writes[twin].error
        writes[index].modified = writes[twin].modified


async def _push_simple(api: _Api, kind: _Kind, writes: list[_Write]) -> None:
    """Notes and deals: no natural key to collide on."""
    creates = {i: w for i, w in enumerate(writes) if not w.object_id}
    await _create_all(api, kind, creates)
    await _update(
        api, kind, {i: w for i, w in enumerate(writes) if w.object_id and i not in creates}
    )


def _contact_record(result: Any) -> Record | None:
    """A contact as HubSpot returned it (search, batch read) as a record: ``updated_at`` is
    its ``lastmodifieddate``. None without one (nothing to order it by)."""
    props = result.properties or {}
    modified = _modified(result)
    if modified is None:
        return None
    return Record(
        "contact", mapping.lead_fields(props), external_id=str(result.id), updated_at=modified
    )


def _settle_seconds(connection: ConnectionContext) -> float:
    value = connection.settings.get("searchSettleSeconds", SEARCH_SETTLE_SECONDS)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return SEARCH_SETTLE_SECONDS
    return float(value)


def _encode_cursor(ms: int, object_id: int) -> Cursor:
    return f"{ms}:{object_id}"


def _decode_cursor(cursor: Cursor) -> tuple[int, int]:
    ms, _, last = cursor.partition(":")
    try:
        return int(ms), int(last or 0)
    except ValueError:
        raise ConnectorError(f"not a HubSpot cursor: {cursor!r}") from None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == name), None)


def _events(body: bytes) -> list[dict[str, Any]]:
    try:
        events = json.loads(body)
    except ValueError:
        return []
    if isinstance(events, dict):  # tolerate a single event
        events = [events]
    return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []


class HubSpotConnector(Connector):
    """Leads ↔ contacts, calls → notes, converted leads → deals."""

    manifest = MANIFEST

    def settings_problems(self, settings: Mapping[str, Any]) -> list[str]:
        return mapping.agent_owner_problems(settings)

    async def check(self, connection: ConnectionContext) -> CheckResult:
        """Introspects the access token (``POST /oauth/2026-03/token/introspect``, which
        authenticates the app: ``client_id``/``client_secret`` credentials, which the vault
        adds for OAuth connections). Over httpx: the SDK (12.x) knows only OAuth v1."""
        form = {
            "client_id": connection.credential("client_id"),
            "client_secret": connection.credential("client_secret"),
            "token": connection.credential("access_token"),
            "token_type_hint": "access_token",
        }
        await connection.before_call()
        try:
            async with connection.http(API_ROOT) as http:
                response = await http.post(f"{OAUTH_API}/token/introspect", data=form)
        except httpx.HTTPError as exc:
            raise ConnectorError(f"HubSpot could not be reached: {exc}") from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            body = {}
        if response.status_code >= 500:
            raise ConnectorError(f"HubSpot answered {response.status_code}")
        if response.status_code != 200:
            reason = body.get("error_description") or body.get("message") or response.text
            return CheckResult(ok=False, detail=f"HubSpot refused the app: {reason}")
        if not body.get("active"):
            return CheckResult(ok=False, detail="HubSpot does not know the token (or it expired)")
        # The portal id: the engine stores it to route inbound webhooks (their portalId).
        account = str(body.get("hub_id"))
        missing = sorted(set(SCOPES) - set(body.get("scopes") or []))
        if missing:
            detail = f"the token lacks the scopes {', '.join(missing)}: reconnect"
            return CheckResult(ok=False, account=account, detail=detail)
        return CheckResult(ok=True, account=account, detail=str(body.get("hub_domain") or ""))

    async def push(
        self, connection: ConnectionContext, object_type: str, records: Sequence[Record]
    ) -> PushResult:
        writes = [self._write(connection, object_type, r) for r in records]
        api = _Api(connection)
        for start in range(0, len(writes), BATCH_LIMIT):
            chunk = writes[start : start + BATCH_LIMIT]
            if object_type == "contact":
                await _push_contacts(api, chunk)
            else:
                await _push_simple(api, NOTES if object_type == "note" else DEALS, chunk)
        return PushResult(
            tuple(
                PushOutcome(r.hubwire_id, w.object_id, w.error, updated_at=w.modified)
                for r, w in zip(records, writes, strict=True)
            )
        )

    def _write(self, connection: ConnectionContext, object_type: str, record: Record) -> _Write:
        contact = record.related.get("lead")
        if object_type == "contact":
            return _Write(mapping.contact_properties(record.fields), record.external_id)
        if object_type == "note":
            link = (
                f"{connection.hubwire_url.rstrip('/')}/v1/calls/{record.hubwire_id}"
                if connection.hubwire_url and record.hubwire_id
                else None
            )
            at = record.updated_at or datetime.now(UTC)
            owners = connection.settings.get(mapping.AGENT_OWNERS)
            props = mapping.note_properties(
                record.fields,
                at=at,
                link=link,
                agent_owners=owners if isinstance(owners, dict) else None,
            )
            return _Write(props, record.external_id, contact, mapping.NOTE_TO_CONTACT)
        if object_type == "deal":
            props = mapping.deal_properties(record.fields)
            return _Write(props, record.external_id, contact, mapping.DEAL_TO_CONTACT)
        raise Unsupported(f"hubspot does not push {object_type}")

    async def pull(
        self, connection: ConnectionContext, object_type: str, cursor: Cursor | None
    ) -> PullPage:
        """Contacts changed since ``cursor``, oldest first, through the search API.

        The cursor is ``"<lastmodifieddate epoch ms>:<contact id>"`` of the last record
        handed out; the next page asks for ``modified > ms OR (modified = ms AND id > id)``,
        so contacts sharing a millisecond are neither skipped nor repeated. HubSpot's
        search index lags writes, so a contact changed just before a pull may show up only
        after contacts changed later: once a pull has caught up, its cursor stays
        ``SEARCH_SETTLE_SECONDS`` (or the connection's ``searchSettleSeconds``) behind the
        clock, never behind where it started, and the next pull reads those seconds again;
        what it reads twice the engine finds unchanged."""
        if object_type != "contact":
            raise Unsupported(f"hubspot does not pull {object_type}")
        position = _decode_cursor(cursor) if cursor else None
        groups = []
        if position is not None:
            ms, last = position
            after = [self._filter(mapping.MODIFIED, "GT", ms)]
            tie = [
                self._filter(mapping.MODIFIED, "EQ", ms),
                self._filter("hs_object_id", "GT", last),
            ]
            groups = [sdk_contacts.FilterGroup(filters=f) for f in (after, tie)]
        request = sdk_contacts.PublicObjectSearchRequest(
            filter_groups=groups,
            # HubSpot's documented object form (the SDK types sorts as strings).
            sorts=[{"propertyName": mapping.MODIFIED, "direction": "ASCENDING"}],
            properties=[*mapping.CONTACT_PROPERTIES, mapping.MODIFIED],
            limit=PAGE_SIZE,
        )
        api = _Api(connection)
        response = await api.search(request)
        results = list(response.results or [])
        full = len(results) >= PAGE_SIZE
        rows: list[tuple[int, int, Record]] = []
        for result in results:
            record = _contact_record(result)
            if record is None or record.updated_at is None:
                continue
            ms, object_id = mapping.epoch_ms(record.updated_at), int(result.id)
            if position is not None and (ms, object_id) <= position:
                continue  # already handed out (a provider ignoring the tie filter)
            rows.append((ms, object_id, record))
        rows.sort(key=lambda row: (row[0], row[1]))
        if full and rows and rows[0][0] != rows[-1][0]:
            # The last millisecond may go on past this page, in an order HubSpot does not
            # promise: leave it whole to the next page.
            rows = [row for row in rows if row[0] != rows[-1][0]]
        if not rows:
            return PullPage((), next_cursor=cursor, has_more=False)
        last_ms, last_id, _ = rows[-1]
        next_position = (last_ms, last_id)
        if not full:
            settled = (int((time.time() - _settle_seconds(connection)) * 1000), 0)
            next_position = max(position or (0, 0), min(next_position, settled))
        return PullPage(
            tuple(row[2] for row in rows),
            next_cursor=_encode_cursor(*next_position),
            has_more=full,
        )

    async def read(
        self, connection: ConnectionContext, object_type: str, external_ids: Sequence[str]
    ) -> list[Record]:
        """Contacts by id, through batch read (``POST /crm/v3/objects/contacts/batch/read``,
        up to 100 ids a call): reads by id are not index-lagged, unlike search. Contacts
        HubSpot no longer holds are left out (it answers ``207`` naming them)."""
        if object_type != "contact":
            raise Unsupported(f"hubspot does not read {object_type}")
        api = _Api(connection)
        records: list[Record] = []
        for start in range(0, len(external_ids), BATCH_LIMIT):
            request = sdk_contacts.BatchReadInputSimplePublicObjectId(
                inputs=[
                    sdk_contacts.SimplePublicObjectId(id=str(i))
                    for i in external_ids[start : start + BATCH_LIMIT]
                ],
                properties=[*mapping.CONTACT_PROPERTIES, mapping.MODIFIED],
                properties_with_history=[],
            )
            response = await api.call(api.api(CONTACTS, "batch_api").read, request)
            records.extend(
                record
                for result in response.results or []
                if (record := _contact_record(result)) is not None
            )
        return records

    @staticmethod
    def _filter(name: str, operator: str, value: int) -> Any:
        return sdk_contacts.Filter(property_name=name, operator=operator, value=str(value))

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        """HubSpot's v3 signature over ``POST`` + the request URI + body + timestamp, checked
        with the SDK; the URI comes from ``x-hubwire-request-uri`` (added by the engine)."""
        signature = _header(headers, SIGNATURE_HEADER)
        timestamp = _header(headers, TIMESTAMP_HEADER)
        uri = _header(headers, REQUEST_URI_HEADER)
        if not (signature and timestamp and uri and timestamp.isdigit()):
            return False
        # The SDK only refuses old timestamps; a far-future one is as suspect.
        if abs(time.time() * 1000 - int(timestamp)) > MAX_WEBHOOK_AGE_MS:
            return False
        try:
            text = body.decode("utf-8")
            return bool(
                Signature.is_valid(
                    signature=signature,
                    client_secret=secret,
                    request_body=text,
                    http_uri=signed_uri(uri),
                    http_method="POST",
                    signature_version="v3",
                    timestamp=timestamp,
                )
            )
        except (UnicodeDecodeError, InvalidSignatureTimestampError):
            return False

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[InboundChange]:
        """One change per contact the batch mentions (HubSpot sends a creation and one
        event per property): the latest event decides between upsert and delete."""
        latest: dict[str, tuple[int, Literal["upsert", "delete"]]] = {}
        for event in _events(body):
            kind = str(event.get("subscriptionType") or "")
            if not kind.startswith("contact.") or event.get("objectId") is None:
                continue
            deleted = kind in ("contact.deletion", "contact.privacyDeletion")
            action: Literal["upsert", "delete"] = "delete" if deleted else "upsert"
            at = int(event.get("occurredAt") or 0)
            object_id = str(event["objectId"])
            seen = latest.get(object_id)
            if seen is None or at >= seen[0]:
                latest[object_id] = (at, action)
        changes = []
        for object_id, (at, action) in latest.items():
            occurred = mapping.parse_time(str(at)) if at else None
            changes.append(InboundChange("contact", object_id, action, occurred_at=occurred))
        return changes

    def webhook_event_ids(self, headers: Mapping[str, str], body: bytes) -> list[str]:
        """HubSpot's ``eventId`` of each event: a retried batch carries the same ones."""
        return [str(e["eventId"]) for e in _events(body) if e.get("eventId") is not None]

    def webhook_account(self, headers: Mapping[str, str], body: bytes) -> str | None:
        """The HubSpot portal a webhook is about (``portalId``): matches ``check``'s
        ``account``, so the engine can find the connection (and its secret) to verify it."""
        for event in _events(body):
            if event.get("portalId") is not None:
                return str(event["portalId"])
        return None

    def sandbox(self) -> Sandbox | None:
        # Imported here: the sandbox (a FastAPI app and its store) loads only in processes
        # that mount it (`make run`) or test against it, not in every worker.
        from connectors.hubspot.sandbox import (
            DEFAULT_CLIENT_ID,
            DEFAULT_CLIENT_SECRET,
            SandboxConfig,
            create_sandbox,
        )

        return Sandbox(
            # With the search index's lag, as HubSpot's: a webhook's second pull
            # (webhook_settle_seconds) reads what the first missed, and a push reads the
            # contacts it updates by id first (``read``), which does not lag.
            create_app=lambda: create_sandbox(SandboxConfig()),
            client_id=DEFAULT_CLIENT_ID,
            client_secret=DEFAULT_CLIENT_SECRET,
            set_webhook_target=_set_webhook_target,
            save_state=lambda app: app.state.sandbox.store.snapshot(),
            load_state=lambda app, state: app.state.sandbox.store.restore(state),
        )


def _set_webhook_target(app: Any, url: str) -> None:
    """Points a sandbox's contact webhooks at Hubwire (as a HubSpot app's settings would)."""
    app.state.sandbox.webhooks.target_url = url

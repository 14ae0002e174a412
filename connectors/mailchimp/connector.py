"""The Mailchimp connector (docs/connectors/mailchimp.md).

It talks to Mailchimp through the official ``mailchimp-marketing`` SDK. The SDK is
synchronous: each call runs in a worker thread, after ``connection.before_call()`` (the sync
engine's rate budget) and inside the account's connection slots (Mailchimp allows 10
simultaneous connections per account). The account's data center, read from the OAuth
metadata endpoint, picks the API host."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import json
import tarfile
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import httpx
import mailchimp_marketing  # type: ignore[import-untyped]
from mailchimp_marketing.api_client import ApiClientError  # type: ignore[import-untyped]

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
    Record,
    Sandbox,
    Unsupported,
    WebhookEndpoint,
)
from connectors.mailchimp import mapping

LOGIN_ROOT = "https://login.mailchimp.com"
MEMBER = "member"
# A push this large goes through Batch Operations (one submit, a few polls, one results
# archive) instead of one call per member: a first sync of 50,000 leads is ~40 calls.
BATCH_MIN = 50
BATCH_SIZE = 5000
POLL_FIRST, POLL_MAX, POLL_TIMEOUT = 0.5, 10.0, 900.0
PAGE_SIZE = 1000  # members per pull page (Mailchimp's maximum ``count``)
MAX_CONNECTIONS = 10  # Mailchimp's simultaneous connections per account


def _second_before(moment: str) -> str:
    """``moment`` (ISO 8601, as Mailchimp writes it) one second earlier, in the same form."""
    earlier = datetime.fromisoformat(moment) - timedelta(seconds=1)
    return earlier.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


# Webhook events Hubwire registers for; ``unsubscribe`` and ``cleaned`` revoke consent.
WEBHOOK_EVENTS = ("unsubscribe", "cleaned", "profile", "upemail")
EXTRA_FIELDS = ("tags", "email_consent", "email_consent_source")

MANIFEST = Manifest(
    slug="mailchimp",
    title="Mailchimp",
    description=(
        "Leads as members of a Mailchimp audience, subscribed only with email marketing "
        "consent; unsubscribes and bounces come back as revoked consent."
    ),
    auth=OAuth2Auth(
        authorize_url=f"{LOGIN_ROOT}/oauth2/authorize",
        token_url=f"{LOGIN_ROOT}/oauth2/token",
    ),
    events=("lead.created", "lead.updated"),
    objects=(
        ObjectSpec(
            MEMBER,
            Direction.BOTH,
            "Leads as audience members; consent changes made at Mailchimp come back.",
            hub_object="lead",
            events=("lead.created", "lead.updated"),
            batch_size=BATCH_SIZE,
            extra_fields=EXTRA_FIELDS,
        ),
    ),
    webhooks=True,
)

T = TypeVar("T")


class Rejected(ConnectorError):
    """Mailchimp refused one request for what it contained (400, 404): per record."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def problem_message(body: Any, status: int) -> str:
    """A record's failure reason from Mailchimp's problem JSON: title, detail, field errors."""
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return f"Mailchimp answered {status}: {body[:200]}"
    if not isinstance(body, dict):
        return f"Mailchimp answered {status}"
    message = f"{body.get('title') or status}: {body.get('detail') or ''}".strip()
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        message += " (" + "; ".join(f"{e.get('field')}: {e.get('message')}" for e in errors) + ")"
    return message


def _raise_for(exc: ApiClientError) -> None:
    status = int(exc.status_code or 0)
    message = problem_message(exc.text, status)
    if status == 401 or status == 403:
        raise AuthFailed(message) from None
    if status == 429:
        raise ProviderRateLimited(message, retry_after=None) from None
    if status in (400, 404, 405, 422):
        raise Rejected(status, message) from None
    raise ConnectorError(message) from None


class _Slots:
    """Mailchimp's 10 simultaneous connections per account, kept within this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_account: dict[str, threading.BoundedSemaphore] = {}

    def of(self, account: str) -> threading.BoundedSemaphore:
        with self._lock:
            return self._by_account.setdefault(account, threading.BoundedSemaphore(MAX_CONNECTIONS))


_SLOTS = _Slots()


@dataclass(frozen=True, slots=True)
class _Api:
    """One connection's SDK client, rooted at its data center's API endpoint."""

    client: Any
    endpoint: str
    slots: threading.BoundedSemaphore

    def run(self, call: Callable[[], T]) -> T:
        with self.slots:
            try:
                return call()
            except ApiClientError as exc:
                _raise_for(exc)
                raise


def _webhook_key(secret: str, connection_id: str) -> str:
    """The per-connection key in the webhook URL Hubwire registers (Mailchimp signs
    nothing): an HMAC of the connection id, so it is never stored anywhere."""
    return hmac.new(secret.encode(), connection_id.encode(), hashlib.sha256).hexdigest()


def _with_endpoint(connection: ConnectionContext, meta: Mapping[str, Any]) -> ConnectionContext:
    """The connection with its API endpoint known (no second metadata call)."""
    return replace(
        connection, settings={**connection.settings, "apiEndpoint": meta["api_endpoint"]}
    )


def _form(body: bytes) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(slots=True)
class _Op:
    index: int
    record: Record
    hash: str
    body: dict[str, Any]
    moved_from: str | None  # the member's previous hash, when the email changed
    tags: list[str]


class MailchimpConnector(Connector):
    manifest = MANIFEST

    # -- plumbing -------------------------------------------------------------------------

    async def _call(self, connection: ConnectionContext, api: _Api, call: Callable[[], T]) -> T:
        await connection.before_call()
        return await asyncio.to_thread(api.run, call)

    async def _metadata(self, connection: ConnectionContext) -> dict[str, Any]:
        token = connection.credential("access_token")
        root = connection.base_url or LOGIN_ROOT
        await connection.before_call()
        async with httpx.AsyncClient(timeout=connection.timeout) as http:
            response = await http.get(
                f"{root.rstrip('/')}/oauth2/metadata", headers={"Authorization": f"OAuth {token}"}
            )
        if response.status_code in (401, 403):
            raise AuthFailed("Mailchimp refused the access token")
        if response.status_code == 429:
            raise ProviderRateLimited("Mailchimp metadata: too many requests")
        if response.status_code >= 400:
            raise ConnectorError(f"Mailchimp metadata answered {response.status_code}")
        data: dict[str, Any] = response.json()
        return data

    async def _api(self, connection: ConnectionContext) -> _Api:
        endpoint = connection.settings.get("apiEndpoint")
        if not isinstance(endpoint, str) or not endpoint:
            endpoint = str((await self._metadata(connection))["api_endpoint"])
        client = mailchimp_marketing.Client()
        # "server" empty: the SDK would otherwise rewrite the host's "server" placeholder.
        client.set_config({"access_token": connection.credential("access_token"), "server": ""})
        client.api_client.host = f"{endpoint.rstrip('/')}/3.0"
        # One account per token: its slots are keyed by a digest, never the token itself.
        account = hashlib.sha256(connection.credential("access_token").encode()).hexdigest()
        return _Api(client, endpoint, _SLOTS.of(f"{endpoint}:{account}"))

    def _settings(self, connection: ConnectionContext) -> mapping.Settings:
        settings = mapping.Settings.parse(connection.settings)
        if not settings.list_id:
            raise ConnectorError("the connection has no audience (settings.listId)")
        return settings

    # -- operations -----------------------------------------------------------------------

    async def check(self, connection: ConnectionContext) -> CheckResult:
        try:
            meta = await self._metadata(connection)
        except AuthFailed as exc:
            return CheckResult(False, detail=str(exc))
        account = f"{meta.get('dc')}:{meta.get('user_id')}"
        list_id = connection.settings.get("listId")
        if not list_id:
            return CheckResult(True, account, f"{meta.get('accountname')}: choose an audience")
        api = await self._api(_with_endpoint(connection, meta))
        try:
            audience = await self._call(connection, api, lambda: api.client.lists.get_list(list_id))
        except Rejected as exc:
            return CheckResult(False, account, f"audience {list_id}: {exc}")
        return CheckResult(True, account, f"{meta.get('accountname')}: {audience.get('name')}")

    def settings_problems(self, settings: Mapping[str, Any]) -> list[str]:
        return mapping.settings_problems(settings)

    async def on_connect(
        self, connection: ConnectionContext, webhooks: WebhookEndpoint | None
    ) -> Mapping[str, Any]:
        meta = await self._metadata(connection)
        kept: dict[str, Any] = {"apiEndpoint": meta["api_endpoint"], "dc": meta["dc"]}
        list_id = connection.settings.get("listId")
        if not list_id:
            return kept
        ctx = _with_endpoint(connection, meta)
        api = await self._api(ctx)
        await self._ensure_merge_fields(ctx, api, mapping.Settings.parse(connection.settings))
        if webhooks is not None:
            key = _webhook_key(webhooks.signing_key, connection.connection_id)
            url = f"{webhooks.url}?connection={connection.connection_id}&key={key}"
            body = {
                "url": url,
                "events": {event: True for event in WEBHOOK_EVENTS},
                # Changes Hubwire's own API calls make are not sent back to it.
                "sources": {"user": True, "admin": True, "api": False},
            }
            kept["webhookId"] = await self._register(ctx, api, list_id, body)
        return kept

    async def _register(
        self, connection: ConnectionContext, api: _Api, list_id: str, body: dict[str, Any]
    ) -> str:
        """The webhook's id; a connection set up again finds the one it registered before
        (Mailchimp refuses a second webhook with the same URL)."""
        lists = api.client.lists
        try:
            hook = await self._call(
                connection, api, lambda: lists.create_list_webhook(list_id, body)
            )
        except Rejected as exc:
            if "already exists" not in str(exc):
                raise
            listed = await self._call(connection, api, lambda: lists.get_list_webhooks(list_id))
            hook = next(h for h in listed["webhooks"] if h["url"] == body["url"])
        return str(hook["id"])

    async def _ensure_merge_fields(
        self, connection: ConnectionContext, api: _Api, settings: mapping.Settings
    ) -> None:
        """Creates the mapped merge fields the audience lacks (COMPANY is not a default)."""
        listed = await self._call(
            connection,
            api,
            lambda: api.client.lists.get_list_merge_fields(settings.list_id, count=1000),
        )
        have = {row["tag"] for row in listed["merge_fields"]}
        for tag in sorted(set(settings.merge_fields.values()) - have - {"EMAIL"}):
            body = {"tag": tag, "name": tag.title(), "type": "text"}
            await self._call(
                connection,
                api,
                partial(api.client.lists.add_list_merge_field, settings.list_id, body),
            )

    async def on_disconnect(self, connection: ConnectionContext) -> None:
        hook, list_id = connection.settings.get("webhookId"), connection.settings.get("listId")
        if not hook or not list_id:
            return
        api = await self._api(connection)
        try:
            await self._call(
                connection, api, lambda: api.client.lists.delete_list_webhook(list_id, hook)
            )
        except Rejected as exc:
            if exc.status != 404:  # already gone is what we wanted
                raise

    # -- push -----------------------------------------------------------------------------

    async def push(
        self, connection: ConnectionContext, object_type: str, records: Sequence[Record]
    ) -> PushResult:
        if object_type != MEMBER:
            raise Unsupported(f"mailchimp does not push {object_type}")
        settings = self._settings(connection)
        outcomes: list[PushOutcome | None] = [None] * len(records)
        ops: list[_Op] = []
        for index, record in enumerate(records):
            email = str(record.fields.get("email") or "").strip()
            if not email:
                outcomes[index] = PushOutcome(record.hubwire_id, None, "the lead has no email")
                continue
            digest = mapping.subscriber_hash(email)
            plan = mapping.statuses(str(record.fields.get("email_consent")), settings)
            if plan is None or not mapping.selected(record.fields, settings):
                # Not sent (no consent, or not a lead this audience takes): the address's
                # hash is kept so a later change that selects it pushes it then.
                outcomes[index] = PushOutcome(record.hubwire_id, digest)
                continue
            moved = record.external_id if record.external_id not in (None, digest) else None
            body = mapping.member_body(
                record.fields, settings, plan, new=record.external_id is None
            )
            tags = list(record.fields.get("tags") or []) if record.external_id else []
            ops.append(_Op(index, record, digest, body, moved, tags))
        api = await self._api(connection) if ops else None
        if api is not None:
            # Moves must run in order (PATCH, then PUT); a batch does not promise any.
            batched = [op for op in ops if op.moved_from is None] if len(ops) >= BATCH_MIN else []
            direct = [op for op in ops if op not in batched]
            if batched:
                for index, outcome in await self._batch(connection, api, settings, batched):
                    outcomes[index] = outcome
            for op in direct:
                outcomes[op.index] = await self._direct(connection, api, settings, op)
        return PushResult(tuple(o for o in outcomes if o is not None))

    def _outcome(self, op: _Op, member: Mapping[str, Any] | None, error: str | None) -> PushOutcome:
        if (
            error is not None
            and op.body.get("status") == "unsubscribed"
            and ("Compliance State" in error)
        ):
            # Revoking at an address Mailchimp already keeps from mail (cleaned) is done.
            return PushOutcome(op.record.hubwire_id, op.hash)
        if error is not None:
            return PushOutcome(op.record.hubwire_id, None, error)
        member = member or {}
        # The contact id stays when the address (and so the member id) changes at Mailchimp.
        key = member.get("contact_id")
        return PushOutcome(
            op.record.hubwire_id,
            str(member.get("id") or op.hash),
            external_key=str(key) if key else None,
        )

    async def _direct(
        self, connection: ConnectionContext, api: _Api, settings: mapping.Settings, op: _Op
    ) -> PushOutcome:
        lists = api.client.lists
        try:
            if op.moved_from is not None:
                old = op.moved_from
                try:
                    # The member moves to the new address (its hash changes), no duplicate.
                    await self._call(
                        connection,
                        api,
                        lambda: lists.update_list_member(
                            settings.list_id, old, {"email_address": op.body["email_address"]}
                        ),
                    )
                except Rejected as exc:
                    if exc.status != 404:
                        raise
            member = await self._call(
                connection, api, lambda: lists.set_list_member(settings.list_id, op.hash, op.body)
            )
            if op.tags:
                await self._call(
                    connection,
                    api,
                    lambda: lists.update_list_member_tags(
                        settings.list_id, op.hash, mapping.tags_body(op.tags)
                    ),
                )
        except Rejected as exc:
            return self._outcome(op, None, str(exc))
        return self._outcome(op, member, None)

    async def _batch(
        self,
        connection: ConnectionContext,
        api: _Api,
        settings: mapping.Settings,
        ops: list[_Op],
    ) -> list[tuple[int, PushOutcome]]:
        """PUTs every member in one Batch Operation: submit, poll until finished, read the
        results archive; a failed operation is that record's failure, with Mailchimp's
        reason. Tags of members Hubwire pushed before follow in a second batch."""
        path = f"/lists/{settings.list_id}/members"
        results = await self._run_batch(
            connection,
            api,
            [
                {
                    "method": "PUT",
                    "path": f"{path}/{op.hash}",
                    "operation_id": str(op.index),
                    "body": json.dumps(op.body),
                }
                for op in ops
            ],
        )
        outcomes: list[tuple[int, PushOutcome]] = []
        tagged: list[_Op] = []
        for op in ops:
            result = results.get(str(op.index))
            if result is None:
                outcomes.append((op.index, self._outcome(op, None, "no result in the batch")))
                continue
            status = int(result.get("status_code") or 0)
            if status >= 400:
                error = problem_message(result.get("response"), status)
                outcomes.append((op.index, self._outcome(op, None, error)))
                continue
            outcomes.append((op.index, self._outcome(op, _member(result), None)))
            if op.tags:
                tagged.append(op)
        if tagged:
            await self._run_batch(
                connection,
                api,
                [
                    {
                        "method": "POST",
                        "path": f"{path}/{op.hash}/tags",
                        "operation_id": str(op.index),
                        "body": json.dumps(mapping.tags_body(op.tags)),
                    }
                    for op in tagged
                ],
            )
        return outcomes

    async def _run_batch(
        self, connection: ConnectionContext, api: _Api, operations: list[dict[str, Any]]
    ) -> dict[str, dict[str, Any]]:
        batches = api.client.batches
        batch = await self._call(connection, api, lambda: batches.start({"operations": operations}))
        wait, waited = POLL_FIRST, 0.0
        while batch.get("status") != "finished":
            if waited > POLL_TIMEOUT:
                raise ConnectorError(f"Mailchimp batch {batch.get('id')} did not finish")
            await asyncio.sleep(wait)
            waited += wait
            wait = min(wait * 2, POLL_MAX)
            batch = await self._call(connection, api, partial(batches.status, batch["id"]))
        url = batch.get("response_body_url")
        if not url:
            raise ConnectorError(f"Mailchimp batch {batch.get('id')} has no results")
        await connection.before_call()
        # The archive is on Mailchimp's storage, a pre-signed URL: no credentials sent.
        async with httpx.AsyncClient(timeout=connection.timeout) as http:
            response = await http.get(url)
        if response.status_code >= 400:
            raise ConnectorError(f"batch results answered {response.status_code}")
        return _batch_results(response.content)

    # -- pull -----------------------------------------------------------------------------

    async def pull(
        self, connection: ConnectionContext, object_type: str, cursor: Cursor | None
    ) -> PullPage:
        """Members changed at Mailchimp since the cursor (``<last_changed>|<offset>``). The
        first pull starts now: the audience is not imported, only later changes return."""
        if object_type != MEMBER:
            raise Unsupported(f"mailchimp does not pull {object_type}")
        if cursor is None:
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
            return PullPage((), f"{now}|0", has_more=False)
        settings = self._settings(connection)
        since, _, offset_text = cursor.partition("|")
        offset = int(offset_text or 0)
        api = await self._api(connection)
        # `last_changed` has whole seconds and `since_last_changed` reads strictly later ones:
        # a member changed in the same second as the last one read (an unsubscribe right
        # after a push) would wait for a change in a later second. Each pull reads the
        # cursor's second again; applying a member twice changes nothing.
        after = _second_before(since)
        page = await self._call(
            connection,
            api,
            lambda: api.client.lists.get_list_members_info(
                settings.list_id,
                since_last_changed=after,
                sort_field="last_changed",
                sort_dir="ASC",
                count=PAGE_SIZE,
                offset=offset,
            ),
        )
        members = page.get("members") or []
        records = tuple(_member_record(m, settings) for m in members)
        if len(members) == PAGE_SIZE:
            return PullPage(records, f"{since}|{offset + PAGE_SIZE}", has_more=True)
        latest = max((str(m.get("last_changed") or since) for m in members), default=since)
        return PullPage(records, f"{latest}|0", has_more=False)

    # -- inbound webhooks -----------------------------------------------------------------

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        """Mailchimp signs nothing: the URL carries the connection and its key."""
        query = parse_qs(urlsplit(headers.get(REQUEST_URI_HEADER, "")).query)
        connection, key = query.get("connection", [""])[0], query.get("key", [""])[0]
        if not connection or not key:
            return False
        return hmac.compare_digest(_webhook_key(secret, connection), key)

    def webhook_connection(self, headers: Mapping[str, str], body: bytes) -> str | None:
        query = parse_qs(urlsplit(headers.get(REQUEST_URI_HEADER, "")).query)
        return query.get("connection", [None])[0]

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[InboundChange]:
        form = _form(body)
        kind = form.get("type")
        if kind not in WEBHOOK_EVENTS:
            return []
        email = form.get("data[new_email]") or form.get("data[email]")
        if not email:
            raise ValueError(f"a {kind} webhook without an email")
        # upemail carries the old address: the member Hubwire knew by its hash moves.
        old = form.get("data[old_email]") if kind == "upemail" else None
        fired = form.get("fired_at")
        return [
            InboundChange(
                MEMBER,
                mapping.subscriber_hash(email),
                "upsert",
                {"type": kind, "email": email},
                occurred_at=datetime.fromisoformat(fired).replace(tzinfo=UTC) if fired else None,
                previous_external_id=mapping.subscriber_hash(old) if old else None,
            )
        ]

    def sandbox(self) -> Sandbox | None:
        # Imported here: the sandbox loads only in processes that mount it or test with it.
        from connectors.mailchimp.sandbox import (
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


def _batch_results(archive: bytes) -> dict[str, dict[str, Any]]:
    """The results of a finished batch by ``operation_id``: a tar.gz of JSON files, each an
    array of ``{status_code, operation_id, response}``."""
    results: dict[str, dict[str, Any]] = {}
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile() or not member.name.endswith(".json"):
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            for row in json.load(handle):
                results[str(row.get("operation_id"))] = row
    return results


def _member(result: Mapping[str, Any]) -> dict[str, Any] | None:
    """The member a batch operation answered with (``response`` is a JSON string)."""
    try:
        body = json.loads(result.get("response") or "null")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _member_record(member: Mapping[str, Any], settings: mapping.Settings) -> Record:
    """A member as a lead record: only what Mailchimp actually holds, and its consent."""
    merges = member.get("merge_fields") or {}
    by_tag = {tag: name for name, tag in settings.merge_fields.items()}
    fields: dict[str, Any] = {"email": member.get("email_address")}
    first = merges.get(by_tag.get("first_name", "FNAME"), "")
    last = merges.get(by_tag.get("last_name", "LNAME"), "")
    if f"{first} {last}".strip():
        fields["name"] = f"{first} {last}".strip()
    for name in ("phone", "company"):
        value = merges.get(by_tag.get(name, ""), "")
        if value:
            fields[name] = value
    status = member.get("status")
    if status in ("unsubscribed", "cleaned"):
        fields["email_consent"] = "revoked"
        fields["email_consent_source"] = f"mailchimp:{status}"
    elif status == "subscribed":
        fields["email_consent"] = "granted"
        fields["email_consent_source"] = "mailchimp"
    return Record(
        MEMBER,
        fields,
        external_id=str(member.get("id")),
        updated_at=_time(member.get("last_changed")),
        external_key=str(member["contact_id"]) if member.get("contact_id") else None,
    )

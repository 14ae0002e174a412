"""The Salesforce connector (docs/connectors/salesforce.md): leads as Leads (both ways),
calls as Tasks of subtype Call, through the official ``simple-salesforce`` client.

Writes are sObject Collections upserts (up to 200 records a request) keyed on an external
id field holding the Hubwire id, so a retried batch (a worker killed after Salesforce
answered, before Hubwire committed) updates what its first try created instead of
duplicating it. Pulls read Leads changed since the cursor by ``SystemModstamp`` (re-reading
a look-back window: a transaction may commit a stamp older than one already read) and
deletions through ``queryAll`` on ``IsDeleted``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from simple_salesforce.api import Salesforce

from connectors.kit import (
    AuthFailed,
    CheckResult,
    ConnectionContext,
    Connector,
    ConnectorError,
    Cursor,
    Direction,
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
)
from connectors.kit.codec import encode_cursor, json_object
from connectors.salesforce import client, mapping
from connectors.salesforce.mapping import EXTERNAL_ID_FIELD, MODSTAMP

BATCH = 200  # sObject Collections' cap
SOBJECTS = {"lead": "Lead", "task": "Task"}  # the manifest's object names -> sObject types
# SystemModstamp is set when a transaction starts writing, visible when it commits: a pull
# re-reads this window so a record committed late is not skipped (HubSpot's settle window).
LOOKBACK = timedelta(seconds=30)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Enterprise Edition's base daily allowance (15,000 + 1,000 per user licence; the org's own
# figure is in /limits). The budget paces pushes to spread it over the day rather than
# spend it by noon; a bigger org may raise it with HUBWIRE_* settings of its own.
DAILY_REQUESTS = 15_000
# Salesforce refuses a 26th long-running (over 20 s) request in flight per org; the budget
# keeps far fewer in flight: at most this many a second.
PER_SECOND = 20

MANIFEST = Manifest(
    slug="salesforce",
    title="Salesforce",
    description=(
        "Leads as Salesforce Leads (both ways, the status through a configurable picklist "
        "mapping) and calls as completed Call tasks on the lead."
    ),
    auth=OAuth2Auth(
        authorize_url="https://login.salesforce.com/services/oauth2/authorize",
        token_url="https://login.salesforce.com/services/oauth2/token",  # noqa: S106 - a URL
        scopes=("api", "refresh_token"),
        token_fields=("instance_url",),  # the org's API root (connection.credentials)
    ),
    events=("lead.created", "lead.updated", "call.ended", "call.transcribed"),
    objects=(
        ObjectSpec(
            "lead",
            Direction.BOTH,
            "Leads as Salesforce Leads.",
            hub_object="lead",
            events=("lead.created", "lead.updated"),
            batch_size=BATCH,
        ),
        ObjectSpec(
            "task",
            Direction.PUSH,
            "Calls as completed Call tasks (WhoId: the lead).",
            hub_object="call",
            events=("call.ended", "call.transcribed"),
            batch_size=BATCH,
        ),
    ),
    rate_limits=(
        RateLimit(DAILY_REQUESTS, 86_400, "connection"),
        RateLimit(PER_SECOND, 1, "connection"),
    ),
)


def _outcome(record: Record, result: Mapping[str, Any]) -> PushOutcome:
    if result.get("success"):
        return PushOutcome(record.hubwire_id, str(result.get("id")))
    errors = result.get("errors") or []
    text = "; ".join(
        f"{e.get('statusCode')}: {e.get('message')}"
        + (f" (fields: {', '.join(e['fields'])})" if e.get("fields") else "")
        for e in errors
        if isinstance(e, Mapping)
    )
    return PushOutcome(record.hubwire_id, record.external_id, text or "Salesforce refused it")


class SalesforceConnector(Connector):
    manifest = MANIFEST

    def settings_problems(self, settings: Mapping[str, Any]) -> list[str]:
        return mapping.settings_problems(settings)

    async def check(self, connection: ConnectionContext) -> CheckResult:
        sf = client.build(connection)
        try:
            limits = await client.call(connection, sf, sf.limits)
        except AuthFailed as exc:
            return CheckResult(False, detail=str(exc))
        daily = limits.get("DailyApiRequests", {}) if isinstance(limits, dict) else {}
        account = urlsplit(client.instance_root(connection)).netloc
        return CheckResult(
            True,
            account=account,
            detail=f"{daily.get('Remaining')} of {daily.get('Max')} daily API requests left",
        )

    async def push(
        self, connection: ConnectionContext, object_type: str, records: Sequence[Record]
    ) -> PushResult:
        sobject = SOBJECTS.get(object_type)
        if sobject is None:
            raise Unsupported(f"cannot push {object_type}")
        to_sf, _ = mapping.status_maps(connection.settings)
        sf = client.build(connection)
        outcomes: list[PushOutcome] = []
        for start in range(0, len(records), BATCH):
            chunk = records[start : start + BATCH]
            body = {
                "allOrNone": False,
                "records": [self._values(sobject, r, to_sf) for r in chunk],
            }
            path = f"composite/sobjects/{sobject}/{EXTERNAL_ID_FIELD}"
            results = await client.call(
                connection, sf, partial(sf.restful, path, method="PATCH", json=body)
            )
            if not isinstance(results, list) or len(results) != len(chunk):
                raise ConnectorError("Salesforce answered the upsert with an unexpected body")
            outcomes += [_outcome(r, res) for r, res in zip(chunk, results, strict=True)]
        return PushResult(tuple(outcomes))

    @staticmethod
    def _values(object_type: str, record: Record, to_sf: Mapping[str, str]) -> dict[str, Any]:
        if record.hubwire_id is None:
            raise ConnectorError("a pushed record needs its Hubwire id (the upsert key)")
        if object_type == "Lead":
            return mapping.lead_values(record.fields, record.hubwire_id, to_sf)
        return mapping.task_values(record.fields, record.hubwire_id, record.related.get("lead"))

    async def pull(
        self, connection: ConnectionContext, object_type: str, cursor: Cursor | None
    ) -> PullPage:
        if object_type != "lead":
            raise Unsupported(f"cannot pull {object_type}")
        _, from_sf = mapping.status_maps(connection.settings)
        position = json_object(cursor or "")
        since = mapping.parse_time(position.get("since")) or EPOCH
        sf = client.build(connection)
        page = await self._page(connection, sf, position, since)
        records = page.get("records") or []
        seen = position.get("max")
        out: list[Record] = []
        for row in records:
            stamp = mapping.parse_time(row.get(MODSTAMP))
            if stamp is not None and (seen is None or stamp.isoformat() > seen):
                seen = stamp.isoformat()
            out.append(
                Record(
                    "lead",
                    mapping.lead_fields(row, from_sf),
                    hubwire_id=row.get(EXTERNAL_ID_FIELD) or None,
                    external_id=row.get("Id"),
                    updated_at=mapping.parse_time(row.get("LastModifiedDate")),
                )
            )
        if not page.get("done") and page.get("nextRecordsUrl"):
            nxt = {"since": since.isoformat(), "next": page["nextRecordsUrl"], "max": seen}
            return PullPage(tuple(out), encode_cursor(nxt), has_more=True)
        deleted = await self._deleted(connection, sf, since)
        done = {"since": seen or since.isoformat()}
        return PullPage(tuple(out), encode_cursor(done), has_more=False, deleted=deleted)

    @staticmethod
    async def _page(
        connection: ConnectionContext, sf: Salesforce, position: Mapping[str, Any], since: datetime
    ) -> dict[str, Any]:
        locator = position.get("next")
        if isinstance(locator, str) and locator.startswith("/services/data/"):
            try:
                result = await client.call(
                    connection, sf, lambda: sf.query_more(locator, identifier_is_url=True)
                )
                return dict(result)
            except ConnectorError as exc:
                if "INVALID_QUERY_LOCATOR" not in str(exc):
                    raise
                # Locators expire (15 minutes idle): read from the cursor's stamp again.
        fields = ", ".join((*mapping.LEAD_FIELDS, EXTERNAL_ID_FIELD, "LastModifiedDate", MODSTAMP))
        soql = (
            f"SELECT {fields} FROM Lead WHERE {MODSTAMP} >= "  # noqa: S608 - constants, a date
            f"{mapping.soql_datetime(since - LOOKBACK if since > EPOCH else since)} "
            f"ORDER BY {MODSTAMP}, Id"
        )
        return dict(await client.call(connection, sf, lambda: sf.query(soql)))

    @staticmethod
    async def _deleted(
        connection: ConnectionContext, sf: Salesforce, since: datetime
    ) -> tuple[str, ...]:
        """Leads in the recycle bin since the cursor (queryAll sees them; a first pull has
        nothing of the provider's to delete yet)."""
        if since <= EPOCH:
            return ()
        soql = (
            f"SELECT Id FROM Lead WHERE IsDeleted = true AND {MODSTAMP} >= "  # noqa: S608
            f"{mapping.soql_datetime(since - LOOKBACK)}"
        )
        ids: list[str] = []
        result = dict(
            await client.call(connection, sf, lambda: sf.query(soql, include_deleted=True))
        )
        while True:
            ids += [str(r["Id"]) for r in result.get("records") or []]
            locator = result.get("nextRecordsUrl")
            if result.get("done") or not locator:
                return tuple(ids)
            more = partial(sf.query_more, str(locator), identifier_is_url=True)
            result = dict(await client.call(connection, sf, more))

    def sandbox(self) -> Sandbox | None:
        from connectors.salesforce.sandbox import (
            DEFAULT_CLIENT_ID,
            DEFAULT_CLIENT_SECRET,
            create_sandbox,
        )

        return Sandbox(
            create_app=create_sandbox,
            client_id=DEFAULT_CLIENT_ID,
            client_secret=DEFAULT_CLIENT_SECRET,
        )

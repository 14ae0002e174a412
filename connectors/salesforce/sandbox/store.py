"""The sandbox org: Leads and Tasks, their recycle bin, query cursors and the API usage."""

from __future__ import annotations

import itertools
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from connectors.salesforce.sandbox.config import API_VERSION, EXTERNAL_ID_FIELD
from connectors.salesforce.sandbox.soql import Query, SoqlError

QUERY_BATCH = 2000  # Salesforce's default query batch size
COLLECTION_MAX = 200  # sObject Collections: at most 200 records a call
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SYSTEM_FIELDS = ("Id", "IsDeleted", "CreatedDate", "LastModifiedDate", "SystemModstamp")


@dataclass(frozen=True)
class FieldSpec:
    label: str
    length: int | None = None
    required: bool = False
    picklist: tuple[str, ...] = ()
    default: Any = None
    email: bool = False
    kind: str = "string"


LEAD_STATUSES = (
    "Open - Not Contacted",
    "Working - Contacted",
    "Closed - Converted",
    "Closed - Not Converted",
)
# The parts of the standard objects the connector uses (Salesforce's object reference,
# Lead and Task, API v59.0), with the external id field an admin adds for Hubwire.
OBJECTS: dict[str, tuple[str, dict[str, FieldSpec]]] = {
    "Lead": (
        "00Q",
        {
            "FirstName": FieldSpec("First Name", 40),
            "LastName": FieldSpec("Last Name", 80, required=True),
            "Company": FieldSpec("Company", 255, required=True),
            "Email": FieldSpec("Email", 80, email=True),
            "Phone": FieldSpec("Phone", 40),
            "LeadSource": FieldSpec("Lead Source", 255),
            "Status": FieldSpec("Lead Status", picklist=LEAD_STATUSES, default=LEAD_STATUSES[0]),
            EXTERNAL_ID_FIELD: FieldSpec("Hubwire Id", 40),
        },
    ),
    "Task": (
        "00T",
        {
            "Subject": FieldSpec("Subject", 255),
            "WhoId": FieldSpec("Name ID", 18, kind="reference"),
            "TaskSubtype": FieldSpec("Task Subtype", picklist=("Task", "Email", "Call")),
            "CallType": FieldSpec("Call Type", picklist=("Internal", "Inbound", "Outbound")),
            "CallDurationInSeconds": FieldSpec("Call Duration", kind="int"),
            "CallDisposition": FieldSpec("Call Result", 255),
            "Description": FieldSpec("Description", 32000),
            "ActivityDate": FieldSpec("Due Date Only", kind="date"),
            "Status": FieldSpec(
                "Status",
                picklist=("Not Started", "In Progress", "Completed"),
                default="Not Started",
            ),
            EXTERNAL_ID_FIELD: FieldSpec("Hubwire Id", 40),
        },
    ),
}


class ApiError(Exception):
    """A whole-request error: Salesforce's ``[{"message", "errorCode"}]`` with a status."""

    def __init__(self, status: int, code: str, message: str, fields: list[str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields

    def body(self) -> list[dict[str, Any]]:
        entry: dict[str, Any] = {"message": self.message, "errorCode": self.code}
        if self.fields is not None:
            entry["fields"] = self.fields
        return [entry]


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


@dataclass
class Store:
    clock: Callable[[], float] = time.time
    records: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {name: {} for name in OBJECTS}
    )
    api_requests: int = 0
    refused: int = 0
    upsert_calls: int = 0
    upserted_records: int = 0
    _cursors: dict[str, tuple[list[dict[str, Any]], tuple[str, ...], str]] = field(
        default_factory=dict
    )
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    lock: threading.RLock = field(default_factory=threading.RLock)
    # (object, external id field, value) -> the Id of the row an upsert gave it: a lookup
    # instead of a scan of every row per upserted record. Checked against the row on use.
    _by_key: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def now(self) -> datetime:
        # Salesforce keeps milliseconds; one tick per write keeps SystemModstamp distinct.
        return datetime.fromtimestamp(round(self.clock(), 3), UTC)

    def _new_id(self, obj: str) -> str:
        prefix = OBJECTS[obj][0]
        return f"{prefix}5g{next(self._seq):010d}AAA"

    def spec(self, obj: str) -> dict[str, FieldSpec]:
        if obj not in OBJECTS:
            raise ApiError(404, "NOT_FOUND", "The requested resource does not exist")
        return OBJECTS[obj][1]

    # -- writes -------------------------------------------------------------------------

    def check_fields(self, obj: str, values: dict[str, Any]) -> None:
        """Unknown and read-only fields refuse the whole request, as Salesforce's JSON
        deserializer does."""
        spec = self.spec(obj)
        for name in values:
            if name == "attributes":
                continue
            if name in SYSTEM_FIELDS:
                raise ApiError(
                    400,
                    "INVALID_FIELD_FOR_INSERT_UPDATE",
                    f"Unable to create/update fields: {name}. Please check the security "
                    "settings of this field and verify that it is read/write for your profile "
                    "or permission set.",
                    [name],
                )
            if name not in spec:
                raise ApiError(
                    400, "INVALID_FIELD", f"No such column '{name}' on sobject of type {obj}"
                )

    def _problems(self, obj: str, merged: dict[str, Any]) -> list[dict[str, Any]]:
        spec = self.spec(obj)
        missing = [n for n, s in spec.items() if s.required and merged.get(n) in (None, "")]
        if missing:
            return [
                {
                    "statusCode": "REQUIRED_FIELD_MISSING",
                    "message": f"Required fields are missing: [{', '.join(missing)}]",
                    "fields": missing,
                }
            ]
        for name, s in spec.items():
            value = merged.get(name)
            if value in (None, ""):
                continue
            if s.email and not _EMAIL.match(str(value)):
                return [
                    {
                        "statusCode": "INVALID_EMAIL_ADDRESS",
                        "message": f"{s.label}: invalid email address: {value}",
                        "fields": [name],
                    }
                ]
            if s.length is not None and len(str(value)) > s.length:
                return [
                    {
                        "statusCode": "STRING_TOO_LONG",
                        "message": f"{s.label}: data value too large: {value} (max length="
                        f"{s.length})",
                        "fields": [name],
                    }
                ]
            if s.picklist and value not in s.picklist:
                return [
                    {
                        "statusCode": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                        "message": f"{s.label}: bad value for restricted picklist field: {value}",
                        "fields": [name],
                    }
                ]
            if s.kind == "reference" and not any(
                value in rows and not rows[value]["IsDeleted"] for rows in self.records.values()
            ):
                return [
                    {
                        "statusCode": "INVALID_CROSS_REFERENCE_KEY",
                        "message": "invalid cross reference id",
                        "fields": [name],
                    }
                ]
        return []

    def upsert(self, obj: str, ext_field: str, record: dict[str, Any]) -> dict[str, Any]:
        """One record of a collection upsert: its result entry."""
        values = {k: v for k, v in record.items() if k != "attributes"}
        key = values.get(ext_field)
        if key in (None, ""):
            return _failure("MISSING_ARGUMENT", f"{ext_field} not specified", [ext_field])
        rows = self.records[obj]
        existing = self._keyed(obj, ext_field, key)
        spec = self.spec(obj)
        merged = {n: s.default for n, s in spec.items()} if existing is None else dict(existing)
        merged.update({k: (None if v == "" else v) for k, v in values.items()})
        problems = self._problems(obj, merged)
        if problems:
            return {"success": False, "errors": problems}
        now = iso(self.now())
        if existing is None:
            self._insert(obj, merged)
            self._by_key[(obj, ext_field, str(key))] = merged["Id"]
            return {"id": merged["Id"], "success": True, "errors": [], "created": True}
        if any(existing.get(k) != merged.get(k) for k in values):
            merged.update(LastModifiedDate=now, SystemModstamp=now)
        rows[existing["Id"]] = merged
        return {"id": existing["Id"], "success": True, "errors": [], "created": False}

    def create(self, obj: str, values: dict[str, Any]) -> dict[str, Any]:
        """A record a Salesforce user makes in the UI (no external id): its row. Checked
        like an API write."""
        self.check_fields(obj, values)
        merged = {n: s.default for n, s in self.spec(obj).items()} | values
        problems = self._problems(obj, merged)
        if problems:
            raise ApiError(400, problems[0]["statusCode"], problems[0]["message"])
        return self._insert(obj, merged)

    def _insert(self, obj: str, merged: dict[str, Any]) -> dict[str, Any]:
        now = iso(self.now())
        merged.update(
            Id=self._new_id(obj),
            IsDeleted=False,
            CreatedDate=now,
            LastModifiedDate=now,
            SystemModstamp=now,
        )
        self.records[obj][merged["Id"]] = merged
        return merged

    def _keyed(self, obj: str, ext_field: str, key: Any) -> dict[str, Any] | None:
        """The live row whose ``ext_field`` is ``key``. Only upserts make rows and only they
        and edits set fields, and both index what they set, so the index is complete; the
        row is checked because a rolled-back collection or a later edit may have changed it."""
        row = self.records[obj].get(self._by_key.get((obj, ext_field, str(key)), ""))
        if row is not None and not row["IsDeleted"] and row.get(ext_field) == key:
            return row
        return None

    def edit(self, obj: str, record_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """A user's edit in Salesforce (the admin endpoint, PATCH on an sObject)."""
        self.check_fields(obj, values)
        row = self.records[obj].get(record_id)
        if row is None or row["IsDeleted"]:
            raise ApiError(404, "NOT_FOUND", "The requested resource does not exist")
        merged = dict(row) | values
        problems = self._problems(obj, merged)
        if problems:
            first = problems[0]
            raise ApiError(400, first["statusCode"], first["message"], first["fields"])
        now = iso(self.now())
        merged.update(LastModifiedDate=now, SystemModstamp=now)
        self.records[obj][record_id] = merged
        for name, value in values.items():  # an edited external id is looked up too
            self._by_key[(obj, name, str(value))] = record_id
        return merged

    def delete(self, obj: str, record_id: str) -> None:
        row = self.records[self._known(obj)].get(record_id)
        if row is None or row["IsDeleted"]:
            raise ApiError(404, "ENTITY_IS_DELETED", "entity is deleted")
        now = iso(self.now())
        row.update(IsDeleted=True, SystemModstamp=now)

    def _known(self, obj: str) -> str:
        self.spec(obj)
        return obj

    # -- queries ------------------------------------------------------------------------

    def query(self, query: Query, *, all_rows: bool) -> dict[str, Any]:
        try:
            spec = self.spec(query.object)
        except ApiError as exc:
            raise ApiError(
                400,
                "INVALID_TYPE",
                f"sObject type '{query.object}' is not "
                "supported. If you are attempting to use a custom object, be sure "
                "to append the '__c' after the entity name.",
            ) from exc
        known = set(spec) | set(SYSTEM_FIELDS)
        for name in [*query.fields, *(c.field for c in query.where), *(o for o, _ in query.order)]:
            if name not in known:
                raise ApiError(
                    400,
                    "INVALID_FIELD",
                    f"No such column '{name}' on entity '{query.object}'. If you are "
                    "attempting to use a custom field, be sure to append the '__c' after the "
                    "custom field name.",
                )
        rows = [
            _typed(r)
            for r in self.records[query.object].values()
            if (all_rows or not r["IsDeleted"])
        ]
        rows = [r for r in rows if all(c.matches(r) for c in query.where)]
        for name, desc in reversed(query.order):
            rows.sort(key=lambda r: (r.get(name) is None, r.get(name) or ""), reverse=desc)
        if query.limit is not None:
            rows = rows[: query.limit]
        return self._page(rows, query.fields, query.object, 0)

    def more(self, locator: str) -> dict[str, Any]:
        cursor_id, _, offset = locator.partition("-")
        entry = self._cursors.get(cursor_id)
        if entry is None or not offset.isdigit():
            raise ApiError(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        rows, fields, obj = entry
        return self._page(rows, fields, obj, int(offset))

    def _page(
        self, rows: list[dict[str, Any]], fields: tuple[str, ...], obj: str, offset: int
    ) -> dict[str, Any]:
        chunk = rows[offset : offset + QUERY_BATCH]
        body: dict[str, Any] = {
            "totalSize": len(rows),
            "done": offset + QUERY_BATCH >= len(rows),
            "records": [
                {
                    "attributes": {
                        "type": obj,
                        "url": f"/services/data/v{API_VERSION}/sobjects/{obj}/{r['Id']}",
                    },
                    **{f: _out(r.get(f)) for f in fields},
                }
                for r in chunk
            ],
        }
        if not body["done"]:
            cursor_id = "01g" + secrets.token_hex(6)
            self._cursors[cursor_id] = (rows, fields, obj)
            body["nextRecordsUrl"] = (
                f"/services/data/v{API_VERSION}/query/{cursor_id}-{offset + QUERY_BATCH}"
            )
        return body


def _failure(code: str, message: str, fields: list[str]) -> dict[str, Any]:
    return {
        "success": False,
        "errors": [{"statusCode": code, "message": message, "fields": fields}],
    }


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """Datetimes compared as datetimes (SOQL literals are parsed to them)."""
    out = dict(row)
    for name in ("CreatedDate", "LastModifiedDate", "SystemModstamp"):
        out[name] = datetime.strptime(row[name], "%Y-%m-%dT%H:%M:%S.%f%z")
    return out


def _out(value: Any) -> Any:
    return iso(value) if isinstance(value, datetime) else value


__all__ = ["COLLECTION_MAX", "ApiError", "SoqlError", "Store"]

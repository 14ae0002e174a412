"""Field mapping between Hubwire resources and Salesforce objects (docs/connectors/salesforce.md).

Pure functions, no I/O: a lead is a ``Lead`` (both ways), a call is a ``Task`` of subtype
``Call`` on the lead. Writes are upserts keyed on an external id field holding the Hubwire
id, so a retried batch updates the records its first attempt created."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

EXTERNAL_ID_FIELD = "Hubwire_Id__c"  # a custom External ID text field on Lead and Task
# Salesforce requires a Company on a Lead; Hubwire leads may have none (Salesforce's own
# lead import leaves the same placeholder).
DEFAULT_COMPANY = "[not provided]"
LEAD_FIELDS = ("Id", "FirstName", "LastName", "Company", "Email", "Phone", "Status")
MODSTAMP = "SystemModstamp"

# Hubwire status -> the default Lead Status picklist of a new org. A connection's
# ``statusMapping`` setting replaces entries (orgs rename or add values).
STATUS_TO_SALESFORCE: dict[str, str] = {
    "new": "Open - Not Contacted",
    "contacted": "Working - Contacted",
    "qualified": "Working - Contacted",
    "converted": "Closed - Converted",
    "rejected": "Closed - Not Converted",
}
NAME_LIMITS = {"FirstName": 40, "LastName": 80}


def status_maps(settings: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(to Salesforce, from Salesforce) with the connection's ``statusMapping`` applied."""
    custom = settings.get("statusMapping") or {}
    to_sf = {**STATUS_TO_SALESFORCE, **{str(k): str(v) for k, v in custom.items()}}
    # Only a value one Hubwire status maps to pulls back: the default org has four values
    # for five statuses, and "Working - Contacted" (contacted and qualified) pulled as either
    # would turn the echo of a pushed "qualified" into a change. Such a value pulls no status.
    owners: dict[str, list[str]] = {}
    for hubwire, value in to_sf.items():
        owners.setdefault(value, []).append(hubwire)
    from_sf = {value: names[0] for value, names in owners.items() if len(names) == 1}
    return to_sf, from_sf


def settings_problems(settings: Mapping[str, Any]) -> list[str]:
    custom = settings.get("statusMapping")
    if custom is None:
        return []
    if not isinstance(custom, Mapping):
        return ["statusMapping must be an object of Hubwire status -> Lead Status value"]
    problems = []
    for key, value in custom.items():
        if key not in STATUS_TO_SALESFORCE:
            problems.append(
                f"statusMapping: {key!r} is not a Hubwire lead status "
                f"({', '.join(STATUS_TO_SALESFORCE)})"
            )
        if not isinstance(value, str) or not value.strip() or len(value) > 255:
            problems.append(f"statusMapping: the value for {key!r} must be a Lead Status value")
    return problems


def _text(value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def lead_values(
    lead: Mapping[str, Any], hubwire_id: str, to_sf: Mapping[str, str]
) -> dict[str, Any]:
    """A Lead's fields for an upsert. An absent value is sent as null (clears it): an
    upsert is the whole record. A lead without a last name is sent without one and
    Salesforce refuses it (REQUIRED_FIELD_MISSING), which the push reports."""
    values: dict[str, Any] = {
        "attributes": {"type": "Lead"},
        EXTERNAL_ID_FIELD: hubwire_id,
        "FirstName": _text(lead.get("first_name")),
        "LastName": _text(lead.get("last_name")),
        "Company": _text(lead.get("company")) or DEFAULT_COMPANY,
        "Email": _text(lead.get("email")),
        "Phone": _text(lead.get("phone")),
    }
    status = _text(lead.get("status"))
    if status is not None and status in to_sf:
        values["Status"] = to_sf[status]
    return values


def lead_fields(row: Mapping[str, Any], from_sf: Mapping[str, str]) -> dict[str, Any]:
    """A Lead's fields as lead fields; ``status`` only when it maps, ``company`` not when
    it is the placeholder Hubwire sent."""
    first, last = _text(row.get("FirstName")), _text(row.get("LastName"))
    company = _text(row.get("Company"))
    fields: dict[str, Any] = {
        "name": " ".join(p for p in (first, last) if p) or None,
        "first_name": first,
        "last_name": last,
        "email": _text(row.get("Email")),
        "phone": _text(row.get("Phone")),
        "company": None if company == DEFAULT_COMPANY else company,
    }
    status = from_sf.get(str(row.get("Status") or ""))
    if status is not None:
        fields["status"] = status
    return fields


def task_values(call: Mapping[str, Any], hubwire_id: str, who_id: str | None) -> dict[str, Any]:
    """A call as a completed Task of subtype Call on its lead (``WhoId``)."""
    direction = _text(call.get("direction"))
    started = parse_time(call.get("started_at"))
    summary = _text(call.get("summary"))
    duration = call.get("duration_seconds")
    values: dict[str, Any] = {
        "attributes": {"type": "Task"},
        EXTERNAL_ID_FIELD: hubwire_id,
        "Subject": f"Call ({direction})" if direction else "Call",
        "TaskSubtype": "Call",
        "CallType": {"inbound": "Inbound", "outbound": "Outbound"}.get(direction or ""),
        "CallDurationInSeconds": int(duration) if isinstance(duration, int | float) else None,
        "CallDisposition": _text(call.get("outcome")),
        "Description": summary[:32000] if summary else None,
        "Status": "Completed",
        "ActivityDate": started.date().isoformat() if started else None,
    }
    if who_id:
        values["WhoId"] = who_id
    return values


def parse_time(value: Any) -> datetime | None:
    """A Salesforce datetime (``2026-01-01T10:00:00.000+0000``) or ISO 8601, in UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = _text(value)
    if not text:
        return None
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = text[:-2] + ":" + text[-2:]
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def soql_datetime(moment: datetime) -> str:
    """A SOQL datetime literal (unquoted, UTC, milliseconds)."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"

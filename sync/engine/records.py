"""Hubwire records as the connector kit's ``Record`` values, and the hash of what was synced.

Records carry Hubwire's field names (``connectors.kit.Record``); the connector maps them to
the provider's properties. The hash of a record's fields (and its related ids) is stored in
the id map each time both sides agree on a record (after a push, after applying a pull):
a later push of a record whose hash did not change has nothing to send, which is how a
change that came *from* the provider is not echoed back to it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import orjson

from connectors.kit import Record
from core.appointments.models import Appointment
from core.calls.models import Call
from core.leads.links import lead_page_url
from core.leads.models import Lead
from core.payments.models import Payment
from core.settings import Settings

# The lead fields that sync (both ways); tags and custom fields stay in Hubwire.
LEAD_FIELDS = ("name", "first_name", "last_name", "email", "phone", "company", "status")
CALL_FIELDS = (
    "direction",
    "status",
    "from_number",
    "to_number",
    "started_at",
    "ended_at",
    "duration_seconds",
    "outcome",
    "summary",
    "transcript_text",
    "agent_id",
)
# The appointment fields that sync; an appointment's lead travels in ``Record.related`` (push)
# or as the record's ``invitee`` contact (pull, see sync/engine/appointments.py).
APPOINTMENT_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "status",
    "location",
    "join_url",
    "notes",
    "cancel_reason",
)
# The payment fields that sync; its lead travels in ``Record.related`` (push) or is matched
# by the customer's email or phone (pull, see sync/engine/payments.py).
PAYMENT_FIELDS = (
    "amount",
    "currency",
    "status",
    "refunded_amount",
    "provider",
    "provider_id",
    "customer_email",
    "customer_phone",
    "customer_name",
    "description",
    "failure_reason",
    "occurred_at",
)
# The Hubwire table behind each hub object a connector may mirror (HUB_OBJECTS).
HUB_MODELS: dict[str, type[Lead] | type[Call] | type[Appointment] | type[Payment]] = {
    "lead": Lead,
    "call": Call,
    "appointment": Appointment,
    "payment": Payment,
}
HubRow = Lead | Call | Appointment | Payment


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def lead_fields(lead: Lead, extra: Sequence[str] = ()) -> dict[str, Any]:
    """The default lead fields plus the object's ``extra_fields`` (ObjectSpec)."""
    fields = {name: getattr(lead, name) for name in (*LEAD_FIELDS, *extra)}
    if "tags" in fields:
        fields["tags"] = list(fields["tags"] or [])
    return fields


def lead_record(
    lead: Lead,
    object_type: str,
    *,
    external_id: str | None = None,
    related: Mapping[str, str] | None = None,
    extra: Sequence[str] = (),
) -> Record:
    return Record(
        object_type=object_type,
        fields=lead_fields(lead, extra),
        hubwire_id=lead.id,
        external_id=external_id,
        updated_at=lead.updated_at,
        related=dict(related or {}),
    )


def call_record(
    call: Call,
    object_type: str,
    *,
    external_id: str | None = None,
    related: Mapping[str, str] | None = None,
) -> Record:
    fields: dict[str, Any] = {name: getattr(call, name) for name in CALL_FIELDS}
    fields["started_at"] = _iso(call.started_at)
    fields["ended_at"] = _iso(call.ended_at)
    return Record(
        object_type=object_type,
        fields=fields,
        hubwire_id=call.id,
        external_id=external_id,
        updated_at=call.updated_at,
        related=dict(related or {}),
    )


def appointment_record(
    appointment: Appointment,
    object_type: str,
    *,
    external_id: str | None = None,
    related: Mapping[str, str] | None = None,
) -> Record:
    fields: dict[str, Any] = {name: getattr(appointment, name) for name in APPOINTMENT_FIELDS}
    fields["starts_at"] = _iso(appointment.starts_at)
    fields["ends_at"] = _iso(appointment.ends_at)
    return Record(
        object_type=object_type,
        fields=fields,
        hubwire_id=appointment.id,
        external_id=external_id,
        updated_at=appointment.updated_at,
        related=dict(related or {}),
    )


def payment_record(
    payment: Payment,
    object_type: str,
    *,
    external_id: str | None = None,
    related: Mapping[str, str] | None = None,
) -> Record:
    fields: dict[str, Any] = {name: getattr(payment, name) for name in PAYMENT_FIELDS}
    fields["occurred_at"] = _iso(payment.occurred_at)
    return Record(
        object_type=object_type,
        fields=fields,
        hubwire_id=payment.id,
        external_id=external_id,
        updated_at=payment.updated_at,
        related=dict(related or {}),
    )


def fields_hash(record: Record) -> str:
    """sha256 of the canonical JSON of the record's fields and related ids."""
    canonical = orjson.dumps(
        {"fields": dict(record.fields), "related": dict(record.related)},
        option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
        default=str,
    )
    return hashlib.sha256(canonical).hexdigest()


def pulled_lead_fields(record: Record, extra: Sequence[str] = ()) -> dict[str, Any]:
    """The lead fields a pulled record sets: only those it carries (of the default ones and
    the object's ``extra``); an empty string is no value (providers send ``""`` for a blank
    property, Hubwire stores null)."""
    fields: dict[str, Any] = {}
    for name in (*LEAD_FIELDS, *extra):
        if name in record.fields:
            value = record.fields[name]
            if isinstance(value, str):
                value = value.strip() or None
            if value is None and name in ("status", "tags", "email_consent"):
                continue  # these always have a value: a blank one changes nothing
            fields[name] = value
    return fields


def hub_record(
    hub_object: str,
    row: HubRow,
    object_type: str,
    *,
    external_id: str | None = None,
    related: Mapping[str, str] | None = None,
    extra: Sequence[str] = (),
) -> Record:
    """The kit ``Record`` of a lead, call, appointment or payment row, for the provider object
    ``object_type`` (``extra``: the object's extra lead fields)."""
    if hub_object == "call" and isinstance(row, Call):
        return call_record(row, object_type, external_id=external_id, related=related)
    if hub_object == "appointment" and isinstance(row, Appointment):
        return appointment_record(row, object_type, external_id=external_id, related=related)
    if hub_object == "payment" and isinstance(row, Payment):
        return payment_record(row, object_type, external_id=external_id, related=related)
    if isinstance(row, Lead):
        return lead_record(row, object_type, external_id=external_id, related=related, extra=extra)
    raise TypeError(f"cannot sync a {type(row).__name__} as {hub_object}")


def notification(
    record: Record,
    row: HubRow,
    events: Sequence[str],
    settings: Settings,
    *,
    score: Any = None,
) -> Record:
    """A record for a notifying object (``ObjectSpec.notify``): the events that queued it
    and read-only context a message shows (a lead's source and page, a call's lead and the
    score of its analysis, when one finished)."""
    extra: dict[str, Any]
    if isinstance(row, Lead):
        extra = {"source": row.source, "url": lead_page_url(settings.public_base_url, row.id)}
    else:
        page = lead_page_url(settings.public_base_url, row.lead_id) if row.lead_id else None
        extra = {"lead_id": row.lead_id, "lead_url": page}
        if isinstance(row, Call):
            extra["score"] = score
    return replace(record, fields={**record.fields, **extra}, events=tuple(events))

"""Pulled appointments: a scheduling tool's bookings upserted into Hubwire's appointments.

A connector object with ``hub_object="appointment"`` hands the pull records whose fields are
the appointment's (``records.APPOINTMENT_FIELDS``; times as ISO 8601 strings or datetimes)
plus:

- ``invitee``: ``{"name", "email", "phone"}``, the person who booked. The appointment's lead
  is the workspace's lead with that email, else with that phone, else a new lead (source:
  the connector's slug).
- ``rescheduled_from``: the provider id of the booking this one replaces (a scheduling tool
  that cancels the old booking and creates a new one when someone reschedules). The
  appointment of the old booking is moved, ONE ``appointment.rescheduled``, and its id map
  now points at the new booking.
- ``superseded``: true on the old booking of a reschedule: its cancellation is not one.
- ``custom_fields``: merged into the appointment's ``customFields``.

Applying a record twice changes nothing the second time: the id map (provider id ->
appointment) makes a repeated booking an update with no difference, which emits nothing.
Appointments are written through ``core.appointments.service``, so the usual events fire."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from connectors.kit import ObjectSpec, Record
from core.appointments.models import Appointment
from core.appointments.schemas import AppointmentCreate, AppointmentUpdate
from core.appointments.service import OPEN_STATUSES, appointments
from core.database import utcnow
from core.errors import HubwireError
from core.leads.models import Lead
from core.leads.repository import LeadRepository
from core.leads.schemas import LeadCreate
from core.leads.service import leads
from sync.engine.common import (
    Target,
    aware,
    id_map_by_external,
    upsert_id_map,
    validated_input,
)
from sync.engine.records import APPOINTMENT_FIELDS, appointment_record, fields_hash
from sync.engine.stats import PullStats

# A pulled status that closes the appointment; an open one ("scheduled") never reopens or
# downgrades a `rescheduled` appointment.
CLOSING_STATUSES = frozenset({"canceled", "completed", "no_show"})


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def appointment_values(record: Record) -> dict[str, Any]:
    """The appointment fields a pulled record sets (only those it carries)."""
    values: dict[str, Any] = {}
    for name in APPOINTMENT_FIELDS:
        if name in record.fields and name != "status":
            value = record.fields[name]
            values[name] = value.strip() or None if isinstance(value, str) else value
    custom = record.fields.get("custom_fields")
    if isinstance(custom, Mapping) and custom:
        values["custom_fields"] = dict(custom)
    return values


async def _lead_for(session: AsyncSession, target: Target, record: Record) -> Lead | None:
    """The invitee's lead: by email, then phone, else a new one."""
    invitee = record.fields.get("invitee")
    if not isinstance(invitee, Mapping):
        return None
    email, phone = _text(invitee.get("email")), _text(invitee.get("phone"))
    found = await LeadRepository(session).find_by_contact(target.workspace_id, email, phone)
    if found is not None:
        return found
    contact = {"name": _text(invitee.get("name")), "email": email, "phone": phone}
    contact = {k: v for k, v in contact.items() if v}
    if not contact:
        return None
    data = validated_input(LeadCreate, {**contact, "source": target.slug})
    return await leads.create(session, workspace_id=target.workspace_id, data=data)


async def apply_appointment_page(
    session: AsyncSession, target: Target, obj: ObjectSpec, records: Sequence[Record]
) -> PullStats:
    """Upserts one page's records into Hubwire's appointments, in the page's order."""
    stats = PullStats()
    for record in records:
        if not record.external_id:
            stats.failed += 1
            stats.errors.append("a pulled record has no provider id")
            continue
        try:
            await _apply(session, target, obj, record, stats)
        except (ValidationError, ValueError, HubwireError) as exc:
            stats.failed += 1
            stats.errors.append(f"{record.external_id}: {exc}".splitlines()[0][:200])
    return stats


async def _apply(
    session: AsyncSession, target: Target, obj: ObjectSpec, record: Record, stats: PullStats
) -> None:
    assert record.external_id is not None
    mapped = await id_map_by_external(session, target.id, obj.name, [record.external_id])
    row = mapped.get(record.external_id)
    if record.fields.get("superseded"):
        stats.unchanged += 1  # the booking that replaced it carries the change
        return
    appointment: Appointment | None = None
    if row is not None:
        appointment = await session.get(Appointment, row.hubwire_id)
        if appointment is None:
            stats.skipped += 1  # deleted in Hubwire: not resurrected
            return
    elif (previous := record.fields.get("rescheduled_from")) and isinstance(previous, str):
        before = await id_map_by_external(session, target.id, obj.name, [previous])
        if previous in before:
            appointment = await session.get(Appointment, before[previous].hubwire_id)
    values = appointment_values(record)
    status = record.fields.get("status")
    if appointment is None:
        lead = await _lead_for(session, target, record)
        data = validated_input(AppointmentCreate, {**values, "lead_id": lead.id if lead else None})
        appointment = await appointments.create(
            session, workspace_id=target.workspace_id, data=data, source=target.slug
        )
        stats.created += 1
        if status in CLOSING_STATUSES:
            await _update(session, target, appointment, {"status": status})
    else:
        if status in CLOSING_STATUSES or appointment.status not in OPEN_STATUSES:
            values["status"] = status if status in CLOSING_STATUSES else appointment.status
        custom = values.get("custom_fields")
        if custom is not None:
            values["custom_fields"] = {**appointment.custom_fields, **custom}
        before_at = appointment.updated_at
        appointment = await _update(session, target, appointment, values)
        if appointment.updated_at != before_at:
            stats.updated += 1
        else:
            stats.unchanged += 1
    await upsert_id_map(
        session,
        [
            {
                "connection_id": target.id,
                "object_type": obj.name,
                "hubwire_id": appointment.id,
                "external_id": record.external_id,
                "fields_hash": fields_hash(appointment_record(appointment, obj.name)),
                "remote_updated_at": aware(record.updated_at),
                "synced_at": utcnow(),
            }
        ],
    )


async def _update(
    session: AsyncSession, target: Target, appointment: Appointment, values: dict[str, Any]
) -> Appointment:
    data = validated_input(AppointmentUpdate, values)
    return await appointments.update(
        session, workspace_id=target.workspace_id, appointment_id=appointment.id, data=data
    )

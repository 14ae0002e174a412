"""Field mapping between Hubwire resources and Pipedrive objects (docs/connectors/pipedrive.md).

Pure functions, no I/O: a lead is a Person (with a Pipedrive Lead linked to it when it is
created), a call is an Activity of type ``call``."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

NOTE_LIMIT = 100_000  # characters Pipedrive keeps of an activity's note
# The line that ties an activity to its Hubwire call: a push after a crash finds the
# activity it already made by it instead of making a second one.
CALL_MARKER = "Hubwire call {id}"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class _Contact(Protocol):
    value: str
    primary: bool


def person_name(lead: Mapping[str, Any]) -> str:
    """The Person's ``name`` (required by Pipedrive) from the lead's full ``name`` (its
    ``firstName`` and ``lastName`` joined), else its email or phone."""
    return _text(lead.get("name")) or _text(lead.get("email")) or _text(lead.get("phone"))


def _contacts(value: Any) -> list[dict[str, Any]]:
    text = _text(value)
    return [{"value": text, "primary": True, "label": "work"}] if text else []


def person_body(lead: Mapping[str, Any]) -> dict[str, Any]:
    """An API v2 person body for the lead fields present in ``lead``: a field that is absent
    leaves its Pipedrive value alone, one set to None clears it (the name cannot be cleared:
    Pipedrive requires one)."""
    body: dict[str, Any] = {}
    name = person_name(lead)
    if name and ("name" in lead or "email" in lead or "phone" in lead):
        body["name"] = name
    if "email" in lead:
        body["emails"] = _contacts(lead["email"])
    if "phone" in lead:
        body["phones"] = _contacts(lead["phone"])
    return body


def _primary(items: Sequence[_Contact]) -> str | None:
    values = [i for i in items if _text(i.value)]
    chosen = next((i for i in values if i.primary), values[0] if values else None)
    return _text(chosen.value) if chosen else None


def lead_fields(
    name: str | None, emails: Sequence[_Contact], phones: Sequence[_Contact]
) -> dict[str, Any]:
    """A Person as lead fields. A name that only repeats the email or phone (what
    ``person_name`` sends for a lead without a name) is no name."""
    email, phone = _primary(emails), _primary(phones)
    full = _text(name) or None
    if full is not None and full in (email, phone):
        full = None
    return {"name": full, "email": email, "phone": phone}


def lead_title(lead: Mapping[str, Any]) -> str:
    return f"{person_name(lead) or 'Lead'} (Hubwire)"


def parse_v1_time(value: str) -> datetime:
    """``YYYY-MM-DD HH:MM:SS`` (API v1, UTC)."""
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def v1_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _instant(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = _text(value)
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def duration(seconds: Any) -> str | None:
    """Pipedrive's ``HH:MM`` (whole minutes, rounded up so a short call is not 00:00)."""
    try:
        total = max(int(seconds), 0)
    except (TypeError, ValueError):
        return None
    minutes = (total + 59) // 60
    return f"{min(minutes // 60, 99):02d}:{minutes % 60:02d}"


def call_marker(call_id: str) -> str:
    return CALL_MARKER.format(id=call_id)


def activity_note(call: Mapping[str, Any], call_id: str) -> str:
    """The note: numbers and outcome, the summary, the transcript (cut to Pipedrive's limit),
    and the marker line last."""
    facts = [f"{(_text(call.get('direction')) or 'phone').capitalize()} call"]
    if call.get("from_number"):
        facts.append(f"from {_text(call['from_number'])}")
    if call.get("to_number"):
        facts.append(f"to {_text(call['to_number'])}")
    if call.get("outcome"):
        facts.append(_text(call["outcome"]).replace("_", " "))
    parts = [f"<p><b>{html.escape(' · '.join(facts))}</b></p>"]
    if _text(call.get("summary")):
        parts.append(f"<p>{html.escape(_text(call['summary']))}</p>")
    marker = f"<p><i>{html.escape(call_marker(call_id))}</i></p>"
    transcript = _text(call.get("transcript_text"))
    if transcript:
        room = NOTE_LIMIT - sum(map(len, parts)) - len(marker) - 40
        body = html.escape(transcript[: max(room, 0)])
        if len(body) > room:  # escaping made it longer
            body = body[:room]
        parts.append(f"<p><i>Transcript</i><br>{body}</p>")
    return "".join(parts) + marker


def activity_body(call: Mapping[str, Any], call_id: str, person_id: int | None) -> dict[str, Any]:
    """An API v2 activity of type ``call``: done once the call ended, due when it started."""
    started = _instant(call.get("started_at")) or _instant(call.get("ended_at"))
    direction = _text(call.get("direction")) or "phone"
    body: dict[str, Any] = {
        "subject": f"{direction.capitalize()} call (Hubwire)",
        "type": "call",
        "done": _instant(call.get("ended_at")) is not None,
        "note": activity_note(call, call_id),
        "duration": duration(call.get("duration_seconds")),
    }
    if started is not None:
        body["due_date"] = started.strftime("%Y-%m-%d")
        body["due_time"] = started.strftime("%H:%M")
    if person_id is not None:
        body["participants"] = [{"person_id": person_id, "primary": True}]
    return body


def call_marker_of(note: str | None) -> str | None:
    """The Hubwire call id an activity's note names (``activity_note``'s marker line)."""
    if not note:
        return None
    head = CALL_MARKER.format(id="")
    at = note.rfind(html.escape(head))
    if at < 0:
        return None
    rest = note[at + len(html.escape(head)) :]
    found = rest.split("<", 1)[0].strip()
    return html.unescape(found) or None

"""Field mapping between Hubwire resources and HubSpot objects (docs/connectors/hubspot.md).

Pure functions, no I/O: a lead is a contact (both ways), a call is a note on the contact's
timeline and a converted lead is a deal. HubSpot stores every property as a string; an
empty string clears a property."""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# The contact properties a lead maps to, and the ones a pull asks for.
CONTACT_PROPERTIES = ("firstname", "lastname", "email", "phone", "company", "hs_lead_status")
MODIFIED = "lastmodifieddate"
_PLAIN = ("email", "phone", "company")

# Hubwire lead status -> HubSpot's default ``hs_lead_status`` options. Both follow a lead
# from first touch to outcome, so the steps line up one to one.
STATUS_TO_HUBSPOT: dict[str, str] = {
    "new": "NEW",
    "contacted": "ATTEMPTED_TO_CONTACT",
    "qualified": "CONNECTED",
    "converted": "OPEN_DEAL",
    "rejected": "UNQUALIFIED",
}
# HubSpot -> Hubwire: every default option, the in-between ones folded into a neighbour.
# Values not listed (custom options, unset) pull no status at all, so a HubSpot edit never
# moves a Hubwire lead back to "new".
STATUS_FROM_HUBSPOT: dict[str, str] = {
    **{hubspot: hubwire for hubwire, hubspot in STATUS_TO_HUBSPOT.items()},
    "OPEN": "new",
    "IN_PROGRESS": "contacted",
    "BAD_TIMING": "rejected",
}

NOTE_BODY_LIMIT = 65_536  # HubSpot's cap on hs_note_body (its notes guide)
NOTE_TO_CONTACT = 202  # HubSpot-defined association type ids
DEAL_TO_CONTACT = 3
DEAL_PIPELINE = "default"
DEAL_STAGE = "closedwon"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def split_name(name: Any) -> tuple[str, str]:
    """``"Ada King Lovelace"`` -> ``("Ada King", "Lovelace")``: the last word is the last
    name, as Hubwire splits a name sent alone (docs/resources/leads.md)."""
    first, _, last = _text(name).rpartition(" ")
    return first.strip(), last


def join_name(first: str | None, last: str | None) -> str | None:
    return " ".join(p for p in (_text(first), _text(last)) if p) or None


def contact_properties(lead: Mapping[str, Any]) -> dict[str, str]:
    """The contact properties for the lead fields present in ``lead``; a field that is
    absent leaves its property alone, a field set to None clears it."""
    props: dict[str, str] = {}
    if "first_name" in lead or "last_name" in lead:
        # Hubwire keeps the parts (core/leads/names.py): they map one to one.
        props["firstname"] = _text(lead.get("first_name"))
        props["lastname"] = _text(lead.get("last_name"))
    elif "name" in lead:
        props["firstname"], props["lastname"] = split_name(lead["name"])
    for name in _PLAIN:
        if name in lead:
            props[name] = _text(lead[name])
    if "status" in lead:
        status = _text(lead["status"]).lower()
        if not status:
            props["hs_lead_status"] = ""
        elif status in STATUS_TO_HUBSPOT:
            props["hs_lead_status"] = STATUS_TO_HUBSPOT[status]
    return props


def lead_fields(props: Mapping[str, str | None]) -> dict[str, Any]:
    """A contact's properties as lead fields; ``status`` only when it maps (see above)."""
    first, last = _text(props.get("firstname")) or None, _text(props.get("lastname")) or None
    fields: dict[str, Any] = {
        "name": join_name(first, last),
        "first_name": first,
        "last_name": last,
    }
    for name in _PLAIN:
        fields[name] = _text(props.get(name)) or None
    status = STATUS_FROM_HUBSPOT.get(_text(props.get("hs_lead_status")).upper())
    if status is not None:
        fields["status"] = status
    return fields


def parse_time(value: Any) -> datetime | None:
    """A HubSpot timestamp (ISO 8601 or epoch milliseconds) as an aware UTC datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = _text(value)
    if not text:
        return None
    if text.isdigit():
        return EPOCH + timedelta(milliseconds=int(text))
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def epoch_ms(moment: datetime) -> int:
    """Exact integer milliseconds (float seconds would round some of them off by one)."""
    return (moment - EPOCH) // timedelta(milliseconds=1)


def _duration(seconds: Any) -> str:
    try:
        total = int(seconds)
    except (TypeError, ValueError):
        return ""
    minutes, secs = divmod(max(total, 0), 60)
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


def _transcript(call: Mapping[str, Any]) -> str:
    # The sync engine sends ``transcript_text``; the API's nested form works as well.
    transcript = call.get("transcript")
    if isinstance(transcript, Mapping):
        return _text(transcript.get("text"))
    return _text(transcript) or _text(call.get("transcript_text"))


def _transcript_html(text: str) -> str:
    lines = "<br>".join(html.escape(line) for line in text.splitlines())
    return f"<p><em>Transcript</em><br>{lines}</p>"


def _cut_notice(link: str | None) -> str:
    where = (
        f'<a href="{html.escape(link, quote=True)}">{html.escape(link)}</a>' if link else "Hubwire"
    )
    return f"<p><em>Transcript shortened: the full one is in {where}</em></p>"


def note_body(call: Mapping[str, Any], *, link: str | None = None) -> str:
    """``hs_note_body``: a headline (direction, duration, numbers, outcome), the summary and
    the transcript, as the small HTML HubSpot's timeline renders. HubSpot holds at most
    ``NOTE_BODY_LIMIT`` characters: a longer transcript is cut and ends with a pointer to
    the whole call in Hubwire (``link``)."""
    direction = _text(call.get("direction")) or "phone"
    facts = [f"{direction.capitalize()} call"]
    duration = _duration(call.get("duration_seconds"))
    if duration:
        facts.append(duration)
    if call.get("from_number"):
        facts.append(f"from {_text(call['from_number'])}")
    if call.get("to_number"):
        facts.append(f"to {_text(call['to_number'])}")
    if call.get("outcome"):
        facts.append(_text(call["outcome"]).replace("_", " "))
    head = f"<p><strong>{html.escape(' · '.join(facts))}</strong></p>"
    summary = _text(call.get("summary"))
    if summary:
        head += f"<p>{html.escape(summary)}</p>"
    transcript = _transcript(call)
    if not transcript:
        return head
    whole = head + _transcript_html(transcript)
    if len(whole) <= NOTE_BODY_LIMIT:
        return whole
    notice = _cut_notice(link)
    room = NOTE_BODY_LIMIT - len(head) - len(notice)

    def shortened(keep: int) -> str:
        return _transcript_html(transcript[:keep].rstrip() + " …")

    # The longest start of the transcript that fits once escaped (a binary search).
    low, high = 0, len(transcript)
    while low < high:
        middle = (low + high + 1) // 2
        if len(shortened(middle)) <= room:
            low = middle
        else:
            high = middle - 1
    part = shortened(low) if len(shortened(low)) <= room else ""
    return (head + part + notice)[:NOTE_BODY_LIMIT]


def note_properties(
    call: Mapping[str, Any],
    *,
    at: datetime,
    link: str | None = None,
    agent_owners: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """A note's properties. HubSpot requires ``hs_timestamp`` (where the note sits on the
    timeline): the call's start, else its end, else ``at`` (when Hubwire last changed it).
    A call whose agent the connection maps to a HubSpot owner (``agentOwners``) gives the
    note that owner."""
    when = parse_time(call.get("started_at")) or parse_time(call.get("ended_at")) or at
    props = {"hs_note_body": note_body(call, link=link), "hs_timestamp": str(epoch_ms(when))}
    owner = (agent_owners or {}).get(_text(call.get("agent_id")))
    if owner is not None:
        props["hubspot_owner_id"] = str(owner)
    return props


AGENT_OWNERS = "agentOwners"


def agent_owner_problems(settings: Mapping[str, Any]) -> list[str]:
    """``agentOwners`` maps Hubwire agent ids (``agent_…``) to HubSpot owner ids (digits)."""
    owners = settings.get(AGENT_OWNERS)
    if owners is None:
        return []
    if not isinstance(owners, dict):
        return [f"{AGENT_OWNERS} is an object of agent ids to HubSpot owner ids"]
    problems = []
    for agent_id, owner in owners.items():
        if not str(agent_id).startswith("agent_"):
            problems.append(f"{AGENT_OWNERS}: {agent_id!r} is not an agent id (agent_…)")
        if not (isinstance(owner, str | int) and str(owner).isdigit()):
            problems.append(f"{AGENT_OWNERS}.{agent_id}: a HubSpot owner id is digits")
    return problems


def deal_properties(lead: Mapping[str, Any]) -> dict[str, str]:
    who = _text(lead.get("name")) or _text(lead.get("email")) or _text(lead.get("phone"))
    return {
        "dealname": f"{who or 'Lead'} (Hubwire)",
        "dealstage": DEAL_STAGE,
        "pipeline": DEAL_PIPELINE,
    }

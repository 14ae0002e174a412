"""The messages, in Block Kit: a lead card (with buttons), a call card and a digest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from connectors.slack.refs import Acted

# The lead card's buttons: action id -> the status it sets (and the verb the card shows).
LEAD_ACTIONS = {
    "hubwire_mark_contacted": ("contacted", "Mark contacted", "Marked contacted"),
    "hubwire_qualify": ("qualified", "Qualify", "Qualified"),
    "hubwire_reject": ("rejected", "Reject", "Rejected"),
}
MAX_SECTION_CHARS = 2900  # Slack allows 3000 characters in a section's text


def _text(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def lead_title(fields: Mapping[str, Any]) -> str:
    return str(fields.get("name") or fields.get("email") or fields.get("phone") or "A lead")


def lead_text(fields: Mapping[str, Any]) -> str:
    """The plain-text fallback (notifications, screen readers)."""
    return f"Lead: {lead_title(fields)} ({fields.get('status')})"


def lead_card(
    lead_id: str, fields: Mapping[str, Any], acted: Acted | None = None, *, overdue: bool = False
) -> list[dict[str, Any]]:
    title = _escape(lead_title(fields))
    url = fields.get("url")
    heading = f"*<{url}|{title}>*" if url else f"*{title}*"
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f":bust_in_silhouette: {heading}"}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*{label}*\n{_escape(_text(fields.get(name)))}"}
                for label, name in (
                    ("Phone", "phone"),
                    ("Email", "email"),
                    ("Source", "source"),
                    ("Status", "status"),
                )
            ],
        },
    ]
    if overdue and fields.get("status") == "new":
        blocks.append(_context(":alarm_clock: Not answered within the response target"))
    if acted is not None and acted.status == fields.get("status"):
        verb = next(v for s, _, v in LEAD_ACTIONS.values() if s == acted.status)
        blocks.append(_context(f"{verb} by <@{acted.user}>"))
    blocks.append(
        {
            "type": "actions",
            "block_id": "hubwire_lead_actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "text": {"type": "plain_text", "text": label},
                    "value": lead_id,
                    **({"style": "danger"} if status == "rejected" else {}),
                }
                for action_id, (status, label, _) in LEAD_ACTIONS.items()
                if status != fields.get("status")
            ],
        }
    )
    if not blocks[-1]["elements"]:
        blocks.pop()
    return blocks


def _duration(seconds: Any) -> str:
    if not isinstance(seconds, int):
        return "—"
    return f"{seconds // 60}m {seconds % 60:02d}s"


def call_text(fields: Mapping[str, Any]) -> str:
    return f"Call {fields.get('direction')}: {_text(fields.get('outcome'))}"


def call_card(fields: Mapping[str, Any]) -> list[dict[str, Any]]:
    who = fields.get("from_number") if fields.get("direction") == "inbound" else None
    who = who or fields.get("to_number") or fields.get("from_number")
    heading = f":telephone_receiver: *{_escape(str(fields.get('direction') or 'call'))} call*"
    if who:
        heading += f" with {_escape(str(who))}"
    if fields.get("lead_url"):
        heading += f" · <{fields['lead_url']}|the lead>"
    details = [
        ("Duration", _duration(fields.get("duration_seconds"))),
        ("Outcome", fields.get("outcome")),
    ]
    if fields.get("score") is not None:
        details.append(("Analysis score", f"{fields['score']}/10"))
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": heading}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*{label}*\n{_escape(_text(value))}"}
                for label, value in details
            ],
        },
    ]
    if fields.get("summary"):
        summary = _escape(str(fields["summary"]))[:2900]
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*Summary*\n{summary}"}}
        )
    return blocks


def digest(kind: str, entries: Sequence[Mapping[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """One message listing records that arrived past a channel's per-minute threshold:
    (fallback text, blocks). Every record is named (the list is split across sections)."""
    text = f"{len(entries)} more {kind}s arrived in the last minute"
    lines = []
    for fields in entries:
        name = _escape(lead_title(fields) if kind == "lead" else call_text(fields))
        url = fields.get("url") or fields.get("lead_url")
        label = f"<{url}|{name}>" if url else name
        extra = " · ".join(
            _escape(str(fields[k])) for k in ("email", "phone", "source") if fields.get(k)
        )
        lines.append(f"• {label}" + (f" · {extra}" if extra else ""))
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f":inbox_tray: *{text}*"}}
    ]
    chunk: list[str] = []
    for line in lines:
        # A section's text holds at most 3000 characters: every line gets into one.
        if chunk and sum(len(c) + 1 for c in chunk) + len(line) > MAX_SECTION_CHARS:
            blocks.append(_section("\n".join(chunk)))
            chunk = []
        chunk.append(line[:MAX_SECTION_CHARS])
    if chunk:
        blocks.append(_section("\n".join(chunk)))
    return text, blocks


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}

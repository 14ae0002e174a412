"""Hubwire leads as Mailchimp members: merge fields, tags and the subscription status that
the lead's email marketing consent allows (docs/connectors/mailchimp.md, "Consent")."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

SubscriptionMode = Literal["single_opt_in", "double_opt_in", "transactional"]
Unconsented = Literal["transactional", "skip"]
SUBSCRIPTION_MODES = ("single_opt_in", "double_opt_in", "transactional")
# Hubwire's lead fields (and the halves of its name) a merge field may take.
MAPPABLE = ("first_name", "last_name", "name", "phone", "company", "status")
DEFAULT_MERGE_FIELDS: Mapping[str, str] = {
    "first_name": "FNAME",
    "last_name": "LNAME",
    "phone": "PHONE",
    "company": "COMPANY",
}
LEAD_STATUSES = ("new", "contacted", "qualified", "converted", "rejected")


def subscriber_hash(email: str) -> str:
    """Mailchimp's member id: the MD5 of the lowercased address."""
    return hashlib.md5(email.strip().lower().encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True, slots=True)
class Settings:
    """A connection's settings (camelCase keys in ``connection.settings``)."""

    list_id: str
    statuses: tuple[str, ...] = ()  # empty: every status
    tags: tuple[str, ...] = ()  # empty: every lead; else leads with one of them
    merge_fields: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_MERGE_FIELDS))
    subscription_mode: SubscriptionMode = "single_opt_in"
    unconsented: Unconsented = "skip"

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Settings:
        return cls(
            list_id=str(raw.get("listId") or ""),
            statuses=tuple(raw.get("statuses") or ()),
            tags=tuple(raw.get("tags") or ()),
            merge_fields=dict(raw.get("mergeFields") or DEFAULT_MERGE_FIELDS),
            subscription_mode=raw.get("subscriptionMode") or "single_opt_in",
            unconsented=raw.get("unconsented") or "skip",
        )


def settings_problems(raw: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    known = {"listId", "statuses", "tags", "mergeFields", "subscriptionMode", "unconsented"}
    # Keys the connector keeps itself (on_connect) are allowed too.
    known |= {"apiEndpoint", "dc", "webhookId"}
    problems += [f"unknown setting {key!r}" for key in sorted(set(raw) - known)]
    if "listId" in raw and (not isinstance(raw["listId"], str) or not raw["listId"]):
        problems.append("listId must be the audience id (a non-empty string)")
    statuses = raw.get("statuses", [])
    if not isinstance(statuses, list) or any(s not in LEAD_STATUSES for s in statuses):
        problems.append(f"statuses must be a list of {', '.join(LEAD_STATUSES)}")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or any(not isinstance(t, str) or not t for t in tags):
        problems.append("tags must be a list of tag names")
    merges = raw.get("mergeFields", {})
    if not isinstance(merges, dict):
        problems.append("mergeFields must map lead fields to merge tags")
    else:
        for name, tag in merges.items():
            if name not in MAPPABLE:
                problems.append(f"mergeFields: {name!r} is not one of {', '.join(MAPPABLE)}")
            if not isinstance(tag, str) or not tag.isalnum() or len(tag) > 10:
                problems.append(f"mergeFields: {tag!r} is not a merge tag (up to 10 letters)")
    if raw.get("subscriptionMode", "single_opt_in") not in SUBSCRIPTION_MODES:
        problems.append(f"subscriptionMode must be one of {', '.join(SUBSCRIPTION_MODES)}")
    if raw.get("unconsented", "skip") not in ("transactional", "skip"):
        problems.append("unconsented must be transactional or skip")
    return problems


def selected(fields: Mapping[str, Any], settings: Settings) -> bool:
    """Whether the lead is one the connection syncs (by status and tags)."""
    if settings.statuses and fields.get("status") not in settings.statuses:
        return False
    return not settings.tags or bool(set(settings.tags) & set(fields.get("tags") or ()))


def merge_values(fields: Mapping[str, Any], settings: Settings) -> dict[str, str]:
    """The merge fields of the mapping (FNAME from ``first_name``, LNAME from ``last_name``
    by default), empty where the lead has no value."""
    return {tag: str(fields.get(name) or "") for name, tag in settings.merge_fields.items()}


def statuses(consent: str, settings: Settings) -> dict[str, str] | None:
    """``status_if_new`` (and ``status`` for an existing member) the consent allows; None:
    the lead is not sent at all.

    Only ``granted`` subscribes. ``revoked`` unsubscribes (and a new address is kept as
    unsubscribed, so nobody mails it). An existing member is never moved back to
    ``subscribed`` from ``unsubscribed`` or ``cleaned``: Mailchimp refuses it (compliance
    state), and the connector never asks in double opt-in or transactional mode."""
    if consent == "revoked":
        return {"status_if_new": "unsubscribed", "status": "unsubscribed"}
    if consent == "granted" and settings.subscription_mode == "single_opt_in":
        return {"status_if_new": "subscribed", "status": "subscribed"}
    if consent == "granted" and settings.subscription_mode == "double_opt_in":
        # A confirmation email goes to new addresses only; existing members keep theirs.
        return {"status_if_new": "pending"}
    if consent == "granted" or settings.unconsented == "transactional":
        return {"status_if_new": "transactional"}
    return None


def member_body(
    fields: Mapping[str, Any], settings: Settings, plan: Mapping[str, str], *, new: bool
) -> dict[str, Any]:
    """The PUT body; tags ride along for a member Hubwire has not pushed before."""
    body: dict[str, Any] = {
        "email_address": str(fields["email"]).strip(),
        "merge_fields": merge_values(fields, settings),
        **plan,
    }
    if new and fields.get("tags"):
        body["tags"] = list(fields["tags"])
    return body


def tags_body(tags: Sequence[str]) -> dict[str, Any]:
    return {"tags": [{"name": t, "status": "active"} for t in tags]}

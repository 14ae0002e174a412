"""The sandbox's account: one audience with members, merge fields, webhooks and batches.

Every API operation is a method of ``Store`` taking the parsed request and returning the
JSON body (or raising ``ApiError``); the HTTP routes and the batch runner share them, so an
operation in a batch behaves exactly as the same call made directly.
Sources: Mailchimp Marketing API reference, lists/members, merge-fields, webhooks, batches
(https://mailchimp.com/developer/marketing/api/, checked 2026-12); mailchimp-marketing 3.0.80.
"""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from connectors.mailchimp.sandbox.config import SandboxConfig
from connectors.mailchimp.sandbox.errors import (
    ApiError,
    bad_json,
    invalid,
    invalid_fields,
    not_found,
)

STATUSES = ("subscribed", "unsubscribed", "cleaned", "pending", "transactional")
# Statuses Mailchimp will not move to subscribed through the API (compliance).
COMPLIANCE = ("unsubscribed", "cleaned")
MEMBER_FIELDS = {
    "email_address",
    "status",
    "status_if_new",
    "email_type",
    "merge_fields",
    "interests",
    "language",
    "vip",
    "location",
    "marketing_permissions",
    "ip_signup",
    "timestamp_signup",
    "ip_opt",
    "timestamp_opt",
    "tags",
    "skip_merge_validation",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_SORTABLE = {"timestamp_opt", "timestamp_signup", "last_changed"}


def subscriber_hash(email: str) -> str:
    """Mailchimp's member id: the MD5 of the lowercased address."""
    return hashlib.md5(email.lower().encode(), usedforsecurity=False).hexdigest()


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _parse_time(value: str) -> float:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(f"{value} is not a valid date") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


@dataclass
class Member:
    email: str
    status: str
    merge_fields: dict[str, Any]
    tags: list[str]
    created: float
    changed: float
    web_id: int
    contact_id: str
    vip: bool = False
    email_type: str = "html"


@dataclass
class Batch:
    id: str
    operations: list[dict[str, Any]]
    submitted: float
    status: str = "pending"
    completed: float | None = None
    errored: int = 0
    results: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Audience:
    id: str
    name: str
    created: float
    members: dict[str, Member] = field(default_factory=dict)
    merge_fields: list[dict[str, Any]] = field(default_factory=list)
    webhooks: dict[str, dict[str, Any]] = field(default_factory=dict)


def _default_merge_fields(list_id: str) -> list[dict[str, Any]]:
    # A new audience's merge fields (no COMPANY: accounts add it themselves).
    rows = [
        ("FNAME", "First Name", "text"),
        ("LNAME", "Last Name", "text"),
        ("ADDRESS", "Address", "address"),
        ("PHONE", "Phone Number", "phone"),
        ("BIRTHDAY", "Birthday", "birthday"),
    ]
    return [
        {
            "merge_id": i + 1,
            "tag": tag,
            "name": name,
            "type": kind,
            "required": False,
            "default_value": "",
            "public": False,
            "display_order": i + 2,
            "options": {},
            "help_text": "",
            "list_id": list_id,
        }
        for i, (tag, name, kind) in enumerate(rows)
    ]


class Store:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.audiences: dict[str, Audience] = {}
        self.batches: dict[str, Batch] = {}
        self.outbox: list[dict[str, Any]] = []
        # Whether a webhook URL answers (a GET with 200); None: not checked.
        self.url_answers: Callable[[str], bool] | None = None
        self.calls = 0
        self.downloads = 0  # batch results fetched (from Mailchimp's storage, not the API)
        self.refused_429 = 0
        self._web_ids = 1000
        self.reset()

    def reset(self) -> None:
        with self.lock:
            now = self.config.clock()
            audience = Audience(self.config.list_id, self.config.list_name, now)
            audience.merge_fields = _default_merge_fields(audience.id)
            self.audiences = {audience.id: audience}
            self.batches = {}
            self.outbox = []
            self.calls = 0
            self.downloads = 0
            self.refused_429 = 0

    # -- helpers --------------------------------------------------------------------------

    def _audience(self, list_id: str) -> Audience:
        audience = self.audiences.get(list_id)
        if audience is None:
            raise not_found()
        return audience

    def _member(self, audience: Audience, key: str) -> Member:
        member = audience.members.get(key.lower()) or audience.members.get(
            subscriber_hash(key) if "@" in key else ""
        )
        if member is None:
            raise not_found()
        return member

    def member_json(self, audience: Audience, member: Member) -> dict[str, Any]:
        digest = subscriber_hash(member.email)
        return {
            "id": digest,
            "email_address": member.email,
            "unique_email_id": digest[:10],
            "contact_id": member.contact_id,
            "full_name": " ".join(
                str(member.merge_fields.get(k) or "") for k in ("FNAME", "LNAME")
            ).strip(),
            "web_id": member.web_id,
            "email_type": member.email_type,
            "status": member.status,
            "merge_fields": {
                f["tag"]: member.merge_fields.get(f["tag"], "") for f in audience.merge_fields
            },
            "vip": member.vip,
            "timestamp_signup": "",
            "timestamp_opt": _iso(member.created),
            "last_changed": _iso(member.changed),
            "language": "",
            "source": "API - Generic",
            "tags_count": len(member.tags),
            "tags": [{"id": abs(hash(t)) % 10**6, "name": t} for t in member.tags],
            "list_id": audience.id,
        }

    def _merge_fields(self, audience: Audience, given: Any) -> dict[str, Any]:
        if given is None:
            return {}
        if not isinstance(given, dict):
            raise invalid_fields([{"field": "merge_fields", "message": "Schema describes object"}])
        known = {f["tag"]: f for f in audience.merge_fields}
        problems = [
            {"field": tag, "message": f'Merge field "{tag}" does not exist.'}
            for tag in given
            if tag not in known
        ]
        for tag, value in given.items():
            if tag in known and not isinstance(value, str | int | float | dict):
                problems.append({"field": tag, "message": "Please enter a value"})
        if problems:
            raise ApiError(400, "Invalid Resource", "Your merge fields were invalid.", problems)
        return dict(given)

    def _check_body(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise bad_json()
        unknown = sorted(set(body) - MEMBER_FIELDS)
        if unknown:
            raise invalid_fields(
                [{"field": name, "message": "Schema does not allow this field"} for name in unknown]
            )
        for key in ("status", "status_if_new"):
            if key in body and body[key] not in STATUSES:
                raise invalid_fields(
                    [{"field": key, "message": "Value is not one of the allowed values"}]
                )
        return body

    def _check_email(self, email: Any) -> str:
        if not isinstance(email, str) or not _EMAIL.match(email) or len(email) > 255:
            raise invalid(
                f"{email} looks fake or invalid, please enter a real email address."
                if isinstance(email, str) and email
                else "Please provide a valid email address."
            )
        return email

    def _set_status(self, member: Member, status: str) -> None:
        if member.status == status:
            return
        if status in ("subscribed",) and member.status in COMPLIANCE:
            raise ApiError(
                400,
                "Member In Compliance State",
                f"{member.email} is already a list member in compliance state due to "
                "unsubscribe, bounce, or compliance review and cannot be subscribed.",
            )
        if member.status == "cleaned":
            raise ApiError(
                400,
                "Member In Compliance State",
                f"{member.email} was permanently deleted or cleaned and cannot be re-imported.",
            )
        member.status = status

    def _new_member(self, email: str, status: str, body: dict[str, Any], now: float) -> Member:
        self._web_ids += 1
        return Member(
            email=email,
            status=status,
            merge_fields={},
            tags=[],
            created=now,
            changed=now,
            web_id=self._web_ids,
            contact_id=uuid.uuid4().hex,
            vip=bool(body.get("vip", False)),
            email_type=str(body.get("email_type", "html")),
        )

    # -- operations -----------------------------------------------------------------------

    def lists(self, query: dict[str, str]) -> dict[str, Any]:
        rows = [self.list_json(a) for a in self.audiences.values()]
        return {"lists": rows, "total_items": len(rows), "constraints": {}}

    def list_json(self, audience: Audience) -> dict[str, Any]:
        counts = {s: 0 for s in STATUSES}
        for member in audience.members.values():
            counts[member.status] += 1
        return {
            "id": audience.id,
            "web_id": 1,
            "name": audience.name,
            "date_created": _iso(audience.created),
            "list_rating": 0,
            "double_optin": False,
            "stats": {
                "member_count": counts["subscribed"],
                "unsubscribe_count": counts["unsubscribed"],
                "cleaned_count": counts["cleaned"],
            },
        }

    def get_list(self, list_id: str) -> dict[str, Any]:
        return self.list_json(self._audience(list_id))

    def put_member(self, list_id: str, key: str, body: Any) -> dict[str, Any]:
        """PUT /lists/{id}/members/{hash}: add or update (``status_if_new`` for a new one)."""
        audience = self._audience(list_id)
        body = self._check_body(body)
        email = self._check_email(body.get("email_address"))
        digest = key.lower()
        if subscriber_hash(email) != digest and email.lower() != digest:
            raise invalid_fields(
                [{"field": "email_address", "message": "does not match the subscriber hash"}]
            )
        merges = self._merge_fields(audience, body.get("merge_fields"))
        now = self.config.clock()
        member = audience.members.get(subscriber_hash(email))
        if member is None:
            status = body.get("status_if_new") or body.get("status")
            if status is None:
                raise invalid_fields(
                    [{"field": "status_if_new", "message": "This value should not be blank."}]
                )
            member = self._new_member(email, status, body, now)
            member.tags = [str(t) for t in body.get("tags") or []]
            audience.members[subscriber_hash(email)] = member
        elif "status" in body:
            self._set_status(member, body["status"])
        member.merge_fields.update(merges)
        member.changed = now
        return self.member_json(audience, member)

    def patch_member(self, list_id: str, key: str, body: Any) -> dict[str, Any]:
        audience = self._audience(list_id)
        body = self._check_body(body)
        member = self._member(audience, key)
        merges = self._merge_fields(audience, body.get("merge_fields"))
        new_email = body.get("email_address")
        if new_email is not None and new_email.lower() != member.email.lower():
            self._check_email(new_email)
            if subscriber_hash(new_email) in audience.members:
                raise ApiError(
                    400,
                    "Member Exists",
                    f"{new_email} is already a list member. Use PUT to insert or update "
                    "list members.",
                )
            del audience.members[subscriber_hash(member.email)]
            member.email = new_email
            audience.members[subscriber_hash(new_email)] = member
        if "status" in body:
            self._set_status(member, body["status"])
        member.merge_fields.update(merges)
        member.changed = self.config.clock()
        return self.member_json(audience, member)

    def get_member(self, list_id: str, key: str) -> dict[str, Any]:
        audience = self._audience(list_id)
        return self.member_json(audience, self._member(audience, key))

    def delete_member(self, list_id: str, key: str) -> None:
        audience = self._audience(list_id)
        member = self._member(audience, key)
        # DELETE archives: the address stays unsubscribed-like for Mailchimp's counts.
        del audience.members[subscriber_hash(member.email)]

    def list_members(self, list_id: str, query: dict[str, str]) -> dict[str, Any]:
        audience = self._audience(list_id)
        try:
            count = int(query.get("count", "10"))
            offset = int(query.get("offset", "0"))
        except ValueError:
            raise invalid("count and offset must be integers") from None
        if count > self.config.max_page_size:
            raise invalid(f"count may not exceed {self.config.max_page_size}")
        rows = list(audience.members.values())
        if "status" in query:
            rows = [m for m in rows if m.status == query["status"]]
        if "since_last_changed" in query:
            since = _parse_time(query["since_last_changed"])
            # last_changed has whole seconds, and so does the comparison.
            rows = [m for m in rows if int(m.changed) > since]
        sort_field = query.get("sort_field")
        if sort_field is not None:
            if sort_field not in _SORTABLE:
                raise invalid(f"sort_field must be one of {', '.join(sorted(_SORTABLE))}")
            rows.sort(key=lambda m: m.changed if sort_field == "last_changed" else m.created)
            if query.get("sort_dir", "DESC").upper() == "DESC":
                rows.reverse()
        page = rows[offset : offset + count]
        return {
            "members": [self.member_json(audience, m) for m in page],
            "list_id": audience.id,
            "total_items": len(rows),
        }

    def member_tags(self, list_id: str, key: str, body: Any) -> None:
        """POST /lists/{id}/members/{hash}/tags: ``active`` adds a tag, ``inactive`` removes
        it; answers 204."""
        audience = self._audience(list_id)
        member = self._member(audience, key)
        if not isinstance(body, dict) or not isinstance(body.get("tags"), list):
            raise invalid_fields([{"field": "tags", "message": "Required property missing"}])
        for tag in body["tags"]:
            if not isinstance(tag, dict) or not isinstance(tag.get("name"), str):
                raise invalid_fields([{"field": "tags.name", "message": "Schema describes string"}])
            if tag.get("status") not in ("active", "inactive"):
                raise invalid_fields(
                    [{"field": "tags.status", "message": "Value is not one of the allowed values"}]
                )
            name = tag["name"][:100]
            if tag["status"] == "active" and name not in member.tags:
                member.tags.append(name)
            elif tag["status"] == "inactive" and name in member.tags:
                member.tags.remove(name)
        member.changed = self.config.clock()

    def merge_fields(self, list_id: str) -> dict[str, Any]:
        audience = self._audience(list_id)
        return {
            "merge_fields": audience.merge_fields,
            "list_id": audience.id,
            "total_items": len(audience.merge_fields),
        }

    def add_merge_field(self, list_id: str, body: Any) -> dict[str, Any]:
        audience = self._audience(list_id)
        if not isinstance(body, dict) or not body.get("name") or not body.get("type"):
            raise invalid_fields([{"field": "name", "message": "This value should not be blank."}])
        tag = str(body.get("tag") or body["name"]).upper()[:10]
        if any(f["tag"] == tag for f in audience.merge_fields):
            raise invalid(f'A Merge Field with the tag "{tag}" already exists for this list.')
        row = {
            "merge_id": max(f["merge_id"] for f in audience.merge_fields) + 1,
            "tag": tag,
            "name": str(body["name"]),
            "type": str(body["type"]),
            "required": bool(body.get("required", False)),
            "default_value": "",
            "public": bool(body.get("public", False)),
            "display_order": len(audience.merge_fields) + 2,
            "options": {},
            "help_text": "",
            "list_id": audience.id,
        }
        audience.merge_fields.append(row)
        return row

    def add_webhook(self, list_id: str, body: Any) -> dict[str, Any]:
        audience = self._audience(list_id)
        url = body.get("url") if isinstance(body, dict) else None
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise invalid_fields([{"field": "url", "message": "This value should be a valid URL."}])
        if any(w["url"] == url for w in audience.webhooks.values()):
            raise invalid("The provided URL already exists for this list.")
        if self.url_answers is not None and not self.url_answers(url):
            raise invalid_fields(
                [{"field": "url", "message": "We couldn't verify the URL is working."}]
            )
        events = {k: False for k in ("subscribe", "unsubscribe", "profile", "cleaned", "upemail")}
        events["campaign"] = False
        events.update(body.get("events") or {})
        sources = {"user": False, "admin": False, "api": False}
        sources.update(body.get("sources") or {})
        hook: dict[str, Any] = {
            "id": uuid.uuid4().hex[:10],
            "url": url,
            "events": events,
            "sources": sources,
            "list_id": audience.id,
        }
        audience.webhooks[hook["id"]] = hook
        return hook

    def webhooks(self, list_id: str) -> dict[str, Any]:
        audience = self._audience(list_id)
        rows = list(audience.webhooks.values())
        return {"webhooks": rows, "list_id": audience.id, "total_items": len(rows)}

    def delete_webhook(self, list_id: str, webhook_id: str) -> None:
        audience = self._audience(list_id)
        if audience.webhooks.pop(webhook_id, None) is None:
            raise not_found()

    # -- batches --------------------------------------------------------------------------

    def start_batch(self, body: Any) -> Batch:
        operations = body.get("operations") if isinstance(body, dict) else None
        if not isinstance(operations, list):
            raise invalid_fields([{"field": "operations", "message": "Required property missing"}])
        for op in operations:
            if not isinstance(op, dict) or op.get("method") not in (
                "GET",
                "POST",
                "PUT",
                "PATCH",
                "DELETE",
            ):
                raise invalid_fields([{"field": "operations.method", "message": "Invalid value"}])
            if not isinstance(op.get("path"), str):
                raise invalid_fields([{"field": "operations.path", "message": "Required"}])
        batch = Batch(uuid.uuid4().hex[:10], operations, self.config.clock())
        self.batches[batch.id] = batch
        return batch

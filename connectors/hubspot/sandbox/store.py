"""The sandbox's in-memory HubSpot account: CRM objects, associations, OAuth grants.

Every method takes the store's lock, so the API (running on several threads) and tests
inspecting it see consistent state. Object ids are unique across object types, as they
are within a HubSpot account's standard objects, so an id alone names its type."""

from __future__ import annotations

import copy
import json
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

OBJECT_TYPES = ("contacts", "deals", "notes")
SINGULAR = {"contacts": "contact", "deals": "deal", "notes": "note"}
# Properties returned when a read names none, as HubSpot does for each type.
DEFAULT_PROPERTIES: dict[str, tuple[str, ...]] = {
    "contacts": (
        "createdate",
        "email",
        "firstname",
        "hs_object_id",
        "lastmodifieddate",
        "lastname",
    ),
    "deals": (
        "amount",
        "closedate",
        "createdate",
        "dealname",
        "dealstage",
        "hs_lastmodifieddate",
        "hs_object_id",
        "pipeline",
    ),
    "notes": (
        "hs_createdate",
        "hs_lastmodifieddate",
        "hs_note_body",
        "hs_object_id",
        "hs_timestamp",
    ),
}
# HubSpot-defined association type ids (from type, to type) -> typeId.
ASSOCIATION_TYPES: dict[tuple[str, str], int] = {
    ("contacts", "deals"): 4,
    ("deals", "contacts"): 3,
    ("notes", "contacts"): 202,
    ("contacts", "notes"): 201,
    ("notes", "deals"): 214,
    ("deals", "notes"): 213,
}
# The properties an account has, beside the read-only ones (HubSpot's default properties
# of each object; a sandbox account has no custom ones).
PROPERTIES: dict[str, frozenset[str]] = {
    "contacts": frozenset(
        {
            "address",
            "city",
            "company",
            "country",
            "email",
            "firstname",
            "hs_lead_status",
            "hubspot_owner_id",
            "jobtitle",
            "lastname",
            "lifecyclestage",
            "mobilephone",
            "phone",
            "state",
            "website",
            "zip",
        }
    ),
    "deals": frozenset(
        {
            "amount",
            "closedate",
            "dealname",
            "dealstage",
            "dealtype",
            "description",
            "hubspot_owner_id",
            "pipeline",
        }
    ),
    "notes": frozenset({"hs_attachment_ids", "hs_note_body", "hs_timestamp", "hubspot_owner_id"}),
}
# Required when creating (HubSpot's notes guide: "hs_timestamp: Required").
REQUIRED_ON_CREATE: dict[str, tuple[str, ...]] = {"notes": ("hs_timestamp",)}
# Length caps (HubSpot's notes guide: hs_note_body holds at most 65,536 characters).
MAX_LENGTH: dict[str, dict[str, int]] = {"notes": {"hs_note_body": 65_536}}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
READ_ONLY = frozenset(
    {"createdate", "hs_createdate", "lastmodifieddate", "hs_lastmodifieddate", "hs_object_id"}
)


def iso(ts: float) -> str:
    """HubSpot's timestamp format: ISO 8601, UTC, milliseconds, ``Z``."""
    text = datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


@dataclass
class CrmObject:
    id: str
    object_type: str
    properties: dict[str, str]
    created_at: float
    updated_at: float
    archived: bool = False
    archived_at: float | None = None
    # When HubSpot's search index shows this version (search lags writes by seconds).
    searchable_at: float = 0.0

    def to_json(self, names: Iterable[str] | None = None) -> dict[str, Any]:
        wanted = DEFAULT_PROPERTIES[self.object_type] if names is None else tuple(names)
        props: dict[str, str | None] = {n: self.properties.get(n) for n in wanted}
        # HubSpot always returns these, whatever was asked for.
        modified = "lastmodifieddate" if self.object_type == "contacts" else "hs_lastmodifieddate"
        for name in ("createdate", modified, "hs_object_id"):
            props[name] = self.properties.get(name)
        body: dict[str, Any] = {
            "id": self.id,
            "properties": props,
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
            "archived": self.archived,
        }
        if self.archived_at is not None:
            body["archivedAt"] = iso(self.archived_at)
        return body


@dataclass(frozen=True)
class Association:
    from_type: str
    from_id: str
    to_type: str
    to_id: str
    type_id: int


@dataclass
class Grant:
    """What an access or refresh token stands for."""

    client_id: str
    scopes: tuple[str, ...]
    expires_at: float | None  # None: never (refresh tokens, static tokens)


@dataclass
class AuthCode:
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    expires_at: float


class StoreError(Exception):
    def __init__(self, status: int, message: str, category: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.category = category


def invalid_properties(problems: list[dict[str, Any]]) -> StoreError:
    """HubSpot's ``400`` for property values it refuses: the message embeds one JSON entry
    per property (``isValid``, ``message``, ``error``, ``name``)."""
    return StoreError(
        400,
        "Property values were not valid: " + json.dumps(problems, separators=(",", ":")),
        "VALIDATION_ERROR",
    )


@dataclass
class Change:
    """A change a webhook subscription may report."""

    object_type: str
    object_id: str
    created: bool
    changed: dict[str, str]
    occurred_at: float
    deleted: bool = False


@dataclass
class Stats:
    """What the sandbox answered, summed over apps (``GET /_sandbox/stats``): tests use it
    to count a connector's calls without wrapping its SDK."""

    requests: int = 0  # CRM API requests with a valid token, 429s included
    rate_limited: int = 0  # of those, refused with 429
    refreshes: int = 0  # successful refresh_token grants
    batch_writes: int = 0  # batch create/update calls
    batch_records: int = 0  # inputs in those calls


@dataclass
class Store:
    clock: Callable[[], float]
    # Seconds a write takes to reach the search index (HubSpot's lags by seconds).
    index_lag: float = 0.0
    objects: dict[str, CrmObject] = field(default_factory=dict)
    associations: set[Association] = field(default_factory=set)
    access_tokens: dict[str, Grant] = field(default_factory=dict)
    refresh_tokens: dict[str, Grant] = field(default_factory=dict)
    codes: dict[str, AuthCode] = field(default_factory=dict)
    counters: Stats = field(default_factory=Stats)
    # Live contacts by lower-cased email: the uniqueness check is a lookup, not a scan.
    _emails: dict[str, str] = field(default_factory=dict)
    _next_id: int = 1001
    _lock: threading.RLock = field(default_factory=threading.RLock)

    # --- inspection (tests) -----------------------------------------------------------
    def get(self, object_type: str, object_id: str) -> CrmObject | None:
        with self._lock:
            obj = self.objects.get(object_id)
            return copy.deepcopy(obj) if obj and obj.object_type == object_type else None

    def all(self, object_type: str, *, archived: bool = False) -> list[CrmObject]:
        with self._lock:
            return [
                copy.deepcopy(o)
                for o in self.objects.values()
                if o.object_type == object_type and o.archived == archived
            ]

    def associated(self, object_type: str, object_id: str, to_type: str) -> list[Association]:
        with self._lock:
            return sorted(
                (
                    a
                    for a in self.associations
                    if a.from_type == object_type
                    and a.from_id == object_id
                    and a.to_type == to_type
                ),
                key=lambda a: int(a.to_id),
            )

    # --- persistence (make run keeps the account across restarts) ----------------------
    SNAPSHOT_VERSION = 1

    def snapshot(self) -> dict[str, Any]:
        """The account as JSON: objects, associations and the tokens issued (a restarted
        demo keeps its connection working). Counters and pending codes are not kept."""
        with self._lock:
            return {
                "version": self.SNAPSHOT_VERSION,
                "nextId": self._next_id,
                "objects": [asdict(o) for o in self.objects.values()],
                "associations": [asdict(a) for a in self.associations],
                "accessTokens": {t: asdict(g) for t, g in self.access_tokens.items()},
                "refreshTokens": {t: asdict(g) for t, g in self.refresh_tokens.items()},
            }

    def restore(self, data: Mapping[str, Any]) -> None:
        """Replaces the account with a ``snapshot()`` (one of another version is ignored)."""
        if data.get("version") != self.SNAPSHOT_VERSION:
            return

        def grant(raw: Mapping[str, Any]) -> Grant:
            return Grant(raw["client_id"], tuple(raw["scopes"]), raw["expires_at"])

        with self._lock:
            self.reset()
            for raw in data.get("objects", []):
                obj = CrmObject(**raw)
                self.objects[obj.id] = obj
                email = obj.properties.get("email")
                if email and not obj.archived and obj.object_type == "contacts":
                    self._emails[email.lower()] = obj.id
            self.associations = {Association(**raw) for raw in data.get("associations", [])}
            self.access_tokens = {t: grant(g) for t, g in data.get("accessTokens", {}).items()}
            self.refresh_tokens = {t: grant(g) for t, g in data.get("refreshTokens", {}).items()}
            self._next_id = int(data.get("nextId", self._next_id))

    def reset(self) -> None:
        with self._lock:
            self.objects.clear()
            self._emails.clear()
            self.associations.clear()
            self.access_tokens.clear()
            self.refresh_tokens.clear()
            self.codes.clear()
            self.counters = Stats()

    # --- counters ---------------------------------------------------------------------
    def count_request(self, *, rate_limited: bool) -> None:
        with self._lock:
            self.counters.requests += 1
            self.counters.rate_limited += int(rate_limited)

    def count_rate_limited(self) -> None:
        """A request already counted was refused by a limit of its own (search's)."""
        with self._lock:
            self.counters.rate_limited += 1

    def count_refresh(self) -> None:
        with self._lock:
            self.counters.refreshes += 1

    def count_batch_write(self, records: int) -> None:
        with self._lock:
            self.counters.batch_writes += 1
            self.counters.batch_records += records

    def stats(self) -> Stats:
        with self._lock:
            return copy.copy(self.counters)

    # --- objects ----------------------------------------------------------------------
    def _live(self, object_type: str, object_id: str) -> CrmObject:
        obj = self.objects.get(object_id)
        if obj is None or obj.object_type != object_type or obj.archived:
            raise StoreError(404, "resource not found", "OBJECT_NOT_FOUND")
        return obj

    def read(self, object_type: str, object_id: str, *, archived: bool = False) -> CrmObject:
        with self._lock:
            obj = self.objects.get(object_id)
            if obj is None or obj.object_type != object_type or obj.archived != archived:
                raise StoreError(404, "resource not found", "OBJECT_NOT_FOUND")
            return copy.deepcopy(obj)

    def page(
        self, object_type: str, *, after: str | None, limit: int, archived: bool = False
    ) -> tuple[list[CrmObject], str | None]:
        with self._lock:
            start = int(after) if after and after.isdigit() else 0
            rows = sorted(
                (
                    o
                    for o in self.objects.values()
                    if o.object_type == object_type
                    and o.archived == archived
                    and int(o.id) >= start
                ),
                key=lambda o: int(o.id),
            )
            nxt = str(int(rows[limit].id)) if len(rows) > limit else None
            return [copy.deepcopy(o) for o in rows[:limit]], nxt

    def _check_email(self, object_type: str, props: dict[str, str], own_id: str | None) -> None:
        email = props.get("email")
        if object_type != "contacts" or not email:
            return
        if not EMAIL.match(email):
            problem = {
                "isValid": False,
                "message": f"Email address {email} is invalid",
                "error": "INVALID_EMAIL",
                "name": "email",
            }
            raise invalid_properties([problem])
        existing = self._emails.get(email.lower())
        if existing is not None and existing != own_id:
            raise StoreError(409, f"Contact already exists. Existing ID: {existing}", "CONFLICT")

    def _index_email(self, obj: CrmObject, previous: str | None) -> None:
        if obj.object_type != "contacts":
            return
        if previous:
            self._forget_email(previous, obj.id)
        email = obj.properties.get("email")
        if email and not obj.archived:
            self._emails[email.lower()] = obj.id

    def _forget_email(self, email: str, object_id: str) -> None:
        if self._emails.get(email.lower()) == object_id:
            del self._emails[email.lower()]

    def create(
        self,
        object_type: str,
        properties: dict[str, Any],
        associations: list[tuple[str, int]] | None = None,
    ) -> tuple[CrmObject, Change]:
        """Creates an object; ``associations`` are (to id, association type id) pairs."""
        with self._lock:
            props = _clean(object_type, properties, creating=True)
            self._check_email(object_type, props, None)
            targets = []
            for to_id, type_id in associations or []:
                target = self.objects.get(to_id)
                if target is None or target.archived:
                    raise StoreError(
                        400, f"Association target {to_id} does not exist", "VALIDATION_ERROR"
                    )
                # Checked before anything is stored: a create happens whole or not at all.
                targets.append((target, *self._association_types(object_type, target, type_id)))
            now = self.clock()
            object_id = str(self._next_id)
            self._next_id += 1
            stamp = iso(now)
            props.update(
                {
                    "createdate": stamp,
                    "lastmodifieddate": stamp,
                    "hs_lastmodifieddate": stamp,
                    "hs_object_id": object_id,
                }
            )
            if object_type == "notes":
                props["hs_createdate"] = stamp
            obj = CrmObject(
                object_id, object_type, props, now, now, searchable_at=now + self.index_lag
            )
            self.objects[object_id] = obj
            self._index_email(obj, None)
            for target, forward, backward in targets:
                self._link(obj, target, forward, backward)
            changed = {k: v for k, v in props.items() if k not in READ_ONLY}
            return copy.deepcopy(obj), Change(object_type, object_id, True, changed, now)

    def create_many(
        self, object_type: str, inputs: list[tuple[dict[str, Any], list[tuple[str, int]]]]
    ) -> tuple[list[CrmObject], list[Change]]:
        """Creates all of ``inputs`` or, when one is invalid, none of them (what the failed
        batch created is taken out again: cheap, unlike copying the whole store)."""
        with self._lock:
            next_id = self._next_id
            made: list[tuple[CrmObject, Change]] = []
            try:
                for props, assoc in inputs:
                    made.append(self.create(object_type, props, assoc))
            except StoreError:
                ids = {obj.id for obj, _ in made}
                for object_id in ids:
                    email = self.objects.pop(object_id).properties.get("email")
                    if email:
                        self._forget_email(email, object_id)
                self.associations = {
                    a for a in self.associations if a.from_id not in ids and a.to_id not in ids
                }
                self._next_id = next_id
                raise
            return [m[0] for m in made], [m[1] for m in made]

    def create_each(
        self, object_type: str, inputs: list[tuple[dict[str, Any], list[tuple[str, int]]]]
    ) -> list[tuple[CrmObject, Change] | StoreError]:
        """Creates each of ``inputs`` on its own (multi-status batches): one outcome per
        input, in order, the object or why it was refused."""
        outcomes: list[tuple[CrmObject, Change] | StoreError] = []
        with self._lock:
            for props, assoc in inputs:
                try:
                    outcomes.append(self.create(object_type, props, assoc))
                except StoreError as exc:
                    outcomes.append(exc)
        return outcomes

    def upsert(
        self, object_type: str, email: str, properties: dict[str, Any]
    ) -> tuple[CrmObject, Change]:
        """Updates the live contact with this email, else creates it (batch upsert with
        ``idProperty: email``); ``Change.created`` tells which."""
        with self._lock:
            existing = self._emails.get(email.lower()) if object_type == "contacts" else None
            if existing is not None:
                return self.update(object_type, existing, properties)
            return self.create(object_type, {**properties, "email": email})

    def update(
        self, object_type: str, object_id: str, properties: dict[str, Any]
    ) -> tuple[CrmObject, Change]:
        with self._lock:
            obj = self._live(object_type, object_id)
            props = _clean(object_type, properties, creating=False)
            self._check_email(object_type, props, object_id)
            changed = {k: v for k, v in props.items() if obj.properties.get(k) != v}
            now = self.clock()
            previous_email = obj.properties.get("email")
            obj.properties.update(props)
            self._index_email(obj, previous_email)
            obj.updated_at = now
            obj.searchable_at = now + self.index_lag
            obj.properties["lastmodifieddate"] = obj.properties["hs_lastmodifieddate"] = iso(now)
            return copy.deepcopy(obj), Change(object_type, object_id, False, changed, now)

    def delay_search(self, object_type: str, object_id: str, seconds: float) -> None:
        """Keeps the object out of search results for ``seconds`` (an index that lags)."""
        with self._lock:
            self._live(object_type, object_id).searchable_at = self.clock() + seconds

    def searchable(self, obj: CrmObject) -> bool:
        return obj.searchable_at <= self.clock()

    def search(
        self,
        object_type: str,
        keep: Callable[[CrmObject], bool],
        order: Callable[[list[CrmObject]], None],
        start: int,
        limit: int,
    ) -> tuple[int, list[CrmObject]]:
        """What the search index shows: the live objects of a type it has caught up with
        that ``keep`` accepts, ordered by ``order``; returns (how many, copies of
        ``limit`` of them from ``start``). Only the page is copied."""
        with self._lock:
            now = self.clock()
            rows = [
                o
                for o in self.objects.values()
                if o.object_type == object_type
                and not o.archived
                and o.searchable_at <= now
                and keep(o)
            ]
            order(rows)
            return len(rows), [copy.deepcopy(o) for o in rows[start : start + limit]]

    def archive(self, object_type: str, object_id: str) -> Change | None:
        """Archives; archiving a missing or archived object is a no-op, as in HubSpot."""
        with self._lock:
            obj = self.objects.get(object_id)
            if obj is None or obj.object_type != object_type or obj.archived:
                return None
            now = self.clock()
            obj.archived, obj.archived_at, obj.updated_at = True, now, now
            self._index_email(obj, obj.properties.get("email"))
            return Change(object_type, object_id, False, {}, now, deleted=True)

    # --- associations -----------------------------------------------------------------
    @staticmethod
    def _association_types(
        source_type: str, target: CrmObject, type_id: int | None
    ) -> tuple[int, int]:
        """The (forward, backward) association type ids, or a 400 for an impossible pair."""
        forward = type_id or ASSOCIATION_TYPES.get((source_type, target.object_type))
        backward = ASSOCIATION_TYPES.get((target.object_type, source_type))
        if forward is None or backward is None:
            raise StoreError(
                400,
                f"{source_type} can't be associated with {target.object_type}",
                "VALIDATION_ERROR",
            )
        return forward, backward

    def _associate(self, source: CrmObject, target: CrmObject, type_id: int | None) -> None:
        self._link(source, target, *self._association_types(source.object_type, target, type_id))

    def _link(self, source: CrmObject, target: CrmObject, forward: int, backward: int) -> None:
        self.associations.add(
            Association(source.object_type, source.id, target.object_type, target.id, forward)
        )
        self.associations.add(
            Association(target.object_type, target.id, source.object_type, source.id, backward)
        )

    def associate_default(self, from_type: str, from_id: str, to_type: str, to_id: str) -> None:
        with self._lock:
            source = self._live(from_type, from_id)
            target = self._live(to_type, to_id)
            self._associate(source, target, None)

    # --- OAuth ------------------------------------------------------------------------
    def issue_code(
        self, client_id: str, redirect_uri: str, scopes: tuple[str, ...], ttl: int
    ) -> str:
        with self._lock:
            code = secrets.token_urlsafe(24)
            self.codes[code] = AuthCode(client_id, redirect_uri, scopes, self.clock() + ttl)
            return code

    def spend_code(self, code: str) -> AuthCode | None:
        """Codes are single use; an expired code is as good as unknown."""
        with self._lock:
            grant = self.codes.pop(code, None)
            if grant is None or grant.expires_at < self.clock():
                return None
            return grant

    def issue_tokens(self, client_id: str, scopes: tuple[str, ...], ttl: int) -> tuple[str, str]:
        with self._lock:
            refresh = secrets.token_urlsafe(32)
            self.refresh_tokens[refresh] = Grant(client_id, scopes, None)
            return self.issue_access_token(refresh, ttl), refresh

    def issue_access_token(self, refresh_token: str, ttl: int) -> str:
        with self._lock:
            grant = self.refresh_tokens[refresh_token]
            access = "sbx-" + secrets.token_urlsafe(32)
            self.access_tokens[access] = Grant(grant.client_id, grant.scopes, self.clock() + ttl)
            return access

    def rotate_refresh_token(self, token: str) -> str | None:
        """Spends a single-use refresh token and returns its successor (same app and
        scopes), or None when ``token`` is unknown or already spent."""
        with self._lock:
            grant = self.refresh_tokens.pop(token, None)
            if grant is None:
                return None
            successor = secrets.token_urlsafe(32)
            self.refresh_tokens[successor] = grant
            return successor

    def access_grant(self, token: str) -> Grant | None:
        with self._lock:
            return self.access_tokens.get(token)

    def refresh_grant(self, token: str) -> Grant | None:
        with self._lock:
            return self.refresh_tokens.get(token)

    def revoke_refresh_token(self, token: str) -> bool:
        """Deletes the refresh token only, as HubSpot does: access tokens minted from it
        work until they expire."""
        with self._lock:
            return self.refresh_tokens.pop(token, None) is not None


def _clean(object_type: str, properties: dict[str, Any], *, creating: bool) -> dict[str, str]:
    """HubSpot stores every property value as a string. It refuses, all at once, names the
    account does not have, read-only ones, a note without ``hs_timestamp`` and values
    over a property's length cap."""
    if not isinstance(properties, dict):
        raise StoreError(400, "properties must be an object", "VALIDATION_ERROR")
    out: dict[str, str] = {}
    problems: list[dict[str, Any]] = []

    def refuse(name: str, message: str, error: str) -> None:
        problems.append({"isValid": False, "message": message, "error": error, "name": name})

    for name, value in properties.items():
        name = str(name)
        if name in READ_ONLY:
            refuse(
                name,
                f'"{name}" is a read only property; its value cannot be set.',
                "READ_ONLY_VALUE",
            )
        elif name not in PROPERTIES[object_type]:
            refuse(name, f'Property "{name}" does not exist', "PROPERTY_DOESNT_EXIST")
        elif value is None:
            out[name] = ""
        elif isinstance(value, bool):
            out[name] = str(value).lower()
        else:
            out[name] = str(value)
    for name, cap in MAX_LENGTH.get(object_type, {}).items():
        if len(out.get(name, "")) > cap:
            refuse(
                name,
                f"{name} is {len(out[name])} characters long; the limit is {cap}",
                "INVALID_LENGTH",
            )
    for name in REQUIRED_ON_CREATE.get(object_type, ()) if creating else ():
        if not out.get(name):
            refuse(name, f"{name} is required", "REQUIRED_PROPERTY")
    if problems:
        raise invalid_properties(problems)
    return out

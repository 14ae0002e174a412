"""The sandbox's company: persons, leads, activities, webhooks and OAuth grants, in memory.

Persons are kept in API v2's shape (``emails``/``phones`` lists, ISO times); the v1 calls
(``/v1/recents``) render them in v1's shape (``email``/``phone``, ``YYYY-MM-DD HH:MM:SS``)."""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from connectors.pipedrive.sandbox.config import SandboxConfig

ERROR_INFO = "Please check developers.pipedrive.com for more information about Pipedrive API."


class ApiError(Exception):
    """A Pipedrive error answer: ``{"success": false, "error", "error_info", ...}``."""

    def __init__(
        self,
        status: int,
        error: str,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.status, self.error, self.code, self.headers = status, error, code, headers or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"success": False, "error": self.error}
        if self.code:
            body["code"] = self.code
        body["errorCode"] = self.status
        body["error_info"] = ERROR_INFO
        body["data"] = None
        body["additional_data"] = None
        return body


def iso(at: float) -> str:
    return datetime.fromtimestamp(int(at), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def v1_time(at: float) -> str:
    return datetime.fromtimestamp(int(at), UTC).strftime("%Y-%m-%d %H:%M:%S")


def parse_v1_time(text: str) -> float:
    """``YYYY-MM-DD HH:MM:SS`` (UTC), as ``since_timestamp`` takes it."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()


@dataclass
class Grant:
    """One installation of the app: its refresh token, current access tokens, scopes."""

    refresh_token: str
    scope: str
    access_tokens: dict[str, float] = field(default_factory=dict)  # token -> expires at
    revoked: bool = False


@dataclass
class Code:
    redirect_uri: str
    scope: str
    expires_at: float


@dataclass
class Outgoing:
    """A webhook the sandbox sent (or would have): kept for tests and the admin API."""

    id: int
    url: str
    action: str
    entity: str
    headers: dict[str, str]
    body: str
    status: int | None = None
    error: str | None = None


class Store:
    def __init__(self, config: SandboxConfig, clock: Callable[[], float]) -> None:
        self.config = config
        self.clock = clock
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.persons: dict[int, dict[str, Any]] = {}
        self.deleted_persons: dict[int, dict[str, Any]] = {}
        self.leads: dict[str, dict[str, Any]] = {}
        self.activities: dict[int, dict[str, Any]] = {}
        self.webhooks: dict[int, dict[str, Any]] = {}
        self.grants: list[Grant] = []
        self.codes: dict[str, Code] = {}
        self.outbox: list[Outgoing] = []
        self._ids = {"person": 100, "activity": 500, "webhook": 900}
        self.tokens_spent = 0
        self.writes = 0  # create/update requests of persons, leads and activities
        self.records_written = 0

    def next_id(self, kind: str) -> int:
        with self.lock:
            self._ids[kind] += 1
            return self._ids[kind]

    # --- OAuth ------------------------------------------------------------------------

    def issue_code(self, redirect_uri: str, scope: str) -> str:
        code = secrets.token_urlsafe(24)
        self.codes[code] = Code(redirect_uri, scope, self.clock() + self.config.auth_code_ttl)
        return code

    def issue_access(self, grant: Grant) -> dict[str, Any]:
        token = f"v1u:{secrets.token_urlsafe(32)}"
        grant.access_tokens[token] = self.clock() + self.config.access_token_ttl
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.config.access_token_ttl,
            "refresh_token": grant.refresh_token,
            "scope": grant.scope,
        }

    def new_grant(self, scope: str) -> Grant:
        grant = Grant(f"{self.config.user_id}:{secrets.token_urlsafe(32)}", scope)
        self.grants.append(grant)
        return grant

    def grant_of_refresh(self, refresh_token: str) -> Grant | None:
        return next(
            (g for g in self.grants if g.refresh_token == refresh_token and not g.revoked), None
        )

    def token_state(self, token: str) -> str:
        """``valid``, ``expired`` or ``invalid``."""
        if token and token in self.config.static_tokens:
            return "valid"
        for grant in self.grants:
            if token in grant.access_tokens:
                if grant.revoked:
                    return "invalid"
                return "valid" if grant.access_tokens[token] > self.clock() else "expired"
        return "invalid"

    def revoke_all(self) -> None:
        """The company uninstalled the app: every grant and its tokens stop working."""
        for grant in self.grants:
            grant.revoked = True

    # --- persons ----------------------------------------------------------------------

    def person_v1(self, person: dict[str, Any], *, active: bool = True) -> dict[str, Any]:
        """A person in API v1's shape (what ``/v1/recents`` returns)."""

        def items(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [
                {"label": v.get("label", "work"), "value": v["value"], "primary": v["primary"]}
                for v in values
            ] or [{"value": "", "primary": True}]

        return {
            "id": person["id"],
            "company_id": self.config.company_id,
            "owner_id": {"id": person["owner_id"], "name": self.config.user_name},
            "name": person["name"],
            "first_name": person["first_name"],
            "last_name": person["last_name"],
            "email": items(person["emails"]),
            "phone": items(person["phones"]),
            "org_id": person["org_id"],
            "active_flag": active,
            "add_time": v1_time(person["_added"]),
            "update_time": v1_time(person["_updated"]),
            "visible_to": person["visible_to"],
        }

    def changed_persons(self, since: float) -> list[tuple[float, dict[str, Any]]]:
        """Persons (deleted ones with ``active_flag: false``) updated at or after ``since``,
        oldest change first."""
        rows = [(p["_updated"], self.person_v1(p)) for p in self.persons.values()]
        rows += [
            (p["_updated"], self.person_v1(p, active=False)) for p in self.deleted_persons.values()
        ]
        rows = [row for row in rows if int(row[0]) >= int(since)]
        rows.sort(key=lambda row: (int(row[0]), row[1]["id"]))
        return rows

    def new_lead_id(self) -> str:
        return str(uuid.uuid4())

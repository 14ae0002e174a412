"""The scope catalog. Every route declares exactly one of these (or none for public routes)."""

from __future__ import annotations

SCOPES: dict[str, str] = {
    "leads:read": "Read leads",
    "leads:write": "Create and update leads",
    "leads:delete": "Delete leads",
    "calls:read": "Read calls and transcripts",
    "calls:write": "Create and update calls, upload transcripts",
    "agents:read": "Read agents",
    "agents:write": "Create and update agents",
    "appointments:read": "Read appointments",
    "appointments:write": "Book, reschedule, cancel and update appointments",
    "payments:read": "Read payments",
    "payments:write": "Record payments, their outcome and refunds",
    "chat:read": "Read chat sessions and messages",
    "chat:write": "Send chat messages",
    "analytics:read": "Read analytics",
    "clients:read": "Read API clients",
    "clients:write": "Create, update and delete API clients",
    "keys:read": "Read API keys (masked)",
    "keys:write": "Create, rotate and revoke API keys",
    "usage:read": "Read API usage statistics",
    "webhooks:read": "Read webhook subscriptions and deliveries",
    "webhooks:write": "Create and manage webhook subscriptions",
    "events:read": "Read the event feed",
    "jobs:read": "Read job status",
    "connections:read": "Read connector connections",
    "connections:write": "Create and manage connector connections",
    "apps:read": "Read OAuth app registrations",
    "apps:write": "Register, update and delete OAuth apps",
}

ALL_SCOPES: frozenset[str] = frozenset(SCOPES)

# Held only by partner keys (core/partners): managing the workspaces a partner serves.
PARTNER_SCOPES: dict[str, str] = {
    "partner:read": "List and read the workspaces the partner manages, and their usage",
    "partner:write": "Create and suspend managed workspaces, mint keys bound to one",
}


# Workspace administration: a `member` never holds these, whatever its credential says.
ADMIN_SCOPES: frozenset[str] = frozenset(
    {
        "clients:read",
        "clients:write",
        "keys:read",
        "keys:write",
        "webhooks:read",
        "webhooks:write",
        "apps:read",
        "apps:write",
    }
)

ROLES = ("owner", "admin", "member")


def role_scopes(role: str) -> frozenset[str]:
    """The scopes a workspace role may use or grant to an app."""
    return ALL_SCOPES if role in ("owner", "admin") else ALL_SCOPES - ADMIN_SCOPES


def unknown_scopes(scopes: list[str]) -> list[str]:
    return [scope for scope in scopes if scope not in ALL_SCOPES]

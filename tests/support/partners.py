"""A partner account and its key, made as the CLI makes them (partners have no API to sign up)."""

from __future__ import annotations

from core.container import Services
from core.partners.service import partners

PARTNER_SCOPES = ["partner:read", "partner:write"]


async def partner_key(
    services: Services,
    workspace_scopes: list[str],
    *,
    scopes: list[str] = PARTNER_SCOPES,
    tier: str = "standard",
    name: str = "Agency",
) -> str:
    """A new partner that may grant ``workspace_scopes`` in the workspaces it makes, and
    the plaintext of one key of it with ``scopes``."""
    async with services.db.session() as session:
        partner = await partners.create(
            session,
            name=name,
            contact_email=f"ops@{name.lower().replace(' ', '-')}.example",
            workspace_scopes=workspace_scopes,
            tier=tier,
        )
        _, key = await partners.issue_key(
            session, partner_id=partner.id, name="main", scopes=scopes
        )
    return key

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.auth.principal import Principal
from core.errors import NotFound
from core.workspaces.models import Workspace


async def whoami(session: AsyncSession, principal: Principal) -> dict[str, Any]:
    workspace = await session.get(Workspace, principal.workspace_id)
    if workspace is None:
        raise NotFound("The workspace does not exist.")
    return {
        "id": principal.user_id or principal.id,
        "credential": principal.kind,
        "user_id": principal.user_id,
        "role": principal.role,
        "workspace_id": workspace.id,
        "workspace_slug": workspace.slug,
        "workspace_name": workspace.name,
        "scopes": sorted(principal.scopes),
        "label": f"{workspace.name} ({workspace.slug})",
    }

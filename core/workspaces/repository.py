from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.workspaces.models import Workspace


class WorkspaceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def status_of(self, workspace_id: str) -> str | None:
        """The workspace's status (`active`, `suspended`); None if there is no such one."""
        return await self.session.scalar(
            select(Workspace.status).where(Workspace.id == workspace_id)
        )

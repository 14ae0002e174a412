from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.listing import Sorting
from oauth.models import OAuthApp

APP_SORTING = Sorting(
    fields={"createdAt": OAuthApp.created_at, "name": OAuthApp.name},
    id_column=OAuthApp.id,
)


class OAuthAppRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, workspace_id: str, app_id: str) -> OAuthApp | None:
        return await self.session.scalar(
            select(OAuthApp).where(OAuthApp.workspace_id == workspace_id, OAuthApp.id == app_id)
        )

    def query(self, workspace_id: str) -> Select[OAuthApp]:
        return select(OAuthApp).where(OAuthApp.workspace_id == workspace_id)

    def add(self, app: OAuthApp) -> None:
        self.session.add(app)

    async def delete(self, app: OAuthApp) -> None:
        await self.session.delete(app)

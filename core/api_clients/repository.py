from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.api_clients.models import ApiClient
from core.api_clients.schemas import ApiClientFilters
from core.filters import like_pattern
from core.listing import Sorting

API_CLIENT_SORTING = Sorting(
    fields={
        "createdAt": ApiClient.created_at,
        "updatedAt": ApiClient.updated_at,
        "name": ApiClient.name,
    },
    id_column=ApiClient.id,
)


class ApiClientRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, workspace_id: str, client_id: str) -> ApiClient | None:
        return await self.session.scalar(
            select(ApiClient).where(
                ApiClient.workspace_id == workspace_id, ApiClient.id == client_id
            )
        )

    def query(self, workspace_id: str, filters: ApiClientFilters) -> Select[ApiClient]:
        stmt = select(ApiClient).where(ApiClient.workspace_id == workspace_id)
        if filters.status is not None:
            stmt = stmt.where(ApiClient.status == filters.status)
        if filters.rate_limit_tier is not None:
            stmt = stmt.where(ApiClient.rate_limit_tier == filters.rate_limit_tier)
        if filters.contact_email is not None:
            stmt = stmt.where(func.lower(ApiClient.contact_email) == filters.contact_email.lower())
        if filters.search:
            pattern = like_pattern(filters.search)
            stmt = stmt.where(
                or_(
                    func.lower(ApiClient.name).like(pattern, escape="\\"),
                    func.lower(ApiClient.contact_email).like(pattern, escape="\\"),
                )
            )
        return stmt

    def add(self, client: ApiClient) -> None:
        self.session.add(client)

    async def delete(self, client: ApiClient) -> None:
        await self.session.delete(client)

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.filters import like_pattern
from core.listing import Sorting
from core.partners.models import Partner, PartnerKey
from core.workspaces.models import Workspace

WORKSPACE_SORTING = Sorting(
    fields={"createdAt": Workspace.created_at, "name": Workspace.name, "slug": Workspace.slug},
    id_column=Workspace.id,
)


@dataclass(frozen=True, slots=True)
class PartnerCredentials:
    """What authentication needs to know about a partner key, loaded in one query."""

    key_id: str
    partner_id: str
    partner_status: str
    tier: str
    secret_hash: str
    environment: str
    status: str
    scopes: tuple[str, ...]
    workspace_scopes: tuple[str, ...]


class PartnerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def credentials(self, key_id: str) -> PartnerCredentials | None:
        row = (
            await self.session.execute(
                select(PartnerKey, Partner)
                .join(Partner, Partner.id == PartnerKey.partner_id)
                .where(PartnerKey.id == key_id)
            )
        ).first()
        if row is None:
            return None
        key, partner = row
        return PartnerCredentials(
            key_id=key.id,
            partner_id=partner.id,
            partner_status=partner.status,
            tier=partner.tier,
            secret_hash=key.secret_hash,
            environment=key.environment,
            status=key.status,
            scopes=tuple(key.scopes or ()),
            workspace_scopes=tuple(partner.workspace_scopes or ()),
        )

    async def get(self, partner_id: str) -> Partner | None:
        return await self.session.get(Partner, partner_id)

    async def managed(self, partner_id: str, workspace_id: str) -> Workspace | None:
        return await self.session.scalar(
            select(Workspace).where(
                Workspace.id == workspace_id, Workspace.partner_id == partner_id
            )
        )

    def workspaces(
        self, partner_id: str, *, status: str | None, search: str | None
    ) -> Select[Workspace]:
        stmt = select(Workspace).where(Workspace.partner_id == partner_id)
        if status is not None:
            stmt = stmt.where(Workspace.status == status)
        if search:
            pattern = like_pattern(search)
            stmt = stmt.where(
                or_(
                    func.lower(Workspace.name).like(pattern, escape="\\"),
                    func.lower(Workspace.slug).like(pattern, escape="\\"),
                )
            )
        return stmt

    def add(self, row: Partner | PartnerKey) -> None:
        self.session.add(row)

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.api_clients.models import ApiClient
from core.api_keys.models import ApiKey
from core.auth.scopes import ALL_SCOPES
from core.errors import Conflict, InvalidRequest, NotFound
from core.workspaces.models import Workspace

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
DEFAULT_CLIENT_NAME = "Default client"


class WorkspaceService:
    async def create(
        self, session: AsyncSession, *, slug: str, name: str | None = None, contact_email: str
    ) -> Workspace:
        """Creates a workspace and its default API client (which may hold every scope)."""
        if not SLUG.match(slug):
            raise InvalidRequest(
                "A workspace slug is 2-63 lowercase letters, digits or dashes.",
                details={"slug": slug},
            )
        if await session.scalar(select(Workspace.id).where(Workspace.slug == slug)):
            raise Conflict(f"Workspace '{slug}' already exists.", details={"slug": slug})
        workspace = Workspace(slug=slug, name=name or slug)
        session.add(workspace)
        try:
            await session.flush()
        except IntegrityError as exc:
            # Created concurrently between the check above and this insert.
            raise Conflict(f"Workspace '{slug}' already exists.", details={"slug": slug}) from exc
        session.add(_default_client(workspace.id, contact_email))
        await session.flush()
        return workspace

    async def by_slug(self, session: AsyncSession, slug: str) -> Workspace:
        workspace = await session.scalar(select(Workspace).where(Workspace.slug == slug))
        if workspace is None:
            raise NotFound(f"Workspace '{slug}' does not exist.", details={"slug": slug})
        return workspace

    async def default_client(self, session: AsyncSession, workspace_id: str) -> ApiClient:
        client = await session.scalar(
            select(ApiClient)
            .where(ApiClient.workspace_id == workspace_id, ApiClient.name == DEFAULT_CLIENT_NAME)
            .order_by(ApiClient.created_at)
            .limit(1)
        )
        if client is None:
            raise NotFound("The workspace has no default API client.")
        return client

    async def with_active_key_counts(self, session: AsyncSession) -> list[tuple[Workspace, int]]:
        """Every workspace, by slug, with how many of its API keys are active."""
        active = (
            select(func.count(ApiKey.id))
            .where(ApiKey.workspace_id == Workspace.id, ApiKey.status == "active")
            .scalar_subquery()
        )
        rows = await session.execute(select(Workspace, active).order_by(Workspace.slug))
        return [(workspace, int(count or 0)) for workspace, count in rows]

    async def ensure_default_client(
        self, session: AsyncSession, workspace_id: str
    ) -> tuple[ApiClient, bool]:
        """The default client, made again if it was deleted (how the command line gets a
        workspace whose clients were all deleted its keys back); True when it was made."""
        try:
            return await self.default_client(session, workspace_id), False
        except NotFound:
            client = _default_client(workspace_id, "admin@example.com")
            session.add(client)
            await session.flush()
            return client, True


def _default_client(workspace_id: str, contact_email: str) -> ApiClient:
    return ApiClient(
        workspace_id=workspace_id,
        name=DEFAULT_CLIENT_NAME,
        description="Created with the workspace; holds keys made from the CLI.",
        contact_email=contact_email,
        scopes=sorted(ALL_SCOPES),
        rate_limit_tier="basic",
    )


workspaces = WorkspaceService()

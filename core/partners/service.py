"""Partners: organisations above workspaces (resellers, agencies) that onboard and manage
their customers' workspaces through one API.

A partner key (``hwp_…``, scopes ``partner:read`` / ``partner:write``, made by an operator)
creates workspaces, lists and suspends the ones its partner manages and mints keys bound to
one of them. Naming a managed workspace in the ``Hubwire-Workspace`` header, it acts inside
it with the workspace scopes the partner was granted; any other workspace is a 404, as
another tenant's records are."""

from __future__ import annotations

import re
import secrets
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from core.api_keys.schemas import ApiKeyCreate
from core.api_keys.service import ApiKeyService, IssuedKey
from core.auth.keys import generate_key
from core.auth.scopes import ALL_SCOPES, PARTNER_SCOPES
from core.auth.service import Authenticator
from core.database import after_commit
from core.errors import Forbidden, InvalidRequest, NotFound
from core.listing import ListParams, PageResult, paginate
from core.partners.models import Partner, PartnerKey
from core.partners.repository import WORKSPACE_SORTING, PartnerRepository
from core.partners.schemas import BoundKeyCreate, ManagedWorkspaceCreate, ManagedWorkspaceFilters
from core.plugins.auth import Principal
from core.workspaces.models import Workspace
from core.workspaces.service import workspaces
from core.workspaces.status import refuse_unless_active

WORKSPACE_HEADER = "Hubwire-Workspace"


class WorkspaceNotFound(NotFound):
    def __init__(self, workspace_id: str) -> None:
        super().__init__(f"Workspace {workspace_id} does not exist.", details={"id": workspace_id})


def partner_of(principal: Principal) -> str:
    """The partner behind a partner key; any other credential is refused."""
    if principal.partner_id is None:
        raise Forbidden("Only a partner key (`hwp_…`) may do this.")
    return principal.partner_id


def _slug_from(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50] or "workspace"
    # A suffix keeps two customers of the same name apart.
    return f"{base}-{secrets.token_hex(3)}"


class PartnerService:
    # Operators (the command line).

    async def create(
        self,
        session: AsyncSession,
        *,
        name: str,
        contact_email: str,
        workspace_scopes: list[str],
        tier: str = "standard",
    ) -> Partner:
        unknown = sorted(set(workspace_scopes) - ALL_SCOPES)
        if unknown:
            raise InvalidRequest("Unknown scopes.", details={"scopes": unknown})
        partner = Partner(
            name=name,
            contact_email=contact_email,
            workspace_scopes=sorted(set(workspace_scopes)),
            tier=tier,
            status="active",
        )
        PartnerRepository(session).add(partner)
        await session.flush()
        return partner

    async def issue_key(
        self,
        session: AsyncSession,
        *,
        partner_id: str,
        name: str,
        scopes: list[str],
        environment: str = "live",
    ) -> tuple[PartnerKey, str]:
        """A partner key; its plaintext is returned once, only a digest is stored."""
        if await PartnerRepository(session).get(partner_id) is None:
            raise NotFound(f"Partner {partner_id} does not exist.", details={"id": partner_id})
        unknown = sorted(set(scopes) - set(PARTNER_SCOPES))
        if unknown or not scopes:
            raise InvalidRequest(
                f"A partner key holds {' and/or '.join(PARTNER_SCOPES)}.",
                details={"scopes": unknown},
            )
        new = generate_key(environment, brand="hwp")
        key = PartnerKey(
            id=new.key_id,
            partner_id=partner_id,
            name=name,
            prefix=new.prefix,
            secret_hash=new.secret_hash,
            environment=environment,
            status="active",
            scopes=sorted(set(scopes)),
        )
        PartnerRepository(session).add(key)
        await session.flush()
        return key, new.plaintext

    # The partner API.

    async def create_workspace(
        self, session: AsyncSession, *, partner_id: str, data: ManagedWorkspaceCreate
    ) -> Workspace:
        workspace = await workspaces.create(
            session,
            slug=data.slug or _slug_from(data.name),
            name=data.name,
            contact_email=str(data.contact_email),
        )
        workspace.partner_id = partner_id
        await session.flush()
        return workspace

    async def list_workspaces(
        self,
        session: AsyncSession,
        *,
        partner_id: str,
        filters: ManagedWorkspaceFilters,
        params: ListParams,
    ) -> PageResult:
        stmt = PartnerRepository(session).workspaces(
            partner_id, status=filters.status, search=filters.search
        )
        return await paginate(session, stmt, WORKSPACE_SORTING, params)

    async def get_workspace(
        self, session: AsyncSession, *, partner_id: str, workspace_id: str
    ) -> Workspace:
        workspace = await PartnerRepository(session).managed(partner_id, workspace_id)
        if workspace is None:
            raise WorkspaceNotFound(workspace_id)
        return workspace

    async def set_status(
        self,
        session: AsyncSession,
        *,
        partner_id: str,
        workspace_id: str,
        status: str,
        authenticator: Authenticator | None = None,
    ) -> Workspace:
        """Suspends or reactivates a managed workspace; cached credentials are dropped after
        the commit, so the change holds at once in this process (in others within the
        authentication cache's few seconds)."""
        workspace = await self.get_workspace(
            session, partner_id=partner_id, workspace_id=workspace_id
        )
        if workspace.status != status:
            workspace.status = status
            await session.flush()
            if authenticator is not None:
                after_commit(session, authenticator.invalidate_all)
        return workspace

    async def mint_key(
        self,
        session: AsyncSession,
        *,
        principal: Principal,
        workspace_id: str,
        data: BoundKeyCreate,
    ) -> IssuedKey:
        """A workspace API key bound to a managed workspace, with at most the workspace
        scopes the partner was granted."""
        partner_id = partner_of(principal)
        workspace = await self.get_workspace(
            session, partner_id=partner_id, workspace_id=workspace_id
        )
        refuse_unless_active(workspace.id, workspace.status)
        partner = await PartnerRepository(session).get(partner_id)
        granted = frozenset(partner.workspace_scopes if partner else ())
        client, _ = await workspaces.ensure_default_client(session, workspace.id)
        return await ApiKeyService().create(
            session,
            workspace_id=workspace.id,
            data=ApiKeyCreate(
                client_id=client.id,
                name=data.name,
                scopes=data.scopes,
                environment=data.environment,
                expires_in_days=data.expires_in_days,
            ),
            grantor_scopes=granted,
        )

    async def acting_in(
        self, session: AsyncSession, principal: Principal, workspace_id: str
    ) -> Principal:
        """The principal of a request that names ``workspace_id`` in ``Hubwire-Workspace``.

        A partner key becomes the partner acting in that workspace, with its granted scopes
        (plus its partner scopes); any other credential may only name its own workspace."""
        if principal.kind != "partner":
            if workspace_id != principal.workspace_id:
                raise WorkspaceNotFound(workspace_id)
            return principal
        partner_id = partner_of(principal)
        repo = PartnerRepository(session)
        workspace = await repo.managed(partner_id, workspace_id)
        if workspace is None:
            raise WorkspaceNotFound(workspace_id)
        refuse_unless_active(workspace.id, workspace.status)
        partner = await repo.get(partner_id)
        granted = frozenset(partner.workspace_scopes if partner else ())
        return replace(
            principal,
            workspace_id=workspace.id,
            scopes=(principal.scopes & frozenset(PARTNER_SCOPES)) | granted,
        )


partners = PartnerService()

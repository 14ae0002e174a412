"""The apps a user authorized, and taking that authorization back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import utcnow
from core.errors import NotFound
from core.listing import ListParams, PageResult, Sorting, paginate
from oauth import tokens
from oauth.models import Consent, OAuthApp

CONSENT_SORTING = Sorting(fields={"createdAt": Consent.created_at}, id_column=Consent.id)


def consent_view(consent: Consent, app: OAuthApp) -> dict[str, Any]:
    return {
        "id": consent.id,
        "app": {"id": app.id, "name": app.name, "logo_url": app.logo_url, "website": app.website},
        "scopes": consent.scopes,
        "workspace_id": consent.workspace_id,
        "created_at": consent.created_at,
        "updated_at": consent.updated_at,
    }


class ConsentService:
    async def list(self, session: AsyncSession, *, user_id: str, params: ListParams) -> PageResult:
        stmt = select(Consent).where(Consent.user_id == user_id, Consent.revoked_at.is_(None))
        page = await paginate(session, stmt, CONSENT_SORTING, params)
        apps = {
            app.id: app
            for app in await session.scalars(
                select(OAuthApp).where(OAuthApp.id.in_([c.app_id for c in page.items]))
            )
        }
        return page.with_items([consent_view(c, apps[c.app_id]) for c in page.items])

    async def revoke(self, session: AsyncSession, *, user_id: str, consent_id: str) -> None:
        consent = await session.scalar(
            select(Consent).where(
                Consent.id == consent_id, Consent.user_id == user_id, Consent.revoked_at.is_(None)
            )
        )
        if consent is None:
            raise NotFound(f"Authorization {consent_id} does not exist.")
        consent.revoked_at = utcnow()
        app_id = consent.app_id
        await session.run_sync(lambda sync: tokens.revoke_user_app(sync, user_id, app_id))


consents = ConsentService()

"""OAuth app registrations of a workspace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.listing import ListParams, PageResult, paginate
from oauth.apps.repository import APP_SORTING, OAuthAppRepository
from oauth.apps.schemas import OAuthAppCreate, OAuthAppUpdate
from oauth.models import OAuthApp
from oauth.secrets import CLIENT_SECRET_PREFIX, digest, new_token


@dataclass(frozen=True, slots=True)
class RegisteredApp:
    app: OAuthApp
    client_secret: str | None


def app_view(app: OAuthApp, client_secret: str | None = None) -> dict[str, Any]:
    return {
        **{c.key: getattr(app, c.key) for c in OAuthApp.__table__.columns},
        "client_id": app.id,
        "client_secret": client_secret,
        "scopes": app.allowed_scopes,
    }


class OAuthAppService:
    async def create(
        self, session: AsyncSession, *, workspace_id: str, data: OAuthAppCreate
    ) -> RegisteredApp:
        secret = new_token(CLIENT_SECRET_PREFIX) if data.client_type == "confidential" else None
        app = OAuthApp(
            workspace_id=workspace_id,
            name=data.name,
            description=data.description,
            client_type=data.client_type,
            client_secret_hash=digest(secret) if secret else None,
            redirect_uris=data.redirect_uris,
            allowed_scopes=data.scopes,
            logo_url=str(data.logo_url) if data.logo_url else None,
            website=str(data.website) if data.website else None,
            rate_limit_tier=data.rate_limit_tier,
        )
        OAuthAppRepository(session).add(app)
        await session.flush()
        return RegisteredApp(app, secret)

    async def get(self, session: AsyncSession, *, workspace_id: str, app_id: str) -> OAuthApp:
        app = await OAuthAppRepository(session).get(workspace_id, app_id)
        if app is None:
            raise NotFound(f"OAuth app {app_id} does not exist.", details={"appId": app_id})
        return app

    async def list(
        self, session: AsyncSession, *, workspace_id: str, params: ListParams
    ) -> PageResult:
        stmt = OAuthAppRepository(session).query(workspace_id)
        return await paginate(session, stmt, APP_SORTING, params)

    async def update(
        self, session: AsyncSession, *, workspace_id: str, app_id: str, data: OAuthAppUpdate
    ) -> OAuthApp:
        app = await self.get(session, workspace_id=workspace_id, app_id=app_id)
        changes = data.model_dump(exclude_unset=True, exclude={"allowed_scopes"})
        if "scopes" in changes:
            changes["allowed_scopes"] = changes.pop("scopes")
        for field, value in changes.items():
            # null clears optional fields; required ones keep their value.
            if value is None and field not in ("description", "logo_url", "website"):
                continue
            if field in ("logo_url", "website") and value is not None:
                value = str(value)
            setattr(app, field, value)
        await session.flush()
        return app

    async def rotate_secret(
        self, session: AsyncSession, *, workspace_id: str, app_id: str
    ) -> RegisteredApp:
        app = await self.get(session, workspace_id=workspace_id, app_id=app_id)
        if app.client_type != "confidential":
            raise NotFound("Public apps have no client secret.", details={"appId": app_id})
        secret = new_token(CLIENT_SECRET_PREFIX)
        app.client_secret_hash = digest(secret)
        await session.flush()
        return RegisteredApp(app, secret)

    async def delete(self, session: AsyncSession, *, workspace_id: str, app_id: str) -> None:
        app = await self.get(session, workspace_id=workspace_id, app_id=app_id)
        await OAuthAppRepository(session).delete(app)
        await session.flush()


oauth_apps = OAuthAppService()

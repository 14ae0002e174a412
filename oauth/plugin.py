"""The OAuth server as a ``hubwire`` plugin (entry-point group ``hubwire.extensions``):
core reaches this package only through these hooks.

Every process loads this module with the plugin manager, the command line included, so it
imports nothing of the OAuth server itself: each hook imports what it hands over when it
is called (Authlib and the routers load only in processes that use them)."""

from __future__ import annotations

from collections.abc import Awaitable
from types import ModuleType

import typer
from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import Database
from core.plugins.auth import ProviderOAuth, TokenAuthenticator
from core.plugins.hookspecs import hookimpl


@hookimpl
def hubwire_api_routers() -> list[APIRouter]:
    from oauth.apps.endpoints import router as apps_router
    from oauth.consents.endpoints import router as consents_router
    from oauth.endpoints import router as oauth_router
    from oauth.users.endpoints import router as users_router

    return [users_router, apps_router, consents_router, oauth_router]


@hookimpl
def hubwire_token_authenticators(db: Database) -> list[TokenAuthenticator]:
    from oauth.authenticator import OAuthTokenAuthenticator

    return [OAuthTokenAuthenticator(db)]


@hookimpl
def hubwire_cli(app: typer.Typer) -> None:
    from oauth.cli import users_app

    app.add_typer(users_app, name="users")


@hookimpl
def hubwire_demo_setup(session: AsyncSession, workspace_id: str) -> Awaitable[list[str]]:
    from oauth.cli import demo_owner

    return demo_owner(session, workspace_id)


@hookimpl
def hubwire_provider_oauth() -> ProviderOAuth:
    from oauth.provider_client import AuthlibProviderOAuth

    return AuthlibProviderOAuth()


@hookimpl
def hubwire_models() -> list[ModuleType]:
    # The OAuth server's tables (users, apps, codes, tokens), for migrations and secret
    # re-sealing.
    import oauth.models

    return [oauth.models]

from __future__ import annotations

import asyncio
import secrets

import pytest
from sqlalchemy import func, select

from core.api_clients.models import ApiClient
from core.auth.scopes import ALL_SCOPES
from core.container import Services
from core.errors import Conflict, InvalidRequest, NotFound
from core.workspaces.models import Workspace
from core.workspaces.service import workspaces


def new_slug() -> str:
    return f"ws-{secrets.token_hex(4)}"


async def test_create_makes_a_default_client_with_every_scope(services: Services) -> None:
    slug = new_slug()
    async with services.db.session() as session:
        workspace = await workspaces.create(session, slug=slug, contact_email="ops@example.com")
    assert workspace.id.startswith("ws_")
    assert workspace.name == slug

    async with services.db.session() as session:
        assert (await workspaces.by_slug(session, slug)).id == workspace.id
        client = await workspaces.default_client(session, workspace.id)
    assert client.workspace_id == workspace.id
    assert client.contact_email == "ops@example.com"
    assert set(client.scopes) == ALL_SCOPES
    assert client.status == "active"


@pytest.mark.parametrize(
    "slug", ["A", "x", "Upper", "-leading", "has space", "a" * 64, "snake_case"]
)
async def test_invalid_slugs_are_refused(services: Services, slug: str) -> None:
    async with services.db.session() as session:
        with pytest.raises(InvalidRequest):
            await workspaces.create(session, slug=slug, contact_email="ops@example.com")


async def test_duplicates_and_unknown_slugs(services: Services) -> None:
    slug = new_slug()
    async with services.db.session() as session:
        await workspaces.create(session, slug=slug, name="First", contact_email="a@example.com")
    with pytest.raises(Conflict, match="already exists"):
        async with services.db.session() as session:
            await workspaces.create(session, slug=slug, contact_email="b@example.com")
    with pytest.raises(NotFound):
        async with services.db.session() as session:
            await workspaces.by_slug(session, new_slug())


@pytest.mark.postgres
async def test_a_concurrent_duplicate_is_a_conflict(services: Services) -> None:
    """Both transactions pass the existence check; the unique index decides."""
    slug = new_slug()
    async with services.db.sessionmaker() as first, services.db.sessionmaker() as second:
        await workspaces.create(first, slug=slug, contact_email="a@example.com")
        racing = asyncio.create_task(
            workspaces.create(second, slug=slug, contact_email="b@example.com")
        )
        await asyncio.sleep(0.3)
        assert not racing.done()  # waiting on the first transaction's row
        await first.commit()
        with pytest.raises(Conflict, match="already exists"):
            await racing
        await second.rollback()

    async with services.db.session() as session:
        count = await session.scalar(
            select(func.count()).select_from(Workspace).where(Workspace.slug == slug)
        )
        clients = await session.scalar(
            select(func.count())
            .select_from(ApiClient)
            .join(Workspace, Workspace.id == ApiClient.workspace_id)
            .where(Workspace.slug == slug)
        )
    assert (count, clients) == (1, 1)

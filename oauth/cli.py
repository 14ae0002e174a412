"""``hubwire users …`` and the demo owner of ``make run``."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.commands import run_in_transaction
from core.crypto import build_secret_box
from core.demo import DemoCredentials
from core.settings import get_settings
from core.workspaces.service import workspaces
from oauth.models import User
from oauth.secrets import generate_password, hash_password, verify_password
from oauth.users.service import users

users_app = typer.Typer(help="Manage the people who log in to a workspace.", no_args_is_help=True)
DEMO_OWNER_EMAIL = "owner@demo.hubwire.local"


@users_app.command("create")
def create_user(
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    email: Annotated[str, typer.Option(help="Login email.")],
    role: Annotated[str, typer.Option(help="owner, admin or member.")] = "member",
    password: Annotated[
        str | None,
        typer.Option(help="At least 12 characters (default: asked, or generated without a TTY)."),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    super_admin: Annotated[bool, typer.Option(help="Platform super admin.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a user. Without --password it asks (twice), or generates and prints one when
    there is no terminal."""
    generated = False
    if password is None:
        if sys.stdin.isatty():
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        else:
            password, generated = generate_password(), True

    async def work(session: AsyncSession) -> dict[str, str]:
        ws = await workspaces.by_slug(session, workspace)
        user = await users.create(
            session,
            workspace_id=ws.id,
            email=email,
            password=password,
            role=role,
            name=name,
            super_admin=super_admin,
        )
        return {"id": user.id, "email": user.email, "role": user.role, "workspace": ws.slug}

    result = run_in_transaction(work)
    if generated:
        result["password"] = password
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(f"created {result['id']} ({result['email']}, {result['role']} of {workspace})")
    if generated:
        typer.echo(f"generated password (shown once): {password}")


async def demo_owner(session: AsyncSession, workspace_id: str) -> list[str]:
    """The demo workspace's owner. The password of the last start is kept (sealed, see
    ``core.demo``) and shown again while it still works; else a new one is set and kept."""
    settings = get_settings()
    saved = DemoCredentials(settings.demo_credentials_file, build_secret_box(settings))
    password = saved.get(DEMO_OWNER_EMAIL)
    user = await session.scalar(select(User).where(User.email == DEMO_OWNER_EMAIL))
    if user is not None and password is not None and verify_password(password, user.password_hash):
        return [f"Demo login: {DEMO_OWNER_EMAIL} / {password}"]
    password = generate_password()
    if user is None:
        await users.create(
            session,
            workspace_id=workspace_id,
            email=DEMO_OWNER_EMAIL,
            password=password,
            role="owner",
            name="Demo owner",
        )
    else:
        user.password_hash = hash_password(password)
    saved.put(DEMO_OWNER_EMAIL, password)
    return [f"Demo login: {DEMO_OWNER_EMAIL} / {password}"]

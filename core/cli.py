"""The ``hubwire`` command line."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.api_clients.models import ApiClient
from core.api_keys.models import ApiKey
from core.api_keys.schemas import ApiKeyCreate
from core.api_keys.service import ApiKeyService
from core.auth.scopes import ALL_SCOPES
from core.container import build_secret_box
from core.crypto import SecretBox, SecretKeyMissing, new_secret_key
from core.database import Base, Database
from core.errors import HubwireError
from core.migrations.runner import upgrade
from core.settings import get_settings
from core.usage.service import usage as usage_service
from core.workspaces.service import workspaces as workspace_service

app = typer.Typer(help="Hubwire: the integration hub.", no_args_is_help=True)
workspaces_app = typer.Typer(help="Manage workspaces (tenants).", no_args_is_help=True)
keys_app = typer.Typer(help="Issue and revoke API keys.", no_args_is_help=True)
usage_app = typer.Typer(help="Maintain usage logs.", no_args_is_help=True)
openapi_app = typer.Typer(help="The OpenAPI document.", no_args_is_help=True)
secrets_app = typer.Typer(
    help="The keys that encrypt stored secrets (HUBWIRE_SECRET_KEY).", no_args_is_help=True
)
app.add_typer(workspaces_app, name="workspaces")
app.add_typer(keys_app, name="keys")
app.add_typer(usage_app, name="usage")
app.add_typer(openapi_app, name="openapi")
app.add_typer(secrets_app, name="secrets")


def _add_plugin_commands() -> None:
    """Plugins add their sub-commands (``hubwire users …`` comes from oauth/)."""
    from connectors.manager import plugin_manager  # the plugin manager is core's one door in

    plugin_manager().hook.hubwire_cli(app=app)


_add_plugin_commands()

T = TypeVar("T")
DEMO_KEY_NAME = "Demo key (make run)"


def _run(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Runs ``work`` in one committed transaction; Hubwire errors become a clean exit 1."""
    settings = get_settings()
    upgrade(settings.database_url) if settings.is_sqlite else None

    async def main() -> T:
        db = Database(settings.database_url)
        try:
            async with db.session() as session:
                return await work(session)
        finally:
            await db.dispose()

    try:
        return asyncio.run(main())
    except HubwireError as exc:
        typer.secho(f"error: {exc.message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc


@app.command()
def migrate() -> None:
    """Apply database migrations (SQLite is also migrated on every start)."""
    settings = get_settings()
    upgrade(settings.database_url)
    typer.echo("database is up to date")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option(help="Create a demo workspace and print a key.")] = False,
) -> None:
    """Serve the API (embedded mode migrates SQLite on start)."""
    import uvicorn

    settings = get_settings()
    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"  # noqa: S104
    if "public_base_url" not in settings.model_fields_set:
        # Links Hubwire hands out (OAuth redirects, sandbox URLs) follow where it listens.
        settings = settings.model_copy(update={"public_base_url": base})
    if demo:
        key, plugin_lines = _run(_demo_setup)
        if settings.sandboxes:
            plugin_lines.append(
                f"Sandboxes:  {base}/sandbox/<connector> (connect one: POST {base}/v1/connections"
                ' with {"connector": "hubspot"} and open the authorizeUrl it returns)'
            )
        typer.echo(
            "\n".join(
                [
                    "",
                    "  Hubwire is starting.",
                    f"  API:        {base}/v1",
                    f"  Swagger UI: {base}/docs",
                    f"  Redoc:      {base}/redoc",
                    f"  Demo key:   {key}",
                    *(f"  {line}" for line in plugin_lines),
                    "",
                    "  Try it:",
                    f"    curl -H 'Authorization: Bearer {key}' {base}/v1/leads",
                    "",
                ]
            )
        )
    elif not settings.is_sqlite:
        typer.echo("PostgreSQL: run `hubwire migrate` after upgrading.")
    from core.app import create_app
    from core.http_server import uvicorn_options

    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        **uvicorn_options(),
    )


@app.command()
def worker(
    queues: Annotated[
        str, typer.Option(help="Comma-separated queues to consume.")
    ] = "webhooks,sync,default",
    concurrency: Annotated[
        int | None, typer.Option(help="Worker threads (default: HUBWIRE_WORKER_CONCURRENCY).")
    ] = None,
    beat: Annotated[bool, typer.Option(help="Also run the sweeper schedule (beat).")] = True,
) -> None:
    """Run a standalone Celery worker (needs HUBWIRE_BROKER_URL), like `celery -A sync worker`."""
    settings = get_settings()
    if not settings.broker_url:
        typer.secho(
            "error: set HUBWIRE_BROKER_URL (redis://… or amqp://…); without a broker, "
            "`hubwire serve` runs the worker in-process.",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(2)
    from sync.worker import default_worker

    argv = [
        "worker",
        f"--queues={queues}",
        f"--concurrency={concurrency or settings.worker_concurrency}",
        "--pool=threads",
        f"--loglevel={settings.log_level}",
    ]
    if beat:
        argv.append("--beat")
    default_worker().celery.worker_main(argv)


async def _demo_setup(session: AsyncSession) -> tuple[str, list[str]]:
    """The demo key, plus what plugins prepare and print (the demo owner's login)."""
    from connectors.manager import plugin_manager

    key = await _demo_key(session)
    workspace = await workspace_service.by_slug(session, "demo")
    lines: list[str] = []
    for pending in plugin_manager().hook.hubwire_demo_setup(
        session=session, workspace_id=workspace.id
    ):
        lines.extend(await pending)
    return key, lines


async def _demo_key(session: AsyncSession) -> str:
    try:
        workspace = await workspace_service.by_slug(session, "demo")
    except HubwireError:
        workspace = await workspace_service.create(
            session, slug="demo", name="Demo workspace", contact_email="demo@hubwire.local"
        )
    client = await workspace_service.default_client(session, workspace.id)
    keys = ApiKeyService()
    # Only the newest demo key stays valid: its secret cannot be shown again anyway.
    old = await session.scalars(
        select(ApiKey.id).where(ApiKey.client_id == client.id, ApiKey.name == DEMO_KEY_NAME)
    )
    for key_id in old.all():
        await keys.revoke(session, workspace_id=workspace.id, key_id=key_id)
    issued = await keys.create(
        session,
        workspace_id=workspace.id,
        data=ApiKeyCreate(
            client_id=client.id, name=DEMO_KEY_NAME, scopes=sorted(ALL_SCOPES), environment="test"
        ),
        grantor_scopes=None,
    )
    return issued.plaintext


@workspaces_app.command("create")
def create_workspace(
    slug: Annotated[str, typer.Argument(help="Lowercase letters, digits and dashes.")],
    name: Annotated[str | None, typer.Option(help="Display name (default: the slug).")] = None,
    contact_email: Annotated[
        str, typer.Option(help="Contact of the default API client.")
    ] = "admin@example.com",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a workspace and its default API client."""

    async def work(session: AsyncSession) -> dict[str, Any]:
        workspace = await workspace_service.create(
            session, slug=slug, name=name, contact_email=contact_email
        )
        client = await workspace_service.default_client(session, workspace.id)
        return {"id": workspace.id, "slug": workspace.slug, "defaultClientId": client.id}

    result = _run(work)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo(
            f"created workspace {result['slug']} ({result['id']}), "
            f"default client {result['defaultClientId']}"
        )


_KEY_OPTIONS = {
    "client_id": "--client",
    "name": "--name",
    "scopes": "--scopes",
    "tier": "--tier",
    "environment": "--env",
    "expires_in_days": "--expires-in-days",
    "rate_limit_override": "--rate-limit-override",
}


def _option_errors(exc: ValidationError) -> str:
    """One short line per invalid option, named as on the command line."""
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"{_KEY_OPTIONS.get(field, field or 'input')}: {message}")
    return "; ".join(lines)


@keys_app.command("create")
def create_key(
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    name: Annotated[str, typer.Option(help="A name to recognise the key by.")],
    scopes: Annotated[str, typer.Option(help="Comma-separated, e.g. leads:read,leads:write.")],
    tier: Annotated[
        str | None,
        typer.Option(help="basic, standard, premium or enterprise (default: the client's)."),
    ] = None,
    env: Annotated[str, typer.Option(help="live or test.")] = "live",
    expires_in_days: Annotated[int | None, typer.Option(help="Expire after N days.")] = None,
    client: Annotated[
        str | None, typer.Option(help="API client id (default: the workspace's).")
    ] = None,
    rate_limit_override: Annotated[int | None, typer.Option(help="Requests per minute.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON with id and key.")] = False,
) -> None:
    """Issue an API key. The full key is printed once and cannot be shown again."""

    async def work(session: AsyncSession) -> dict[str, Any]:
        ws = await workspace_service.by_slug(session, workspace)
        client_id = client or (await workspace_service.default_client(session, ws.id)).id
        try:
            data = ApiKeyCreate(
                client_id=client_id,
                name=name,
                scopes=[s.strip() for s in scopes.split(",") if s.strip()],
                tier=tier,
                environment=env,
                expires_in_days=expires_in_days,
                rate_limit_override=rate_limit_override,
            )
        except ValidationError as exc:
            raise typer.BadParameter(_option_errors(exc)) from exc
        issued = await ApiKeyService().create(
            session, workspace_id=ws.id, data=data, grantor_scopes=None
        )
        client_tier = await session.scalar(
            select(ApiClient.rate_limit_tier).where(ApiClient.id == issued.key.client_id)
        )
        return {
            "id": issued.key.id,
            "key": issued.plaintext,
            "workspace": ws.slug,
            "clientId": client_id,
            "scopes": issued.key.scopes,
            "tier": issued.key.tier or client_tier,
            "environment": issued.key.environment,
            "expiresAt": issued.key.expires_at.isoformat() if issued.key.expires_at else None,
        }

    result = _run(work)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo(f"created {result['id']} — store this key now, it is not shown again:")
        typer.echo(result["key"])


@keys_app.command("revoke")
def revoke_key(key_id: Annotated[str, typer.Argument(help="The key id, key_…")]) -> None:
    """Revoke an API key at once."""

    async def work(session: AsyncSession) -> str:
        key = await session.get(ApiKey, key_id)
        if key is None:
            raise typer.BadParameter(f"API key {key_id} does not exist.")
        await ApiKeyService().revoke(session, workspace_id=key.workspace_id, key_id=key_id)
        return key_id

    typer.echo(f"revoked {_run(work)}")


@usage_app.command("cleanup")
def cleanup_usage(
    older_than_days: Annotated[int, typer.Option(min=1, help="Delete logs older than this.")] = 90,
) -> None:
    """Delete usage logs older than N days (default 90)."""
    deleted = _run(lambda session: usage_service.cleanup(session, older_than_days=older_than_days))
    typer.echo(f"deleted {deleted} usage log(s) older than {older_than_days} days")


@openapi_app.command("export")
def export_openapi(
    path: Annotated[Path, typer.Argument(help="Where to write the spec (JSON).")] = Path(
        "sdk/openapi.json"
    ),
    postman: Annotated[
        Path | None,
        typer.Option(
            "--postman",
            help="Also write a Postman collection (v2.1) of the API to this file.",
        ),
    ] = None,
) -> None:
    """Write the OpenAPI 3.1 document (the committed snapshot is sdk/openapi.json)."""
    from core.openapi import render_spec, snapshot_spec
    from core.openapi_postman import openapi_to_postman, render_collection

    spec = snapshot_spec()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_spec(spec), encoding="utf-8")
    typer.echo(f"wrote {path}")
    if postman is not None:
        postman.parent.mkdir(parents=True, exist_ok=True)
        postman.write_text(render_collection(openapi_to_postman(spec)), encoding="utf-8")
        typer.echo(f"wrote {postman}")


# Rows re-sealed per query: keeps memory flat on large tables.
RESEAL_BATCH = 500


def sealed_columns() -> list[tuple[Table, list[str]]]:
    """Every table with encrypted columns (named ``*_sealed``) and those columns."""
    import core.models  # noqa: F401 - every model, so Base.metadata is complete

    found = []
    for table in Base.metadata.sorted_tables:
        names = [c.name for c in table.columns if c.name.endswith("_sealed")]
        if names:
            found.append((table, names))
    return found


async def reseal_all(session: AsyncSession, box: SecretBox) -> tuple[int, int]:
    """Re-seals every stored secret that is not sealed with the first key yet; returns
    (re-sealed, already current)."""
    resealed = current = 0
    for table, names in sealed_columns():
        (key,) = table.primary_key.columns
        last: Any = None
        while True:
            stmt = select(key, *(table.c[n] for n in names)).order_by(key).limit(RESEAL_BATCH)
            if last is not None:
                stmt = stmt.where(key > last)
            rows = (await session.execute(stmt)).all()
            for row in rows:
                changes: dict[str, str] = {}
                for name, value in zip(names, row[1:], strict=True):
                    if value is None:
                        continue
                    if box.is_current(value):
                        current += 1
                        continue
                    try:
                        changes[name] = box.reseal(value)
                    except SecretKeyMissing:
                        raise SecretKeyMissing(
                            f"{table.name}.{name} of {row[0]} cannot be decrypted with any key "
                            "of HUBWIRE_SECRET_KEY; nothing was changed."
                        ) from None
                if changes:
                    await session.execute(update(table).where(key == row[0]).values(**changes))
                    resealed += len(changes)
            if len(rows) < RESEAL_BATCH:
                break
            last = rows[-1][0]
    return resealed, current


@secrets_app.command("rotate")
def rotate_secrets() -> None:
    """Re-seal every stored secret with the first key of HUBWIRE_SECRET_KEY."""
    box = build_secret_box(get_settings())
    resealed, current = _run(lambda session: reseal_all(session, box))
    typer.echo(
        f"re-sealed {resealed} secret(s) with the first key; "
        f"{current} already used it"
        + ("" if box.key_count > 1 else " (HUBWIRE_SECRET_KEY holds one key)")
    )


@secrets_app.command("new-key")
def new_key() -> None:
    """Print a new key to put first in HUBWIRE_SECRET_KEY."""
    typer.echo(new_secret_key())

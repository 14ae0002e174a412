"""The ``hubwire`` command line."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.api_clients.models import ApiClient
from core.api_keys.models import ApiKey
from core.api_keys.schemas import ApiKeyCreate
from core.api_keys.service import ApiKeyService, key_view
from core.app import create_app, snapshot_spec
from core.auth.keys import parse_key, secret_matches
from core.auth.scopes import ALL_SCOPES
from core.commands import run_in_transaction
from core.crypto import SecretBox, SecretKeyMissing, build_secret_box, new_secret_key
from core.database import Base, utcnow
from core.demo import DemoCredentials
from core.errors import HubwireError
from core.http_server import uvicorn_options
from core.migrations.runner import upgrade
from core.models import load_plugin_models
from core.openapi import render_spec
from core.openapi_postman import openapi_to_postman, render_collection
from core.partners.service import partners as partner_service
from core.plugins.manager import plugin_manager
from core.settings import SettingsError, get_settings
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
partners_app = typer.Typer(
    help="Partner accounts: organisations that manage their customers' workspaces.",
    no_args_is_help=True,
)
app.add_typer(partners_app, name="partners")


def main() -> None:
    """The ``hubwire`` command. A setting that does not validate ends it with one line per
    setting (what is wrong and what is allowed), not a traceback."""
    try:
        app()
    except SettingsError as exc:
        for line in exc.lines:
            typer.secho(f"error: {line}", fg=typer.colors.RED, err=True)
        raise SystemExit(2) from None


def _add_plugin_commands() -> None:
    """Plugins add their sub-commands (``hubwire users …`` comes from oauth/)."""
    plugin_manager().hook.hubwire_cli(app=app)


_add_plugin_commands()

DEMO_KEY_NAME = "Demo key (make run)"


@app.command()
def migrate() -> None:
    """Apply database migrations (SQLite is also migrated on every start)."""
    settings = get_settings()
    applied = upgrade(settings.database_url)
    for revision in applied:
        typer.echo(f"applied {revision}")
    typer.echo(
        f"database is up to date ({len(applied)} migration{'' if len(applied) == 1 else 's'} "
        "applied)"
        if applied
        else "database is up to date (nothing to apply)"
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option(help="Create a demo workspace and print a key.")] = False,
) -> None:
    """Serve the API (embedded mode migrates SQLite on start)."""
    import uvicorn

    settings = get_settings()
    _check_port_free(host, port)
    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"  # noqa: S104
    if "public_base_url" not in settings.model_fields_set:
        # Links Hubwire hands out (OAuth redirects, sandbox URLs) follow where it listens.
        settings = settings.model_copy(update={"public_base_url": base})
    if demo:
        key, plugin_lines = run_in_transaction(_demo_setup)
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
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        **uvicorn_options(),
    )


def _check_port_free(host: str, port: int) -> None:
    """Before anything changes (the demo key, the database): one line when the port is
    taken, e.g. by a Hubwire already running, instead of uvicorn's error after start-up."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        typer.secho(
            f"error: cannot listen on {host}:{port} ({exc.strerror or exc}); is Hubwire already "
            "running? Stop it, or pass --port.",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(1) from None


async def _demo_setup(session: AsyncSession) -> tuple[str, list[str]]:
    """The demo key, plus what plugins prepare and print (the demo owner's login)."""
    settings = get_settings()
    key = await _demo_key(
        session, DemoCredentials(settings.demo_credentials_file, build_secret_box(settings))
    )
    workspace = await workspace_service.by_slug(session, "demo")
    lines: list[str] = []
    for pending in plugin_manager().hook.hubwire_demo_setup(
        session=session, workspace_id=workspace.id
    ):
        lines.extend(await pending)
    return key, lines


async def _demo_key(session: AsyncSession, saved: DemoCredentials) -> str:
    """The demo workspace's key: the one of the last start while it still works, else a new
    one (older demo keys are revoked: their secrets cannot be shown again anyway)."""
    try:
        workspace = await workspace_service.by_slug(session, "demo")
    except HubwireError:
        workspace = await workspace_service.create(
            session, slug="demo", name="Demo workspace", contact_email="demo@hubwire.local"
        )
    client, _ = await workspace_service.ensure_default_client(session, workspace.id)
    demo_keys = (
        await session.scalars(
            select(ApiKey).where(ApiKey.client_id == client.id, ApiKey.name == DEMO_KEY_NAME)
        )
    ).all()
    kept = saved.get(DEMO_KEY_NAME) or ""
    previous = parse_key(kept)
    for key in demo_keys:
        usable = key.status == "active" and (key.expires_at is None or key.expires_at > utcnow())
        if (
            previous is not None
            and key.id == previous.key_id
            and usable
            and secret_matches(previous.secret, key.secret_hash)
        ):
            return kept
    keys = ApiKeyService()
    for key in demo_keys:
        if key.status == "active":
            await keys.revoke(session, workspace_id=workspace.id, key_id=key.id)
    issued = await keys.create(
        session,
        workspace_id=workspace.id,
        data=ApiKeyCreate(
            client_id=client.id, name=DEMO_KEY_NAME, scopes=sorted(ALL_SCOPES), environment="test"
        ),
        grantor_scopes=None,
    )
    saved.put(DEMO_KEY_NAME, issued.plaintext)
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

    result = run_in_transaction(work)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo(
            f"created workspace {result['slug']} ({result['id']}), "
            f"default client {result['defaultClientId']}"
        )


@partners_app.command("create")
def create_partner(
    name: Annotated[str, typer.Argument(help="The partner's name.")],
    contact_email: Annotated[str, typer.Option(help="Who to reach at the partner.")],
    scopes: Annotated[
        str,
        typer.Option(
            help="Comma-separated workspace scopes the partner may use in the workspaces it "
            "manages (and grant to the keys it mints)."
        ),
    ],
    tier: Annotated[str, typer.Option(help="Rate-limit tier of its keys.")] = "standard",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a partner account."""
    granted = [scope.strip() for scope in scopes.split(",") if scope.strip()]

    async def work(session: AsyncSession) -> dict[str, Any]:
        partner = await partner_service.create(
            session, name=name, contact_email=contact_email, workspace_scopes=granted, tier=tier
        )
        return {"id": partner.id, "name": partner.name, "workspaceScopes": partner.workspace_scopes}

    result = run_in_transaction(work)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo(f"created partner {result['name']} ({result['id']})")


@partners_app.command("create-key")
def create_partner_key(
    partner: Annotated[str, typer.Option(help="Partner id (ptn_…).")],
    name: Annotated[str, typer.Option(help="A name for the key.")] = "Partner key",
    scopes: Annotated[str, typer.Option(help="partner:read and/or partner:write.")] = (
        "partner:read,partner:write"
    ),
    env: Annotated[str, typer.Option(help="live or test.")] = "live",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Issue a partner key (hwp_…); it is printed once, only its digest is stored."""
    wanted = [scope.strip() for scope in scopes.split(",") if scope.strip()]

    async def work(session: AsyncSession) -> dict[str, Any]:
        key, plaintext = await partner_service.issue_key(
            session, partner_id=partner, name=name, scopes=wanted, environment=env
        )
        return {"id": key.id, "partnerId": partner, "scopes": key.scopes, "key": plaintext}

    result = run_in_transaction(work)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo(f"created partner key {result['id']} (shown once): {result['key']}")


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
    scopes: Annotated[
        str,
        typer.Option(help="Comma-separated, e.g. leads:read,leads:write; '*' for every scope."),
    ],
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
        client_id = client
        if client_id is None:
            default, made = await workspace_service.ensure_default_client(session, ws.id)
            if made:
                typer.echo(
                    f"note: {workspace} had no default API client; created {default.id}",
                    err=True,
                )
            client_id = default.id
        wanted = [s.strip() for s in scopes.split(",") if s.strip()]
        try:
            data = ApiKeyCreate(
                client_id=client_id,
                name=name,
                scopes=sorted(ALL_SCOPES) if wanted == ["*"] else wanted,
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

    result = run_in_transaction(work)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo(f"created {result['id']} — store this key now, it is not shown again:")
        typer.echo(result["key"])


@workspaces_app.command("list")
def list_workspaces(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """List the workspaces: slug, id, and how many active API keys each has."""

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        return [
            {"id": w.id, "slug": w.slug, "name": w.name, "activeKeys": count}
            for w, count in await workspace_service.with_active_key_counts(session)
        ]

    rows = run_in_transaction(work)
    for row in rows:
        if as_json:
            typer.echo(json.dumps(row))
        else:
            typer.echo(f"{row['slug']:<24} {row['id']}  {row['activeKeys']} active key(s)")
    if not rows and not as_json:
        typer.echo("no workspaces yet: hubwire workspaces create <slug>")


@keys_app.command("list")
def list_keys(
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    status: Annotated[
        str | None, typer.Option(help="active, revoked or expired (default: all).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """List a workspace's API keys, masked (a key's secret is never shown again)."""

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        ws = await workspace_service.by_slug(session, workspace)
        keys = await ApiKeyService().in_workspace(session, workspace_id=ws.id, status=status)
        return [
            {
                "id": key.id,
                "name": key.name,
                "maskedKey": key_view(key)["masked_key"],
                "clientId": key.client_id,
                "status": key.status,
                "environment": key.environment,
                "scopes": key.scopes,
                "expiresAt": key.expires_at.isoformat() if key.expires_at else None,
                "lastUsedAt": key.last_used_at.isoformat() if key.last_used_at else None,
            }
            for key in keys
        ]

    for row in run_in_transaction(work):
        if as_json:
            typer.echo(json.dumps(row))
        else:
            typer.echo(
                f"{row['id']}  {row['status']:<8} {row['environment']:<4} {row['maskedKey']}  "
                f"{row['name']}  ({len(row['scopes'])} scopes)"
            )


@keys_app.command("revoke")
def revoke_key(key_id: Annotated[str, typer.Argument(help="The key id, key_…")]) -> None:
    """Revoke an API key at once."""

    async def work(session: AsyncSession) -> str:
        key = await session.get(ApiKey, key_id)
        if key is None:
            raise typer.BadParameter(f"API key {key_id} does not exist.")
        await ApiKeyService().revoke(session, workspace_id=key.workspace_id, key_id=key_id)
        return key_id

    typer.echo(f"revoked {run_in_transaction(work)}")


@usage_app.command("cleanup")
def cleanup_usage(
    older_than_days: Annotated[int, typer.Option(min=1, help="Delete logs older than this.")] = 90,
) -> None:
    """Delete usage logs older than N days (default 90)."""
    deleted = run_in_transaction(
        lambda session: usage_service.cleanup(session, older_than_days=older_than_days)
    )
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
    load_plugin_models()  # core's models are imported; plugins' (OAuth tokens) too

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
    resealed, current = run_in_transaction(lambda session: reseal_all(session, box))
    typer.echo(
        f"re-sealed {resealed} secret(s) with the first key; "
        f"{current} already used it"
        + ("" if box.key_count > 1 else " (HUBWIRE_SECRET_KEY holds one key)")
    )


@secrets_app.command("new-key")
def new_key() -> None:
    """Print a new key to put first in HUBWIRE_SECRET_KEY."""
    typer.echo(new_secret_key())

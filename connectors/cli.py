"""``hubwire connectors …``: the installed connectors, from the command line."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from pydantic.alias_generators import to_camel

from core.plugins.manager import ConnectorConfigError, connector_catalog

connectors_app = typer.Typer(help="The installed connectors.", no_args_is_help=True)


def _camel(value: Any) -> Any:
    """The API's spelling (camelCase keys), so the JSON matches ``GET /v1/connectors``."""
    if isinstance(value, dict):
        return {to_camel(k): _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def _summary(entry: dict[str, Any]) -> str:
    objects = ", ".join(f"{o['name']} ({o['direction']})" for o in entry["objects"]) or "-"
    events = ", ".join(entry["events"]) or "-"
    return (
        f"{entry['slug']:<16} {entry['title']}\n"
        f"{'':<16} auth: {entry['auth']['type']}  webhooks: "
        f"{'yes' if entry['webhooks'] else 'no'}\n"
        f"{'':<16} objects: {objects}\n"
        f"{'':<16} events: {events}"
    )


@connectors_app.command("list")
def list_connectors(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the catalog as JSON (as GET /v1/connectors).")
    ] = False,
) -> None:
    """List the connectors this installation loads (HUBWIRE_CONNECTORS applied)."""
    try:
        catalog = connector_catalog()
    except ConnectorConfigError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(json.dumps({"data": _camel(catalog)}, indent=2))
        return
    if not catalog:
        typer.echo("no connectors installed")
        return
    for entry in catalog:
        typer.echo(_summary(entry))

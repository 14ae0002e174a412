"""A connector from outside the repository: its own package, its own entry points, found by
real entry-point discovery (importlib.metadata), with no change to Hubwire's code.

The package is built in ``tmp_path`` and installed the way pip lays a wheel out (the modules
plus a ``.dist-info`` with ``entry_points.txt``) into a directory put on ``sys.path``, so the
shared virtualenv is never modified."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from connectors.kit import ConnectionContext
from core.events.catalog import load_event_catalog
from core.plugins.manager import ENTRY_POINT_GROUP, connector_registry, reset_plugin_manager
from tests.conftest import Api

HUBWIRE = shutil.which("hubwire") or str(Path(sys.executable).parent / "hubwire")

PYPROJECT = """\
[project]
name = "acme-hubwire"
version = "0.1.0"
dependencies = ["hubwire-server"]

[project.entry-points."hubwire.connectors"]
acme = "acme_hubwire.plugin"
acme_chat = "acme_hubwire.chat"
"""

PLUGIN = """\
import pluggy

from connectors.kit import ApiKeyAuth, CheckResult, Connector, Direction, Manifest, ObjectSpec
from connectors.kit import EventType

hookimpl = pluggy.HookimplMarker("hubwire")


class AcmeConnector(Connector):
    manifest = Manifest(
        slug="acme",
        title="Acme Deals",
        auth=ApiKeyAuth(header="X-Acme-Key"),
        events=("lead.converted",),
        objects=(ObjectSpec("deal", Direction.PUSH),),
    )

    async def check(self, connection):
        key = connection.credential("api_key")
        return CheckResult(ok=key.startswith("acme_"), account="Acme Inc")

    async def push(self, connection, object_type, records):
        raise NotImplementedError


@hookimpl
def hubwire_connectors():
    return [AcmeConnector()]


@hookimpl
def hubwire_event_types():
    return [EventType("acme.deal_won", "A deal was won in Acme.", source="acme")]
"""

CHAT = """\
import pluggy

from connectors.kit import CheckResult, Connector, Manifest, OAuth2Auth
from connectors.kit import EventType

hookimpl = pluggy.HookimplMarker("hubwire")


class AcmeChat(Connector):
    manifest = Manifest(
        slug="acme_chat",
        title="Acme Chat",
        auth=OAuth2Auth("https://chat.acme.example/oauth", "https://chat.acme.example/token"),
    )

    async def check(self, connection):
        return CheckResult(ok=True)


@hookimpl
def hubwire_connectors():
    return [AcmeChat()]


@hookimpl
def hubwire_event_types():
    return [EventType("acme_chat.message_posted", "A message was posted.", source="acme_chat")]
"""


def _install(project: Path, site: Path) -> None:
    """What ``pip install --target site project`` leaves behind, for this pure-Python
    package: the modules and a ``.dist-info`` with the entry points of the pyproject."""
    import tomllib

    meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    for module in (project / "src").rglob("*.py"):
        target = site / module.relative_to(project / "src")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(module.read_text())
    dist_info = site / f"{meta['name'].replace('-', '_')}-{meta['version']}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n"
    )
    lines = []
    for group, points in meta["entry-points"].items():
        lines.append(f"[{group}]")
        lines.extend(f"{name} = {target}" for name, target in points.items())
    (dist_info / "entry_points.txt").write_text("\n".join(lines) + "\n")
    (dist_info / "RECORD").write_text("")


@pytest.fixture
def acme_site(tmp_path: Path) -> Iterator[Path]:
    project = tmp_path / "acme-hubwire"
    package = project / "src" / "acme_hubwire"
    package.mkdir(parents=True)
    (project / "pyproject.toml").write_text(PYPROJECT)
    (package / "__init__.py").write_text("")
    (package / "plugin.py").write_text(textwrap.dedent(PLUGIN))
    (package / "chat.py").write_text(textwrap.dedent(CHAT))
    site = tmp_path / "site"
    _install(project, site)
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    reset_plugin_manager()
    try:
        yield site
    finally:
        sys.path.remove(str(site))
        for name in [m for m in sys.modules if m.split(".")[0] == "acme_hubwire"]:
            del sys.modules[name]
        importlib.invalidate_caches()
        reset_plugin_manager()


async def test_an_installed_package_appears_in_the_catalog_and_works(
    acme_site: Path, api: Api
) -> None:
    assert {"acme", "acme_chat"} <= {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    response = await api.get("/v1/connectors")
    assert response.status_code == 200, response.text
    listed = {c["slug"]: c for c in response.json()["data"]}
    assert listed["acme"]["auth"]["type"] == "api_key"
    assert listed["acme"]["objects"] == [
        {"name": "deal", "direction": "push", "description": "", "hubObject": "lead"}
    ]
    assert listed["acme_chat"]["auth"]["tokenUrl"] == "https://chat.acme.example/token"

    acme = connector_registry()["acme"]
    good = ConnectionContext("conn_1", "ws_1", {"api_key": "acme_123"})
    assert (await acme.check(good)).ok
    assert not (await acme.check(good.with_credentials(api_key="nope"))).ok
    assert "acme.deal_won" in load_event_catalog()


async def test_hubwire_connectors_leaves_unselected_packages_out(
    acme_site: Path, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBWIRE_CONNECTORS", "acme_chat")
    reset_plugin_manager()
    assert list(connector_registry()) == ["acme_chat"]
    listed = [c["slug"] for c in (await api.get("/v1/connectors")).json()["data"]]
    assert listed == ["acme_chat"]
    # The unselected plugin is not loaded at all: its event types go with it.
    catalog = load_event_catalog()
    assert "acme.deal_won" not in catalog
    assert "acme_chat.message_posted" in catalog


def test_the_cli_lists_it(acme_site: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUBWIRE_")}
    env["PYTHONPATH"] = os.pathsep.join([str(acme_site), env.get("PYTHONPATH", "")])
    env["HUBWIRE_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    run = subprocess.run(
        [HUBWIRE, "connectors", "list", "--json"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    slugs = {c["slug"]: c for c in json.loads(run.stdout)["data"]}
    assert slugs["acme"]["auth"] == {"type": "api_key", "header": "X-Acme-Key"}
    assert slugs["acme"]["rateLimits"] == []
    text = subprocess.run(
        [HUBWIRE, "connectors", "list"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "acme_chat" in text
    assert "deal (push)" in text

"""The TypeScript SDK (`sdk/typescript`, `@hubwire/sdk`) against a live Hubwire server.

The scenarios are JavaScript (`sdk/typescript/test/*.test.*`, node:test) run on the built
package; this module installs and builds it, starts the server, mints the keys and runs
them. They run once, on the PostgreSQL+Redis backend."""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from standardwebhooks import Webhook

from core.settings import Settings
from tests.conftest import Tenant
from tests.connectors import example
from tests.support.live_server import live_server

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "sdk" / "typescript"
GENERATED = PACKAGE / "src" / "generated"
HERE = Path(__file__).resolve().parent


def _npm() -> str:
    npm = shutil.which("npm")
    assert npm, "npm is needed for the TypeScript SDK tests (Node 20+)"
    return npm


def _run(*args: str, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    result = subprocess.run(
        [_npm(), *args],
        cwd=PACKAGE,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = f"$ npm {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    assert result.returncode == 0, output
    return output


@pytest.fixture(scope="session")
def built_sdk() -> Path:
    """`npm ci` when node_modules is missing, then `npm run build` (ESM + CJS + .d.ts).
    One test process at a time: two workers' `npm ci` at once removed the other's
    node_modules under its build ("Cannot find module 'typescript/bin/tsc'"), and a
    second build emptied dist/ under the first one's tests."""
    key = hashlib.sha256(str(PACKAGE).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"hubwire-ts-sdk-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (PACKAGE / "node_modules" / ".package-lock.json").exists():
            _run("ci", "--no-audit", "--no-fund")
        # Built once: a second process rebuilding would empty dist/ under the first one's
        # tests. A build older than any of its sources is made again.
        built = PACKAGE / "dist" / "esm" / "index.js"
        sources = [p for p in (PACKAGE / "src").rglob("*") if p.is_file()]
        for name in ("package.json", "tsconfig.json", "tsconfig.cjs.json", "scripts/build.mjs"):
            sources.append(PACKAGE / name)
        newest = max(p.stat().st_mtime for p in sources)
        if not built.exists() or built.stat().st_mtime < newest:
            _run("run", "build")
    return PACKAGE / "dist"


@pytest.fixture(scope="session")
def ts_server(settings: Settings, app: FastAPI) -> Iterator[str]:
    with live_server(settings) as base_url:
        yield base_url


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_generated_code_is_not_stale(built_sdk: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "generated"
    _run("run", "generate", env={"OPENAPI_TS_OUTPUT": str(fresh)})
    committed, current = _tree(GENERATED), _tree(fresh)
    stale = sorted(
        name
        for name in committed.keys() | current.keys()
        if committed.get(name) != current.get(name)
    )
    assert not stale, (
        f"sdk/typescript/src/generated is stale ({stale[:5]}…): run `make sdk-typescript`"
    )


def test_package_loads_through_import_and_require(built_sdk: Path) -> None:
    for name in ("esm/index.js", "esm/index.d.ts", "cjs/index.js", "cjs/index.d.ts"):
        assert (built_sdk / name).is_file(), name
    _run("exec", "--", "node", "--test", "test/load.test.cjs")


def test_retries_idempotency_and_timeouts_offline(built_sdk: Path) -> None:
    _run("exec", "--", "node", "--test", "test/offline.test.mjs")


def _signed_by_standard_webhooks() -> str:
    """A message signed by the reference Python library, for the SDK to verify."""
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    payload = json.dumps({"id": "evt_1", "type": "lead.created", "data": {"id": "lead_1"}})
    now = datetime.now(tz=UTC)
    signature = Webhook(secret).sign("msg_ts_1", now, payload)
    headers = {
        "webhook-id": "msg_ts_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    return json.dumps({"payload": payload, "headers": headers, "secret": secret})


async def test_sdk_against_a_live_server(built_sdk: Path, ts_server: str, tenant: Tenant) -> None:
    env = {
        "HUBWIRE_BASE_URL": ts_server,
        "HUBWIRE_TEST_KEY": await tenant.key(),
        "HUBWIRE_TEST_READONLY_KEY": await tenant.key(["leads:read"]),
        # basic scaled to 30/min: a burst of 5 per second, so a 429 says "Retry-After: 1".
        "HUBWIRE_TEST_LIMITED_KEY": await tenant.key(tier="basic", rate_limit_override=30),
        "HUBWIRE_TEST_SIGNED": _signed_by_standard_webhooks(),
    }
    output = await asyncio.to_thread(
        _run, "exec", "--", "node", "--test", "test/live.test.mjs", env=env
    )
    assert "# fail 0" in output and "# skipped 0" in output, output


@pytest.mark.usefixtures("example_crm")
async def test_connections_against_a_live_server(
    built_sdk: Path, ts_server: str, tenant: Tenant
) -> None:
    """`connections.*` with the example API-key connector (`connections.test.mjs`)."""
    env = {
        "HUBWIRE_BASE_URL": ts_server,
        "HUBWIRE_TEST_KEY": await tenant.key(),
        "HUBWIRE_TEST_EXAMPLE_KEY": example.API_KEY,
    }
    scenarios = str(HERE / "connections.test.mjs")
    output = await asyncio.to_thread(_run, "exec", "--", "node", "--test", scenarios, env=env)
    assert "# fail 0" in output and "# skipped 0" in output, output
    assert "# pass 2" in output, output

"""Schemathesis fuzzes every operation of /openapi.json on a live server: no 5xx, and every
response (status, content type, body) must match the published schema.

The operations are fuzzed in four shards (by path), each its own test, so the suite's
workers share them: one run of all 118 operations took over three minutes on a 2-core
machine, and over five (the per-test limit) while the rest of the suite ran beside it. The
last shard is "everything the others leave", so a new path is never missed."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import httpx
import pytest

from core.settings import Settings
from tests.conftest import Tenant
from tests.support.live_server import live_server

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


# Each shard's path prefixes (after /v1/); "the-rest" takes every other path.
SHARDS = {
    "partners-webhooks": "partner|webhooks|webhook-events|hooks|events",
    "clients-connections": "connections|connectors|jobs|api-clients|api-keys|rate-limits|me",
    "oauth-calls-chat": "oauth-apps|authorizations|auth|calls|chat",
}


def _shard_filter(shard: str) -> list[str]:
    if shard in SHARDS:
        return ["--include-path-regex", f"^/v1/({SHARDS[shard]})(/|$)"]
    every = "|".join(SHARDS.values())
    return ["--exclude-path-regex", f"^/v1/({every})(/|$)"]


@pytest.mark.parametrize("shard", [*SHARDS, "the-rest"])
@pytest.mark.timeout(600)  # the subprocess has its own 600 s limit below
async def test_schemathesis_finds_no_server_error_or_schema_violation(
    settings: Settings, tenant: Tenant, tmp_path: Path, shard: str
) -> None:
    key = await tenant.key()
    schemathesis = Path(sys.executable).parent / "schemathesis"
    with live_server(settings) as base:
        # The spec is fetched here, without schemathesis's 10 s loading timeout: building it
        # the first time may take longer than that on a loaded machine.
        async with httpx.AsyncClient(timeout=120) as client:
            spec = await client.get(f"{base}/openapi.json")
        spec.raise_for_status()
        (tmp_path / "openapi.json").write_bytes(spec.content)
        process = await asyncio.create_subprocess_exec(
            *[
                str(schemathesis),
                "run",
                str(tmp_path / "openapi.json"),
                "--url",
                base,
                *_shard_filter(shard),
                "--header",
                f"Authorization: Bearer {key}",
                "--checks",
                CHECKS,
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                "12",
                "--seed",
                "20261123",
                "--request-timeout",
                "20",
            ],
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            cwd=tmp_path,
            env={**os.environ, "NO_COLOR": "1"},
        )
        raw, _ = await asyncio.wait_for(process.communicate(), timeout=600)
    output = raw.decode(errors="replace")
    # The failures, not the warnings after them, are what a red run must show.
    failures = output.split("= FAILURES =", 1)[-1].split("= WARNINGS =", 1)[0]
    assert process.returncode == 0, failures[-8000:]
    assert "generated" in output

"""Schemathesis fuzzes every operation of /openapi.json on a live server: no 5xx, and every
response (status, content type, body) must match the published schema."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import httpx

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


async def test_schemathesis_finds_no_server_error_or_schema_violation(
    settings: Settings, tenant: Tenant, tmp_path: Path
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

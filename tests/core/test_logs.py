"""A credential put in a URL never reaches the access log."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from core.logs import redact_url
from tests.core.test_cli import HUBWIRE
from tests.support.live_server import free_port


def test_credential_parameters_are_redacted_and_others_kept() -> None:
    url = "/v1/leads?limit=2&api_key=hw_live_abc_secret&Access_Token=t0k&keyword=ok&code=42"
    assert redact_url(url) == (
        "/v1/leads?limit=2&api_key=[redacted]&Access_Token=[redacted]&keyword=ok&code=[redacted]"
    )
    assert redact_url("/v1/leads?limit=2") == "/v1/leads?limit=2"


def test_a_key_sent_as_a_query_parameter_is_not_logged(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("HUBWIRE_")}
    env.update(HUBWIRE_DATABASE_URL=f"sqlite:///{tmp_path / 'logs.db'}", HUBWIRE_LOG_LEVEL="INFO")
    port = free_port()
    log = tmp_path / "serve.log"
    secret = "hw_live_abcdefghijklmnop_" + "s" * 40
    with log.open("w") as out:
        process = subprocess.Popen(
            [HUBWIRE, "serve", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(log.read_text())
                time.sleep(0.1)
        refused = httpx.get(f"{base}/v1/leads", params={"api_key": secret, "limit": 2})
        assert refused.status_code == 401
        deadline = time.monotonic() + 10
        while "api_key=" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=20)
    text = log.read_text()
    assert "GET /v1/leads?api_key=[redacted]&limit=2" in text, text
    assert secret not in text and "abcdefghijklmnop" not in text

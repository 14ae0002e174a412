"""Multi-process mode: with ``PROMETHEUS_MULTIPROC_DIR`` set, a scrape in one process adds up
what every process sharing the folder counted (API processes and workers alike)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from core.metrics.instruments import provider_call_counter
from core.metrics.service import serve_process_metrics
from tests.core.metrics.test_endpoints import parse, value

COUNT = (
    "from core.metrics.instruments import observe_request, provider_call_counter;"
    "observe_request('GET', '/v1/leads', 200, 0.01);"
    "provider_call_counter('hubspot').inc(5)"
)
SCRAPE = "import sys; from core.metrics.service import process_metrics;" + (
    "sys.stdout.write(process_metrics().decode())"
)


def _run(code: str, folder: Path) -> str:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_a_scrape_adds_up_every_process(tmp_path: Path) -> None:
    _run(COUNT, tmp_path)
    _run(COUNT, tmp_path)
    samples = parse(_run(SCRAPE, tmp_path))
    listed = {"method": "GET", "route": "/v1/leads", "status": "200"}
    assert value(samples, "hubwire_http_requests_total", **listed) == 2
    timing = {"method": "GET", "route": "/v1/leads"}
    assert value(samples, "hubwire_http_request_duration_seconds_count", **timing) == 2
    assert value(samples, "hubwire_provider_calls_total", connector="hubspot") == 10


def test_a_worker_serves_its_own_counters_on_a_port() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    provider_call_counter("worker-port-test").inc(3)
    serve_process_metrics("127.0.0.1", port)
    response = httpx.get(f"http://127.0.0.1:{port}/metrics")
    assert response.status_code == 200
    samples = parse(response.text)
    assert value(samples, "hubwire_provider_calls_total", connector="worker-port-test") >= 3

"""Real processes for the fault tests: `hubwire worker` run the way production runs it, killed
the way production loses it, and a poller to wait for what the database says.

    worker = WorkerProcess(env, tmp_path / "worker.log")
    worker.start()
    await wait_for(some_condition, within=60, what="half the work done")
    worker.kill()  # SIGKILL to the whole process group: no warm shutdown, no ack

`demo_server` runs `hubwire serve --demo` as `make run` does, for end-to-end tests."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.live_server import free_port

ROOT = Path(__file__).resolve().parents[2]


async def wait_for(
    condition: Callable[[], Any], *, within: float, interval: float = 0.05, what: str = ""
) -> Any:
    """Polls ``condition`` (sync or async) until it returns something truthy."""
    deadline = time.monotonic() + within
    while True:
        value = condition()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {within:.0f} s waiting for {what}")
        await asyncio.sleep(interval)


def hubwire_command(*args: str) -> list[str]:
    """The installed `hubwire` console script with ``args``."""
    script = Path(sys.executable).with_name("hubwire")
    found = str(script) if script.exists() else shutil.which("hubwire")
    if found is None:
        raise RuntimeError("the `hubwire` console script is not installed (pip install -e .)")
    return [found, *args]


class WorkerProcess:
    """`hubwire worker` as its own process group, so SIGKILL takes the whole worker down at
    once, as a crash or an OOM kill would: no warm shutdown, no ack, no cleanup."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                hubwire_command("worker"),
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def tail(self, lines: int = 40) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@dataclass(frozen=True)
class DemoServer:
    """`hubwire serve --demo` as `make run` starts it: its URL, environment and log."""

    base: str
    env: dict[str, str]
    log: Path


@contextlib.contextmanager
def demo_server(root: Path) -> Iterator[DemoServer]:
    """Runs `hubwire serve --demo` in ``root`` (its own SQLite database, the connectors'
    sandboxes mounted, webhooks to loopback allowed) until it answers; stops it after."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("HUBWIRE_")}
    env.update(
        HUBWIRE_DATABASE_URL=f"sqlite+aiosqlite:///{root / 'hubwire.db'}",
        HUBWIRE_SANDBOXES="true",
        HUBWIRE_WEBHOOK_ALLOW_PRIVATE="true",
        HUBWIRE_SWEEPER_INTERVAL_SECONDS="0.5",
        # Changes arrive by the sandboxes' webhooks and forced syncs, not by the schedule.
        HUBWIRE_SYNC_PULL_INTERVAL_SECONDS="0",
        HUBWIRE_LOG_LEVEL="WARNING",
        # The tests poll the API while they wait; the demo key's tier would answer 429.
        HUBWIRE_RATE_LIMIT_ENABLED="false",
    )
    port = free_port()
    log = root / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*hubwire_command("serve"), "--demo", "--port", str(port)],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        # Starting means migrating a fresh SQLite file and importing every connector: seconds
        # on a quiet machine, over a minute beside three other test processes on two cores.
        deadline = time.monotonic() + 240
        while True:
            if process.poll() is not None:
                pytest.fail(f"hubwire serve exited:\n{log.read_text()}")
            try:
                httpx.get(f"{base}/v1/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail(f"hubwire serve did not answer:\n{log.read_text()}")
                time.sleep(0.1)
        yield DemoServer(base, env, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

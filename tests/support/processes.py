"""Real processes for the fault tests: `hubwire worker` run the way production runs it, killed
the way production loses it, and a poller to wait for what the database says.

    worker = WorkerProcess(env, tmp_path / "worker.log")
    worker.start()
    await wait_for(some_condition, within=60, what="half the work done")
    worker.kill()  # SIGKILL to the whole process group: no warm shutdown, no ack
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    """The installed `hubwire` console script with ``args`` (default: ``worker``)."""
    script = Path(sys.executable).with_name("hubwire")
    found = str(script) if script.exists() else shutil.which("hubwire")
    if found is None:
        raise RuntimeError("the `hubwire` console script is not installed (pip install -e .)")
    return [found, *(args or ("worker",))]


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
